import { Injectable } from '@nestjs/common';
import { Database, Queryable } from '@cw/database';
import { Booking, BookingStatus } from './booking.types';

interface BookingRow {
  site_id: string;
  id: string;
  resource_id: string;
  member_id: string | null;
  start_at: Date;
  end_at: Date;
  status: BookingStatus;
  source: 'api' | 'external';
  checked_in_at: Date | null;
  late_checkin_at: Date | null;
  version: number;
}

const COLUMNS =
  'site_id, id, resource_id, member_id, start_at, end_at, status, source, checked_in_at, late_checkin_at, version';

function toBooking(row: BookingRow): Booking {
  return {
    siteId: row.site_id,
    id: row.id,
    resourceId: row.resource_id,
    memberId: row.member_id,
    start: new Date(row.start_at),
    end: new Date(row.end_at),
    status: row.status,
    source: row.source,
    checkedInAt: row.checked_in_at ? new Date(row.checked_in_at) : null,
    lateCheckinAt: row.late_checkin_at ? new Date(row.late_checkin_at) : null,
    version: row.version,
  };
}

export interface NewBooking {
  siteId: string;
  id: string;
  resourceId: string;
  memberId: string | null;
  start: Date;
  end: Date;
  source: 'api' | 'external';
}

/** All booking SQL. Overlaps are refused by the exclusion constraint `bookings_no_overlap` (SQLSTATE 23P01). */
@Injectable()
export class BookingsRepository {
  constructor(readonly db: Database) {}

  /**
   * Inserts of one resource take turns (a lock held to the end of the transaction): concurrent inserts of one slot
   * each placed a speculative row (ON CONFLICT) and then waited on the other's in the exclusion constraint, which
   * PostgreSQL broke as a deadlock, several in a row under load. In turn, the later ones meet the committed row and
   * get the overlap at once.
   */
  async insert(b: NewBooking, q: Queryable = this.db): Promise<Booking | undefined> {
    const { rows } = await q.query<BookingRow>(
      `WITH turn AS (SELECT pg_advisory_xact_lock(hashtextextended('booking:' || $1 || '/' || $3, 0)))
       INSERT INTO bookings (site_id, id, resource_id, member_id, start_at, end_at, status, source)
       SELECT $1, $2, $3, $4, $5, $6, 'confirmed', $7 FROM turn
       ON CONFLICT (site_id, id) DO NOTHING RETURNING ${COLUMNS}`,
      [b.siteId, b.id, b.resourceId, b.memberId, b.start.toISOString(), b.end.toISOString(), b.source],
    );
    return rows[0] ? toBooking(rows[0]) : undefined;
  }

  async find(siteId: string, id: string, q: Queryable = this.db): Promise<Booking | undefined> {
    const { rows } = await q.query<BookingRow>(
      `SELECT ${COLUMNS} FROM bookings WHERE site_id = $1 AND id = $2`,
      [siteId, id],
    );
    return rows[0] ? toBooking(rows[0]) : undefined;
  }

  /** Locks the row for the rest of the transaction: check-in and release decisions on one booking serialise here. */
  async lock(q: Queryable, siteId: string, id: string): Promise<Booking | undefined> {
    const { rows } = await q.query<BookingRow>(
      `SELECT ${COLUMNS} FROM bookings WHERE site_id = $1 AND id = $2 FOR UPDATE`,
      [siteId, id],
    );
    return rows[0] ? toBooking(rows[0]) : undefined;
  }

  /**
   * Locks many rows at once, in id order so two lockers of overlapping sets cannot deadlock: a burst of due no-show
   * decisions is one statement, not one per booking.
   */
  async lockMany(q: Queryable, siteId: string, ids: string[]): Promise<Booking[]> {
    if (ids.length === 0) return [];
    const { rows } = await q.query<BookingRow>(
      `SELECT ${COLUMNS} FROM bookings WHERE site_id = $1 AND id = ANY($2::text[]) ORDER BY id FOR UPDATE`,
      [siteId, ids],
    );
    return rows.map(toBooking);
  }

  /** Sets many bookings' statuses in one statement; `checkedInAt` null keeps the stored one. */
  async setStatusMany(
    q: Queryable,
    siteId: string,
    changes: { id: string; status: BookingStatus; checkedInAt: Date | null }[],
  ): Promise<Booking[]> {
    if (changes.length === 0) return [];
    const { rows } = await q.query<BookingRow>(
      `UPDATE bookings b SET status = c.status, checked_in_at = COALESCE(c.checked_in_at, b.checked_in_at),
         updated_at = now()
       FROM unnest($2::text[], $3::text[], $4::timestamptz[]) AS c(id, status, checked_in_at)
       WHERE b.site_id = $1 AND b.id = c.id
       RETURNING ${COLUMNS.split(', ')
         .map((c) => `b.${c}`)
         .join(', ')}`,
      [
        siteId,
        changes.map((c) => c.id),
        changes.map((c) => c.status),
        changes.map((c) => c.checkedInAt?.toISOString() ?? null),
      ],
    );
    return rows.map(toBooking);
  }

  async move(
    q: Queryable,
    siteId: string,
    id: string,
    change: { resourceId: string; start: Date; end: Date; memberId: string | null },
  ): Promise<Booking> {
    const { rows } = await q.query<BookingRow>(
      `UPDATE bookings SET resource_id = $3, start_at = $4, end_at = $5, member_id = $6, version = version + 1, updated_at = now()
       WHERE site_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
      [siteId, id, change.resourceId, change.start.toISOString(), change.end.toISOString(), change.memberId],
    );
    return toBooking(rows[0]);
  }

  async setStatus(
    q: Queryable,
    siteId: string,
    id: string,
    status: BookingStatus,
    checkedInAt?: Date,
  ): Promise<Booking> {
    const { rows } = await q.query<BookingRow>(
      `UPDATE bookings SET status = $3, checked_in_at = COALESCE($4::timestamptz, checked_in_at), updated_at = now()
       WHERE site_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
      [siteId, id, status, checkedInAt?.toISOString() ?? null],
    );
    return toBooking(rows[0]);
  }

  async recordLateCheckIn(q: Queryable, siteId: string, id: string, at: Date): Promise<Booking> {
    const { rows } = await q.query<BookingRow>(
      `UPDATE bookings SET late_checkin_at = COALESCE(late_checkin_at, $3), updated_at = now()
       WHERE site_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
      [siteId, id, at.toISOString()],
    );
    return toBooking(rows[0]);
  }

  /** Bookings still waiting for evidence: the no-show engine re-arms their timers at boot. */
  async listAwaitingDecision(since: Date): Promise<Booking[]> {
    const { rows } = await this.db.query<BookingRow>(
      `SELECT ${COLUMNS} FROM bookings WHERE status = 'confirmed' AND end_at > $1 ORDER BY start_at`,
      [since.toISOString()],
    );
    return rows.map(toBooking);
  }

  /** Confirmed bookings of these resources starting in [from, to]: candidates for evidence seen in that span. */
  async findStartingBetween(siteId: string, resourceIds: string[], from: Date, to: Date): Promise<Booking[]> {
    const { rows } = await this.db.query<BookingRow>(
      `SELECT ${COLUMNS} FROM bookings
       WHERE site_id = $1 AND resource_id = ANY($2::text[]) AND status = 'confirmed' AND start_at BETWEEN $3 AND $4`,
      [siteId, resourceIds, from.toISOString(), to.toISOString()],
    );
    return rows.map(toBooking);
  }

  async listForSite(siteId: string, from: Date, to: Date): Promise<Booking[]> {
    const { rows } = await this.db.query<BookingRow>(
      `SELECT ${COLUMNS} FROM bookings WHERE site_id = $1 AND end_at > $2 AND start_at < $3 ORDER BY start_at, id`,
      [siteId, from.toISOString(), to.toISOString()],
    );
    return rows.map(toBooking);
  }
}
