import { BookingPayload, DoorPayload, SensorPayload } from '@cw/events';
import { deskSpans, PresenceSpan } from '../day-plan';
import { Rng } from '../random';
import { MINUTE_MS } from '../zoned-time';
import { DayPlan } from './day-planner';
import { Meeting } from './meetings';
import { Member } from './population';
import { toSecond } from './site-day';

type Body<T> = Omit<T, 'id' | 'ts'>;

/**
 * `reading`: a real presence report, which a sensor may miss; `false_trigger`: a report with nobody there
 * (`end` is its "empty again" reading); `real`: anything else.
 */
export type Origin = 'real' | 'reading' | 'false_trigger';

interface RawBase {
  id: string;
  at: number;
  origin: Origin;
  /** People counters: what really went through, when the reported value differs. */
  trueValue: number | null;
  /** False triggers: the "empty again" reading that ends this one. */
  end: RawEvent | null;
}

export type RawEvent =
  | (RawBase & { type: 'door'; device: string; body: Body<DoorPayload> })
  | (RawBase & { type: 'sensor'; device: string; body: Body<SensorPayload> })
  | (RawBase & { type: 'booking'; device: null; body: Body<BookingPayload> });

// One factory per type, all writing the fields in the same order: the raw events of a day are sorted by time, and
// objects of one hidden class keep that sort fast.
export const doorRaw = (at: number, device: string, body: Body<DoorPayload>): RawEvent => ({
  id: '',
  at,
  type: 'door',
  device,
  body,
  origin: 'real',
  trueValue: null,
  end: null,
});

export const sensorRaw = (
  at: number,
  device: string,
  body: Body<SensorPayload>,
  origin: Origin = 'real',
  end: RawEvent | null = null,
): RawEvent => ({ id: '', at, type: 'sensor', device, body, origin, trueValue: null, end });

const bookingRaw = (at: number, body: Body<BookingPayload>): RawEvent => ({
  id: '',
  at,
  type: 'booking',
  device: null,
  body,
  origin: 'real',
  trueValue: null,
  end: null,
});

/** Real PIR sensors repeat "occupied" while they keep seeing motion; engines hold presence between reports. */
const PRESENCE_REPORT_MS = 5 * MINUTE_MS;
const PRESENCE_JITTER_MS = 20_000;

function presenceEvents(rng: Rng, span: PresenceSpan, out: RawEvent[]): void {
  const device = span.sensor;
  if (!device) return;
  out.push(sensorRaw(span.from, device, { kind: 'presence', value: 1 }, 'reading'));
  for (let t = span.from + PRESENCE_REPORT_MS; t < span.to - 30_000; t += PRESENCE_REPORT_MS) {
    const at = toSecond(Math.min(span.to - 30_000, t + rng.uniform(-PRESENCE_JITTER_MS, PRESENCE_JITTER_MS)));
    out.push(sensorRaw(at, device, { kind: 'presence', value: 1 }, 'reading'));
  }
  out.push(sensorRaw(span.to, device, { kind: 'presence', value: 0 }, 'reading'));
}

/**
 * People counters report how many went through in each minute, at the end of it. Each person may go uncounted
 * or be counted twice, so in minus out drifts away from zero over a day, as on real counters.
 */
function counterEvents(
  rng: Rng,
  plan: DayPlan,
  device: string,
  times: Record<'people_in' | 'people_out', number[]>,
  out: RawEvent[],
): void {
  const { miss, extra } = plan.day.rt.config.devices.counter;
  for (const kind of ['people_in', 'people_out'] as const) {
    const buckets = new Map<number, [number, number]>();
    for (const t of times[kind]) {
      const end = Math.floor(t / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
      const counted = rng.chance(miss) ? 0 : rng.chance(extra) ? 2 : 1;
      const bucket = buckets.get(end) ?? [0, 0];
      buckets.set(end, [bucket[0] + 1, bucket[1] + counted]);
    }
    for (const [at, [truth, value]] of [...buckets].sort((a, b) => a[0] - b[0])) {
      const event = sensorRaw(at, device, { kind, value });
      if (truth !== value) event.trueValue = truth;
      out.push(event);
    }
  }
}

const cardIn = (member: Member): Body<DoorPayload> => ({
  credential: member.credential,
  member: member.id,
  direction: 'in',
  result: 'granted',
  method: member.method,
});

/** Every presence span of the day: desks (visits minus excursions), then rooms and booths. */
export function allPresence(plan: DayPlan): PresenceSpan[] {
  const desks = plan.members.flatMap((md) => {
    const desk = md.desk;
    if (!desk) return [];
    return deskSpans(md).map((s) => ({ ...s, resource: desk.id, sensor: desk.sensor, member: md.member.id }));
  });
  return [...desks, ...plan.presence];
}

/** The device events of a day as they really happened (no transport noise yet), unsorted, without ids. */
export function deviceEvents(plan: DayPlan, presence: readonly PresenceSpan[]): RawEvent[] {
  const out: RawEvent[] = [];
  const { entranceDoor, entranceCounter } = plan.day.rt.model;
  const times = { people_in: [] as number[], people_out: [] as number[] };
  for (const { member, visits } of plan.members) {
    for (const visit of visits) {
      times.people_in.push(visit.enter);
      times.people_out.push(visit.exit);
      if (entranceDoor) out.push(doorRaw(visit.enter, entranceDoor, cardIn(member)));
    }
  }
  if (entranceCounter) counterEvents(plan.day.rng('counter'), plan, entranceCounter, times, out);
  for (const swipe of plan.roomSwipes) out.push(doorRaw(swipe.at, swipe.door, cardIn(swipe.member)));
  const rng = plan.day.rng('pir');
  for (const span of presence) presenceEvents(rng, span, out);
  return out;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The booking system's events for these meetings that fall in [from, to): created, cancelled, checked in. */
export function bookingEvents(meetings: readonly Meeting[], from: number, to: number): RawEvent[] {
  const out: RawEvent[] = [];
  const push = (at: number, m: Meeting, status: BookingPayload['status']): void => {
    if (at < from || at >= to) return;
    const body = {
      booking: m.id,
      resource: m.room.id,
      member: m.member.id,
      start: iso(m.start),
      end: iso(m.end),
      status,
    };
    out.push(bookingRaw(at, body));
  };
  for (const m of meetings) {
    push(m.createdAt, m, 'created');
    if (m.cancelledAt !== null) push(m.cancelledAt, m, 'cancelled');
    if (m.checkInAt !== null) push(m.checkInAt, m, 'checked_in');
  }
  return out;
}
