import { Kpi, known, NullReason, unknown } from './formulas';

/** Most people at once, and the 15-minute bucket it was first reached in (absent when nobody was there). */
export type PeakKpi = Kpi & { at?: string };

/** A period's peak as the materialiser wrote it. */
export interface PeakRow {
  people: number;
  at: Date;
}

export interface ResourcePeakFacts {
  /** Present only when the resource counted people in the period (a people counter, or one seat and presence). */
  row: PeakRow | undefined;
  /** Its own people counter had reported by the period's end. */
  counter: boolean;
  /** Presence evidence exists for it (a sensor, or a door for a small room). */
  sensed: boolean;
  capacity: number;
}

/**
 * A period's peak and the first bucket that reached it, packed into one integer so that a plain max() finds both:
 * people x SCALE - epoch seconds of the bucket (the larger count wins, then the earlier bucket). Epoch seconds stay
 * below SCALE until the year 2286.
 */
export const PEAK_PACK_SCALE = 10_000_000_000;

/** The people and bucket of a packed peak (as the database returns a bigint: a decimal string). */
export function unpackPeak(packed: string): PeakRow {
  const value = BigInt(packed);
  const scale = BigInt(PEAK_PACK_SCALE);
  // rounds up: with seconds in (0, scale), people x scale - seconds lies in ((people - 1) x scale, people x scale)
  const people = (value + scale - 1n) / scale;
  return { people: Number(people), at: new Date(Number(people * scale - value) * 1000) };
}

function fromRow(row: PeakRow | undefined): PeakKpi {
  if (!row || row.people <= 0) return known(0);
  return { ...known(row.people), at: row.at.toISOString() };
}

/**
 * A resource's peak. `closed` is the reason the period has no open time (null when it has some). A people counter
 * with no row, or one seat and presence evidence but no row, means nobody was there: 0. Several seats and no
 * people counter cannot be counted: presence says someone is there, not how many.
 */
export function resourcePeak(facts: ResourcePeakFacts, closed: NullReason | null): PeakKpi {
  if (closed) return unknown(closed);
  if (facts.row || facts.counter) return fromRow(facts.row);
  if (!facts.sensed) return unknown('no_presence_sensor');
  return facts.capacity <= 1 ? known(0) : unknown('presence_cannot_count');
}

/**
 * A kind's peak: the sum over its resources that can count, at the same instant (the row), 0 when they never held
 * anyone; null when none of them can count.
 */
export function kindPeak(
  row: PeakRow | undefined,
  members: readonly PeakKpi[],
  closed: NullReason | null,
): PeakKpi {
  if (closed) return unknown(closed);
  if (members.some((m) => m.value !== null)) return fromRow(row);
  return unknown(
    members.every((m) => m.reason === 'no_presence_sensor') ? 'no_presence_sensor' : 'presence_cannot_count',
  );
}
