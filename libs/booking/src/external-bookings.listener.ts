import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DomainError } from '@cw/common';
import { BookingEvent, RejectedEvent } from '@cw/events';
import { IngestService, StoredEventsBus } from '@cw/ingest';
import { BookingsService } from './bookings.service';

/**
 * Booking events from external booking systems (MQTT `cw/{site}/booking` or HTTP) keep the platform's copy of
 * their bookings current. The raw events stay in `booking_events`; a change refused when applied (an overlap, an
 * unknown booking, a move of a booking no longer confirmed) leaves the platform's booking as it was and goes to the
 * dead letter (`rejected_events`) with its raw payload and the reason, as ingest does with invalid events. Unknown
 * resources and ends before starts never get this far: ingest refuses them.
 */
@Injectable()
export class ExternalBookingsListener implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ExternalBookingsListener.name);
  private unsubscribe: (() => void) | undefined;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly bus: StoredEventsBus,
    private readonly bookings: BookingsService,
    private readonly ingest: IngestService,
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
    const refused: RejectedEvent[] = [];
    for (const event of events) {
      try {
        await this.apply(event);
      } catch (error) {
        const reason = `booking ${event.payload.booking} not applied: ${(error as Error).message}`;
        this.logger.warn(`booking event ${event.eventId}: ${reason}`);
        refused.push(deadLetterOf(event, reason, error));
      }
    }
    await this.ingest
      .deadLetter(refused)
      .catch((error: Error) =>
        this.logger.error(`${refused.length} refused booking events not dead-lettered: ${error.message}`),
      );
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
        else if (!sameSlot(existing, details))
          throw new Error(`booking ${id} is ${existing.status}; only a confirmed booking can be moved`);
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

function sameSlot(
  booking: { resourceId: string; start: Date; end: Date },
  details: { resourceId: string; start: Date; end: Date },
): boolean {
  return (
    booking.resourceId === details.resourceId &&
    +booking.start === +details.start &&
    +booking.end === +details.end
  );
}

function deadLetterOf(event: BookingEvent, reason: string, error: unknown): RejectedEvent {
  const errors =
    error instanceof DomainError && error.errors.length
      ? error.errors
      : [{ path: '(root)', message: (error as Error).message }];
  return {
    receivedAt: event.receivedAt,
    siteId: event.siteId,
    source: event.origin?.source ?? 'mqtt',
    topic: event.origin?.topic ?? null,
    eventId: event.eventId,
    reason,
    errors,
    raw: event.origin?.raw ?? JSON.stringify(event.payload),
  };
}
