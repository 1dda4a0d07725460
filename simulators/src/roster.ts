import { rngFor } from './random';

export interface SimMember {
  id: string;
  /** Card id as a door reader sends it. */
  credential: string;
  homeFloor: string;
  /** Chance of coming in on a full working day. */
  attendance: number;
  /** Works afternoons only, arriving around lunch. */
  afternoons: boolean;
  /** Leaves the building for lunch on most days. */
  luncher: boolean;
}

export const DEFAULT_MEMBER_COUNT = 60;

/**
 * The same members every day for a given seed, so visits, bookings and cards line up across days and the
 * platform can be given the roster up front.
 */
export function generateRoster(seed: number, count: number, floors: readonly string[]): SimMember[] {
  const rng = rngFor(seed, 'roster');
  const width = Math.max(3, String(count).length);
  return Array.from({ length: count }, (_, i) => ({
    id: `m-${String(i + 1).padStart(width, '0')}`,
    credential: `card-${rng.int(0, 0xffffffff).toString(16).padStart(8, '0')}`,
    homeFloor: floors.length > 0 ? rng.pick(floors) : '',
    attendance: rng.uniform(0.3, 0.85),
    afternoons: rng.chance(0.12),
    luncher: rng.chance(0.6),
  }));
}
