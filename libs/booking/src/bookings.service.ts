import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DomainError, ErrorCode, notFound } from '@cw/common';
import { Queryable } from '@cw/database';
import { Booking, CheckInOutcome } from './booking.types';
import { BookingsEvents } from './bookings.events';
import { BookingsRepository } from './bookings.repository';
import { BookingCharge } from './payment/booking-charges.repository';
import { Guest, PaidBookings } from './payment/paid-bookings';

const OVERLAP = '23P01';
/**
 * A paid booking locks the member's balances and then meets the slot's other bookings at the exclusion constraint:
 * on a PostgreSQL server two of them can deadlock (or fail serialisation) there. Its transaction left nothing, so it
 * is simply run again, and then loses with a clear conflict if the slot went to the other.
 */
const RETRYABLE = new Set(['40P01', '40001']);
const PAID_TRIES = 3;
const FOREIGN_KEY = '23503';

export interface CreateBooking {
  siteId: string;
  id?: string;
  resourceId: string;
  memberId?: string | null;
  start: Date;
  end: Date;
  source: 'api' | 'external';
  /** A booking for someone who is not a member: checked against the rules for guests and charged in full. */
  guest?: Guest | null;
  /**
   * Who asks: staff (admin, manager) may book kinds reserved for staff; a member key's booking is always a member
   * booking. Unset: an integration or external system.
   */
  bookedBy?: 'staff' | 'member';
  /** A price quote the booker was given (member and guest bookings; others have no price). */
  quoteId?: string;
}

export interface MoveBooking {
  resourceId?: string;
  start?: Date;
  end?: Date;
  memberId?: string | null;
}

function isDbError(error: unknown, code: string): boolean {
  return (error as { code?: string } | null)?.code === code;
}

/**
 * Bookings from the booking API and from external booking systems alike. Every change commits first and is then
 * announced on BookingsEvents, which the no-show and occupancy engines follow.
 */
@Injectable()
export class BookingsService {
  constructor(
    private readonly repo: BookingsRepository,
    private readonly events: BookingsEvents,
    private readonly paid: PaidBookings,
  ) {}

  async create(
    input: CreateBooking,
  ): Promise<{ booking: Booking; created: boolean; charge?: BookingCharge }> {
    if (input.end <= input.start)
      throw new DomainError(ErrorCode.Validation, 'end must be after start', [
        { path: 'end', message: 'must be after start' },
      ]);
    const id = input.id ?? `bk_${randomUUID()}`;
    const memberId = input.memberId ?? null;
    const guest = input.guest ?? null;
    const paid =
      input.source === 'api' &&
      (guest !== null ||
        input.bookedBy === 'member' ||
        (await this.paid.applies(input.siteId, memberId, guest)));
    try {
      let booking: Booking | undefined;
      let charge: BookingCharge | undefined;
      if (paid) {
        const existing = await this.repo.find(input.siteId, id);
        const made = existing
          ? undefined
          : await this.retryingDeadlocks(() =>
              this.paid.create({
                siteId: input.siteId,
                id,
                resourceId: input.resourceId,
                memberId,
                guest,
                start: input.start,
                end: input.end,
                byStaff: input.bookedBy === 'staff',
                quoteId: input.quoteId,
              }),
            );
        booking = made?.booking;
        charge = made?.charge;
      } else {
        booking = await this.repo.insert({
          siteId: input.siteId,
          id,
          resourceId: input.resourceId,
          memberId,
          start: input.start,
          end: input.end,
          source: input.source,
        });
      }
      if (!booking) {
        // Same id again: idempotent when it describes the same booking, a conflict otherwise.
        const existing = (await this.repo.find(input.siteId, id))!;
        const same =
          existing.resourceId === input.resourceId &&
          +existing.start === +input.start &&
          +existing.end === +input.end;
        if (!same)
          throw new DomainError(ErrorCode.Conflict, `booking ${id} already exists with other details`);
        return { booking: existing, created: false, charge: await this.paid.charge(input.siteId, id) };
      }
      this.events.emit('booking.changed', { booking, previous: null });
      return { booking, created: true, ...(charge ? { charge } : {}) };
    } catch (error) {
      throw this.translate(error, input.resourceId);
    }
  }

  async get(siteId: string, id: string): Promise<Booking> {
    const booking = await this.repo.find(siteId, id);
    if (!booking) throw notFound(`booking ${id}`);
    return booking;
  }

  list(siteId: string, from: Date, to: Date): Promise<Booking[]> {
    return this.repo.listForSite(siteId, from, to);
  }

  async listForMember(siteId: string, memberId: string, from: Date, to: Date): Promise<Booking[]> {
    return (await this.repo.listForSite(siteId, from, to)).filter((b) => b.memberId === memberId);
  }

  /** What a member or guest booking cost and how it was paid; undefined for bookings without a price. */
  charge(siteId: string, id: string): Promise<BookingCharge | undefined> {
    return this.paid.charge(siteId, id);
  }

  async move(siteId: string, id: string, change: MoveBooking): Promise<Booking> {
    return this.mutate(siteId, id, async (tx, current) => {
      if (current.status !== 'confirmed') {
        throw new DomainError(
          ErrorCode.Conflict,
          `booking ${id} is ${current.status}; only a confirmed booking can be moved`,
        );
      }
      await this.paid.assertMovable(tx, current);
      const next = {
        resourceId: change.resourceId ?? current.resourceId,
        start: change.start ?? current.start,
        end: change.end ?? current.end,
        memberId: change.memberId === undefined ? current.memberId : change.memberId,
      };
      if (next.end <= next.start)
        throw new DomainError(ErrorCode.Validation, 'end must be after start', [
          { path: 'end', message: 'must be after start' },
        ]);
      try {
        return await this.repo.move(tx, siteId, id, next);
      } catch (error) {
        throw this.translate(error, next.resourceId);
      }
    });
  }

  async cancel(siteId: string, id: string): Promise<Booking> {
    return this.mutate(siteId, id, async (tx, current) => {
      if (current.status === 'cancelled') return current;
      if (current.status !== 'confirmed' && current.status !== 'checked_in') {
        throw new DomainError(
          ErrorCode.Conflict,
          `booking ${id} is ${current.status} and cannot be cancelled`,
        );
      }
      const cancelled = await this.repo.setStatus(tx, siteId, id, 'cancelled');
      await this.paid.onCancel(tx, current);
      return cancelled;
    });
  }

  async end(siteId: string, id: string): Promise<Booking> {
    return this.mutate(siteId, id, async (tx, current) =>
      current.status === 'confirmed' || current.status === 'checked_in'
        ? this.repo.setStatus(tx, siteId, id, 'ended')
        : current,
    );
  }

  /**
   * Check-in by API, by an external system, or by evidence (presence, the booker at the door). Serialised with the
   * release decision on the booking's row lock, so exactly one of them wins a race at the end of grace.
   */
  async checkIn(siteId: string, id: string, at: Date): Promise<CheckInOutcome> {
    let outcome: CheckInOutcome | undefined;
    await this.mutate(siteId, id, async (tx, current) => {
      switch (current.status) {
        case 'confirmed': {
          const booking = await this.repo.setStatus(tx, siteId, id, 'checked_in', at);
          outcome = { outcome: 'checked_in', booking };
          return booking;
        }
        case 'checked_in':
          outcome = { outcome: 'already_checked_in', booking: current };
          return current;
        case 'released': {
          const booking = await this.repo.recordLateCheckIn(tx, siteId, id, at);
          outcome = { outcome: 'late_after_release', booking };
          return booking;
        }
        case 'cancelled':
        case 'ended':
          outcome = { outcome: 'not_active', booking: current };
          return current;
      }
    });
    return outcome!;
  }

  /** Locks the row, applies the change, commits, then announces it if anything changed. */
  private async mutate(
    siteId: string,
    id: string,
    change: (tx: Queryable, current: Booking) => Promise<Booking>,
  ): Promise<Booking> {
    const result = await this.repo.db.transaction(async (tx) => {
      const current = await this.repo.lock(tx, siteId, id);
      if (!current) throw notFound(`booking ${id}`);
      return { previous: current, booking: await change(tx, current) };
    });
    if (result.booking !== result.previous) this.events.emit('booking.changed', result);
    return result.booking;
  }

  private async retryingDeadlocks<T>(run: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await run();
      } catch (error) {
        const code = (error as { code?: string } | null)?.code;
        if (attempt >= PAID_TRIES || code === undefined || !RETRYABLE.has(code)) throw error;
      }
    }
  }

  private translate(error: unknown, resourceId: string): unknown {
    if (isDbError(error, OVERLAP))
      return new DomainError(
        ErrorCode.Conflict,
        `resource ${resourceId} is already booked for part of that time`,
      );
    if (isDbError(error, FOREIGN_KEY)) {
      return new DomainError(ErrorCode.Validation, `unknown resource ${resourceId}`, [
        { path: 'resource', message: `unknown resource ${resourceId}` },
      ]);
    }
    return error;
  }
}
