import { writeFile } from 'node:fs/promises';

export type BookingOutcome = 'attended' | 'no_show' | 'cancelled';

/** What really happened to a booking, to check the no-show engine against. */
export interface BookingTruth {
  type: 'booking';
  booking: string;
  resource: string;
  member: string;
  start: string;
  end: string;
  outcome: BookingOutcome;
  /** First check-in evidence the devices produced; null when there was none. */
  evidenceAt: string | null;
}

/** Someone was really in a resource over [from, to): what occupancy should reproduce. */
export interface PresenceTruth {
  type: 'presence';
  resource: string;
  member: string | null;
  from: string;
  to: string;
}

/** A member inside the building over [from, to). */
export interface VisitTruth {
  type: 'visit';
  member: string;
  from: string;
  to: string;
}

export interface Truth {
  bookings: BookingTruth[];
  presence: PresenceTruth[];
  visits: VisitTruth[];
}

export function emptyTruth(): Truth {
  return { bookings: [], presence: [], visits: [] };
}

export function mergeTruth(parts: readonly Truth[]): Truth {
  return {
    bookings: parts.flatMap((t) => t.bookings),
    presence: parts.flatMap((t) => t.presence),
    visits: parts.flatMap((t) => t.visits),
  };
}

export function serializeTruth(truth: Truth): string {
  const records = [...truth.bookings, ...truth.presence, ...truth.visits];
  return records.map((record) => JSON.stringify(record)).join('\n') + (records.length > 0 ? '\n' : '');
}

/** JSONL, one record per line, each tagged with its `type`. */
export async function writeTruth(path: string, truth: Truth): Promise<void> {
  await writeFile(path, serializeTruth(truth), 'utf8');
}
