import { BookingPayload, DoorPayload, SensorPayload } from '@cw/events';
import { DayContext, toSecond } from './day-context';
import { DayPlan, deskSpans, PresenceSpan } from './day-plan';
import { Rng } from './random';
import { SimMember } from './roster';
import { SimEvent, topicFor } from './sim-event';
import { MINUTE_MS } from './zoned-time';

type Body<T> = Omit<T, 'id' | 'ts'>;
type RawEvent =
  | { at: number; type: 'door'; device: string; body: Body<DoorPayload> }
  | { at: number; type: 'sensor'; device: string; body: Body<SensorPayload> }
  | { at: number; type: 'booking'; body: Body<BookingPayload> };

/** Real PIR sensors repeat "occupied" while they keep seeing motion; engines hold presence between reports. */
const PRESENCE_REPORT_MS = 5 * MINUTE_MS;
const PRESENCE_JITTER_MS = 20_000;

function presenceEvents(rng: Rng, span: PresenceSpan, out: RawEvent[]): void {
  const sensor = span.sensor;
  if (!sensor) return;
  const report = (at: number, value: number): void => {
    out.push({ at, type: 'sensor', device: sensor, body: { kind: 'presence', value } });
  };
  report(span.from, 1);
  for (let t = span.from + PRESENCE_REPORT_MS; t < span.to - 30_000; t += PRESENCE_REPORT_MS) {
    report(toSecond(Math.min(span.to - 30_000, t + rng.uniform(-PRESENCE_JITTER_MS, PRESENCE_JITTER_MS))), 1);
  }
  report(span.to, 0);
}

/** People counters report how many went through in each minute, at the end of that minute. */
function counterEvents(counter: string, enters: number[], exits: number[], out: RawEvent[]): void {
  const buckets = (times: number[]): Map<number, number> => {
    const counts = new Map<number, number>();
    for (const t of times) {
      const end = Math.floor(t / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
      counts.set(end, (counts.get(end) ?? 0) + 1);
    }
    return counts;
  };
  for (const [kind, times] of [
    ['people_in', enters],
    ['people_out', exits],
  ] as const) {
    for (const [at, value] of [...buckets(times)].sort((a, b) => a[0] - b[0])) {
      out.push({ at, type: 'sensor', device: counter, body: { kind, value } });
    }
  }
}

function cardIn(member: SimMember): Body<DoorPayload> {
  return {
    credential: member.credential,
    member: member.id,
    direction: 'in',
    result: 'granted',
    method: 'card',
  };
}

function rawEvents(ctx: DayContext, plan: DayPlan): RawEvent[] {
  const out: RawEvent[] = [];
  const { entranceDoor, entranceCounter } = ctx.model;
  const enters: number[] = [];
  const exits: number[] = [];
  for (const { member, visits } of plan.members) {
    for (const visit of visits) {
      enters.push(visit.enter);
      exits.push(visit.exit);
      if (entranceDoor)
        out.push({ at: visit.enter, type: 'door', device: entranceDoor, body: cardIn(member) });
    }
  }
  if (entranceCounter) counterEvents(entranceCounter, enters, exits, out);
  for (const swipe of plan.roomSwipes) {
    out.push({ at: swipe.at, type: 'door', device: swipe.door, body: cardIn(swipe.member) });
  }
  for (const b of plan.bookings) {
    const base = {
      booking: b.id,
      resource: b.room.id,
      member: b.member.id,
      start: iso(b.start),
      end: iso(b.end),
    };
    out.push({ at: b.createdAt, type: 'booking', body: { ...base, status: 'created' } });
    if (b.cancelledAt !== null)
      out.push({ at: b.cancelledAt, type: 'booking', body: { ...base, status: 'cancelled' } });
  }
  const rng = ctx.rng('pir');
  for (const span of allPresence(plan)) presenceEvents(rng, span, out);
  return out;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** Desks first, then rooms and booths, each in the order they were planned. */
export function allPresence(plan: DayPlan): PresenceSpan[] {
  const desks = plan.members.flatMap((day) => {
    const desk = day.desk;
    if (!desk) return [];
    return deskSpans(day).map((s) => ({
      ...s,
      resource: desk.id,
      sensor: desk.sensor,
      member: day.member.id,
    }));
  });
  return [...desks, ...plan.presence];
}

/** Time-ordered device events with ids in that order: the same plan always yields the same ids. */
export function compileEvents(ctx: DayContext, plan: DayPlan, siteId: string, prefix: string): SimEvent[] {
  const raw = rawEvents(ctx, plan).sort((a, b) => a.at - b.at);
  const idPrefix = `sim-${ctx.seed}-${ctx.date.replaceAll('-', '')}-`;
  return raw.map((e, i): SimEvent => {
    const at = new Date(e.at);
    const head = { id: `${idPrefix}${i + 1}`, ts: at.toISOString() };
    switch (e.type) {
      case 'door':
        return {
          at,
          type: 'door',
          topic: topicFor(prefix, siteId, 'door', e.device),
          payload: { ...head, ...e.body },
        };
      case 'sensor':
        return {
          at,
          type: 'sensor',
          topic: topicFor(prefix, siteId, 'sensor', e.device),
          payload: { ...head, ...e.body },
        };
      case 'booking':
        return {
          at,
          type: 'booking',
          topic: topicFor(prefix, siteId, 'booking'),
          payload: { ...head, ...e.body },
        };
    }
  });
}
