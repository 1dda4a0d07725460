import { Interval } from '../day-plan';
import { Rng } from '../random';
import { MINUTE_MS } from '../zoned-time';
import { isoTime } from './iso-time';
import { RawEvent } from './raw-events';
import { ScenarioEvent } from './scenario-event';
import { SiteDay } from './site-day';
import { DeviceProfile } from './site-runtime';
import { NoiseRecord, OfflineRecord } from './truth-records';

export interface Delivery {
  /** Sorted by `sendAt`; events with the same `sendAt` keep their id order. */
  events: ScenarioEvent[];
  noise: NoiseRecord[];
  offline: OfflineRecord[];
}

const iso = isoTime;

interface Window extends Interval {
  record: OfflineRecord;
}

/** Random outages per device and day, plus the scenario's known outages, cut to the day. */
function offlineWindows(day: SiteDay): Map<string, Window[]> {
  const rng = day.rng('offline');
  const { minMinutes, maxMinutes } = day.rt.config.devices.offline;
  const windows = new Map<string, Window[]>();
  const add = (device: string, from: number, to: number): void => {
    if (to <= from) return;
    const record: OfflineRecord = {
      type: 'offline',
      site: day.rt.id,
      device,
      from: iso(from),
      to: iso(to),
      suppressed: 0,
    };
    windows.set(device, [...(windows.get(device) ?? []), { from, to, record }]);
  };
  const { from: dayFrom, to: dayTo } = day.window;
  for (const profile of day.rt.devices.values()) {
    if (profile.offlinePerDay <= 0) continue;
    const count = rng.poisson(profile.offlinePerDay);
    for (let i = 0; i < count; i++) {
      const from = Math.round(rng.uniform(dayFrom, dayTo));
      add(
        profile.id,
        from,
        Math.min(dayTo, Math.round(from + rng.uniform(minMinutes, maxMinutes) * MINUTE_MS)),
      );
    }
  }
  for (const outage of day.rt.config.devices.outages)
    add(outage.device, Math.max(dayFrom, Date.parse(outage.from)), Math.min(dayTo, Date.parse(outage.to)));
  return windows;
}

/**
 * Payloads and events are written out field by field, never spread: every event then has the same hidden class,
 * which keeps the sorting, merging and serializing downstream monomorphic (spreads made them several times slower).
 */
function toEvent(raw: RawEvent, site: string, topic: string, ts: number, sendAt: number): ScenarioEvent {
  const id = raw.id;
  const time = iso(ts);
  switch (raw.type) {
    case 'door': {
      const b = raw.body;
      const payload = {
        id,
        ts: time,
        credential: b.credential,
        member: b.member,
        direction: b.direction,
        result: b.result,
        method: b.method,
      };
      return { site, at: raw.at, sendAt, topic, type: 'door', device: raw.device, payload };
    }
    case 'sensor':
      return {
        site,
        at: raw.at,
        sendAt,
        topic,
        type: 'sensor',
        device: raw.device,
        payload: { id, ts: time, kind: raw.body.kind, value: raw.body.value },
      };
    case 'booking': {
      const b = raw.body;
      const payload = {
        id,
        ts: time,
        booking: b.booking,
        resource: b.resource,
        member: b.member,
        start: b.start,
        end: b.end,
        status: b.status,
      };
      return { site, at: raw.at, sendAt, topic, type: 'booking', device: null, payload };
    }
  }
}

/** How long the transport holds an event: mostly not at all, sometimes seconds (reordering), rarely minutes. */
function delayOf(rng: Rng, day: SiteDay): { ms: number; reason: 'out_of_order' | 'late' } | null {
  const { outOfOrder, late } = day.rt.config.devices;
  if (outOfOrder.rate === 0 && late.rate === 0) return null;
  const u = rng.next();
  if (u < late.rate)
    return { ms: Math.round(rng.uniform(late.minMinutes, late.maxMinutes) * MINUTE_MS), reason: 'late' };
  if (u < late.rate + outOfOrder.rate)
    return { ms: Math.round(rng.uniform(1000, outOfOrder.maxSeconds * 1000)), reason: 'out_of_order' };
  return null;
}

/**
 * Device noise on the way to the platform, event by event in id order: offline windows swallow events, sensors miss
 * readings, the network drops, delays and duplicates; the device clock's skew goes into `ts`. Booking events come
 * from a booking system over a reliable integration and pass untouched. Every change is logged for the truth.
 */
export function deliver(day: SiteDay, raws: readonly RawEvent[]): Delivery {
  const rng = day.rng('delivery');
  const windows = offlineWindows(day);
  const site = day.rt.id;
  const events: ScenarioEvent[] = [];
  const noise: NoiseRecord[] = [];
  const bookingTopic = `${day.rt.topicPrefix}/${site}/booking`;
  const log = (
    raw: RawEvent & { device: string },
    entry: Partial<NoiseRecord> & Pick<NoiseRecord, 'noise'>,
  ): void => {
    const kind = raw.type === 'sensor' ? raw.body.kind : 'door';
    noise.push({ type: 'noise', site, device: raw.device, kind, id: raw.id, at: iso(raw.at), ...entry });
  };
  for (const raw of raws) {
    if (raw.type === 'booking') {
      events.push(toEvent(raw, site, bookingTopic, raw.at, raw.at));
      continue;
    }
    const profile = day.rt.devices.get(raw.device) as DeviceProfile;
    if (raw.type === 'sensor' && raw.end)
      log(raw, { noise: 'false_trigger', endId: raw.end.id, to: iso(raw.end.at) });
    const offline = windows.get(raw.device)?.find((w) => raw.at >= w.from && raw.at < w.to);
    if (offline) {
      offline.record.suppressed++;
      continue;
    }
    if (raw.origin === 'reading' && profile.miss > 0 && rng.chance(profile.miss)) {
      log(raw, { noise: 'miss' });
      continue;
    }
    if (profile.drop > 0 && rng.chance(profile.drop)) {
      log(raw, { noise: 'drop' });
      continue;
    }
    if (raw.type === 'sensor' && raw.trueValue !== null)
      log(raw, { noise: 'counter', trueValue: raw.trueValue, value: raw.body.value });
    const delay = delayOf(rng, day);
    const sendAt = raw.at + (delay?.ms ?? 0);
    if (delay) log(raw, { noise: 'delay', sendAt: iso(sendAt), delayMs: delay.ms, reason: delay.reason });
    const event = toEvent(raw, site, profile.topic, raw.at + profile.skewMs, sendAt);
    events.push(event);
    if (profile.duplicate > 0 && rng.chance(profile.duplicate)) {
      const again = sendAt + Math.round(rng.uniform(200, 10_000));
      log(raw, { noise: 'duplicate', sendAt: iso(again) });
      events.push(toEvent(raw, site, profile.topic, raw.at + profile.skewMs, again));
    }
  }
  events.sort((a, b) => a.sendAt - b.sendAt);
  const offline = [...windows.values()].flat().map((w) => w.record);
  return { events, noise, offline };
}
