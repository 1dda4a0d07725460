import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { BookingEvent } from '@cw/events';
import { StoredEventsBus } from '@cw/ingest';
import { BookingsService } from './bookings.service';

/**
 * Booking events from external booking systems (MQTT `cw/{site}/booking` or HTTP) keep the platform's copy of
 * their bookings current. The raw events stay in `booking_events`; a refused change (an overlap) is logged with its
 * reason and leaves the platform's booking as it was.
 */
@Injectable()
export class ExternalBookingsListener implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ExternalBookingsListener.name);
  private unsubscribe: (() => void) | undefined;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly bus: StoredEventsBus,
    private readonly bookings: BookingsService,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.bus.on('stored', (events) => {
      const bookingEvents = events.filter((e): e is BookingEvent => e.type === 'booking');
      if (bookingEvents.length === 0) return;
      // Applied one after another, in arrival order, so created -> updated -> cancelled keep their meaning.
      this.chain = this.chain.then(() => this.applyAll(bookingEvents));
    });
  }

  onModuleDestroy(): Promise<void> {
    this.unsubscribe?.();
    return this.chain;
  }

  /** Resolves once every booking event heard so far has been applied (tests and shutdown). */
  settled(): Promise<void> {
    return this.chain;
  }

  private async applyAll(events: BookingEvent[]): Promise<void> {
    for (const event of events) {
      try {
        await this.apply(event);
      } catch (error) {
        this.logger.warn(
          `booking event ${event.eventId} for ${event.payload.booking} not applied: ${(error as Error).message}`,
        );
      }
    }
  }

  private async apply(event: BookingEvent): Promise<void> {
    const { booking: id, resource, member, start, end, status } = event.payload;
    const siteId = event.siteId;
    switch (status) {
      case 'created':
      case 'updated': {
        const existing = await this.bookings.get(siteId, id).catch(() => undefined);
        const details = {
          resourceId: resource,
          memberId: member ?? null,
          start: new Date(start),
          end: new Date(end),
        };
        if (!existing) await this.bookings.create({ siteId, id, source: 'external', ...details });
        else if (existing.status === 'confirmed') await this.bookings.move(siteId, id, details);
        return;
      }
      case 'cancelled':
        await this.bookings.cancel(siteId, id);
        return;
      case 'checked_in':
        await this.bookings.checkIn(siteId, id, event.ts);
        return;
      case 'ended':
        await this.bookings.end(siteId, id);
        return;
    }
  }
}
