import { MINUTE_MS } from '../zoned-time';
import { DayPlan } from './day-planner';
import { deliver } from './delivery';
import { falseTriggers } from './false-triggers';
import { Meeting } from './meetings';
import { allPresence, deviceEvents, RawEvent } from './raw-events';
import { ScenarioEvent } from './scenario-event';
import { BookingRecord, TruthRecord } from './truth-records';

export interface CompiledDay {
  /** In delivery order (`sendAt`). */
  events: ScenarioEvent[];
  truth: TruthRecord[];
}

const iso = (ms: number): string => new Date(ms).toISOString();
const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));
/** The platform's default early check-in window; evidence before it would not count. */
const EARLY_MS = 15 * MINUTE_MS;

/** The earliest evidence the platform received for each meeting of the day: what its no-show engine can see. */
function evidence(plan: DayPlan, events: readonly ScenarioEvent[]): Map<string, number> {
  const roomDevices = new Set(
    plan.meetings.flatMap((m) => [m.room.door, m.room.sensor]).filter((d) => d !== null),
  );
  const byDevice = new Map<string, ScenarioEvent[]>();
  const checkIns = new Map<string, number>();
  for (const e of events) {
    if (e.type === 'booking') {
      if (e.payload.status === 'checked_in')
        checkIns.set(e.payload.booking, Math.min(e.at, checkIns.get(e.payload.booking) ?? Infinity));
    } else if (roomDevices.has(e.device)) {
      const list = byDevice.get(e.device);
      if (list) list.push(e);
      else byDevice.set(e.device, [e]);
    }
  }
  const found = new Map<string, number>();
  const counts = (m: Meeting, e: ScenarioEvent): boolean =>
    e.at >= m.start - EARLY_MS &&
    e.at < m.end &&
    ((e.type === 'door' && e.payload.member === m.member.id && e.payload.result === 'granted') ||
      (e.type === 'sensor' && e.payload.kind === 'presence' && e.payload.value === 1));
  for (const m of plan.meetings) {
    if (m.outcome === 'cancelled') continue;
    let first = checkIns.get(m.id) ?? Infinity;
    for (const device of [m.room.door, m.room.sensor]) {
      for (const e of (device && byDevice.get(device)) || []) if (counts(m, e) && e.at < first) first = e.at;
    }
    if (first < Infinity) found.set(m.id, first);
  }
  return found;
}

function bookingRecord(site: string, m: Meeting, evidenceAt: number | undefined): BookingRecord {
  return {
    type: 'booking',
    site,
    booking: m.id,
    resource: m.room.id,
    member: m.member.id,
    start: iso(m.start),
    end: iso(m.end),
    createdAt: iso(m.createdAt),
    cancelledAt: isoOrNull(m.cancelledAt),
    outcome: m.outcome,
    arrivedAt: isoOrNull(m.arrivedAt),
    emptiedAt: isoOrNull(m.emptiedAt),
    evidenceAt: evidenceAt === undefined ? null : iso(evidenceAt),
  };
}

/**
 * A planned day into events and truth. `bookings` are the booking-system events that fall on this day, which
 * may belong to meetings of later days (bookings are made ahead).
 */
export function compileDay(plan: DayPlan, bookings: RawEvent[]): CompiledDay {
  const day = plan.day;
  const site = day.rt.id;
  const presence = allPresence(plan);
  const raws = deviceEvents(plan, presence);
  const exposure = falseTriggers(plan, presence, raws);
  raws.push(...bookings);
  // stable: events at the same instant keep the order they were produced in, so ids follow from the plan
  raws.sort((a, b) => a.at - b.at);
  const idPrefix = `sim-${site}-${day.rt.seed}-${day.date.replaceAll('-', '')}-`;
  raws.forEach((raw, i) => (raw.id = `${idPrefix}${i + 1}`));
  const delivered = deliver(day, raws);
  const found = evidence(plan, delivered.events);

  const truth: TruthRecord[] = plan.meetings.map((m) => bookingRecord(site, m, found.get(m.id)));
  for (const s of [...presence].sort((a, b) => a.from - b.from))
    truth.push({
      type: 'presence',
      site,
      resource: s.resource,
      member: s.member,
      from: iso(s.from),
      to: iso(s.to),
    });
  const visits = plan.members.flatMap((md) =>
    md.visits.map((v) => ({ member: md.member.id, from: v.enter, to: v.exit })),
  );
  for (const v of visits.sort((a, b) => a.from - b.from))
    truth.push({ type: 'visit', site, member: v.member, from: iso(v.from), to: iso(v.to) });
  truth.push(...delivered.noise, ...delivered.offline);
  truth.push({
    type: 'exposure',
    site,
    date: day.date,
    emptySensorHours: Math.round(exposure * 1000) / 1000,
  });
  return { events: delivered.events, truth };
}
