/**
 * How the materialiser turns raw evidence into occupied time, with hindsight the live engine lacks (it must decide
 * at each instant; the materialiser sees the next reading):
 * - a presence 1 holds until the sensor's next reading or HOLD after it, whichever comes first;
 * - a 0 between two 1s less than DEBOUNCE apart is bridged (one missed detection is not a departure), otherwise a
 *   0 ends presence at once, where the live engine waits DEBOUNCE in case a 1 follows;
 * - a granted door event (not "out") keeps a small room without a presence sensor occupied for DOOR_HOLD.
 * The same values as the occupancy engine's DEFAULT_RULES.
 */
export const EVIDENCE_RULES = {
  holdSeconds: 600,
  debounceSeconds: 60,
  doorHoldSeconds: 900,
  /** Door evidence counts for these kinds up to this capacity, as in the occupancy engine. */
  doorKinds: ['meeting_room', 'phone_booth'],
  doorMaxCapacity: 6,
} as const;
