import { payloadSchemas } from '@cw/events';
import { generateDay, generateDays, SimDay } from './demo-day.generator';
import { serializeEvent, SimEvent, topicType } from './sim-event';
import { loadSiteFile } from './site-file';
import { serializeTruth } from './truth';
import { localMinutes, MINUTE_MS } from './zoned-time';

const site = loadSiteFile();
const TZ = site.timeZone;
const WEDNESDAY = '2026-03-04';
const day = (seed: number, date = WEDNESDAY, extra: { noShowRate?: number } = {}): SimDay =>
  generateDay({ site, siteId: 'demo', seed, date, ...extra });
const stream = (d: SimDay): string => d.events.map(serializeEvent).join('\n');

const wednesday = day(42);
/** Four weeks, Monday 2026-03-02 onwards, for the statistical checks. */
const month = generateDays({ site, siteId: 'demo', seed: 7, date: '2026-03-02', days: 28 });
const monthEvents = month.flatMap((d) => d.events);

const devicesServing = (resource: string, type: 'door' | 'sensor'): Set<string> =>
  new Set(site.devices.filter((d) => d.type === type && d.resources.includes(resource)).map((d) => d.id));
const deviceOf = (event: SimEvent): string => event.topic.split('/')[3] ?? '';

describe('generateDay', () => {
  it('is deterministic: the same seed gives byte-identical events and truth', () => {
    const again = day(42);
    expect(stream(again)).toBe(stream(wednesday));
    expect(serializeTruth(again.truth)).toBe(serializeTruth(wednesday.truth));
    expect(wednesday.events.length).toBeGreaterThan(1000);
  });

  it('differs with another seed or another day', () => {
    const other = day(43);
    expect(stream(other)).not.toBe(stream(wednesday));
    expect(serializeTruth(other.truth)).not.toBe(serializeTruth(wednesday.truth));
    expect(stream(day(42, '2026-03-05'))).not.toBe(stream(wednesday));
  });

  it('produces payloads valid for the schema of their topic, on the site topics', () => {
    const problems: string[] = [];
    for (const event of monthEvents) {
      const type = topicType(event.topic);
      if (type === null || type !== event.type || !event.topic.startsWith('cw/demo/'))
        problems.push(`topic ${event.topic}`);
      else {
        const result = payloadSchemas[type].safeParse(event.payload);
        if (!result.success)
          problems.push(`${event.topic} ${JSON.stringify(event.payload)}: ${result.error.message}`);
      }
      if (event.payload.ts !== event.at.toISOString()) problems.push(`ts of ${event.payload.id}`);
    }
    expect(problems).toEqual([]);
    expect(new Set(monthEvents.map((e) => e.type))).toEqual(new Set(['door', 'sensor', 'booking']));
  });

  it('orders events by time, keeps them inside the day, and gives each a unique stable id', () => {
    const problems: string[] = [];
    for (const d of month) {
      d.events.forEach((e, i) => {
        const t = e.at.getTime();
        if (i > 0 && t < d.events[i - 1].at.getTime()) problems.push(`${e.payload.id} out of order`);
        if (t < d.start.getTime() || t >= d.end.getTime()) problems.push(`${e.payload.id} outside ${d.date}`);
      });
    }
    expect(problems).toEqual([]);
    const ids = monthEvents.map((e) => e.payload.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(wednesday.events[0].payload.id).toBe('sim-42-20260304-1');
  });

  it('has a morning peak: more entrance arrivals 08:00-10:00 than 14:00-16:00 local', () => {
    const arrivals = monthEvents.filter(
      (e) =>
        e.type === 'door' &&
        deviceOf(e) === 'door-main' &&
        e.payload.result === 'granted' &&
        e.payload.direction === 'in',
    );
    const between = (from: number, to: number): number =>
      arrivals.filter((e) => localMinutes(e.at, TZ) >= from * 60 && localMinutes(e.at, TZ) < to * 60).length;
    expect(between(8, 10)).toBeGreaterThan(2 * between(14, 16));
    expect(
      arrivals.every(
        (e) => e.type === 'door' && e.payload.member && e.payload.credential.startsWith('card-'),
      ),
    ).toBe(true);
  });

  it('keeps the entrance count consistent: never more out than in, everyone out by the end of the day', () => {
    for (const d of month) {
      let inside = 0;
      for (const e of d.events) {
        if (e.type !== 'sensor' || deviceOf(e) !== 'counter-main') continue;
        inside += e.payload.kind === 'people_in' ? e.payload.value : -e.payload.value;
        expect(inside).toBeGreaterThanOrEqual(0);
      }
      expect(inside).toBe(0);
    }
  });

  it('books meeting rooms on 30-minute boundaries for 30 to 120 minutes, created ahead, never overlapping', () => {
    const bookings = monthEvents.filter((e) => e.type === 'booking');
    const created = bookings.filter((e) => e.type === 'booking' && e.payload.status === 'created');
    expect(created.length).toBeGreaterThan(200);
    const byRoom = new Map<string, Array<[number, number]>>();
    for (const e of created) {
      if (e.type !== 'booking') continue;
      const start = Date.parse(e.payload.start);
      const end = Date.parse(e.payload.end);
      expect(start % (30 * MINUTE_MS)).toBe(0);
      expect((end - start) / MINUTE_MS).toBeGreaterThanOrEqual(30);
      expect((end - start) / MINUTE_MS).toBeLessThanOrEqual(120);
      expect(e.at.getTime()).toBeLessThanOrEqual(start - 30 * MINUTE_MS);
      byRoom.set(e.payload.resource, [...(byRoom.get(e.payload.resource) ?? []), [start, end]]);
    }
    for (const spans of byRoom.values()) {
      spans.sort((a, b) => a[0] - b[0]);
      spans.forEach((s, i) => i > 0 && expect(s[0]).toBeGreaterThanOrEqual(spans[i - 1][1]));
    }
    const cancelled = bookings.filter((e) => e.type === 'booking' && e.payload.status === 'cancelled');
    expect(cancelled.length).toBeGreaterThan(0);
    for (const c of cancelled) {
      if (c.type !== 'booking') continue;
      const original = created.find((e) => e.type === 'booking' && e.payload.booking === c.payload.booking);
      expect(original?.at.getTime()).toBeLessThan(c.at.getTime());
      expect(c.at.getTime()).toBeLessThan(Date.parse(c.payload.start));
    }
  });

  it('holds the configured no-show share over many days', () => {
    const share = (days: SimDay[]): number => {
      const held = days.flatMap((d) => d.truth.bookings).filter((b) => b.outcome !== 'cancelled');
      return held.filter((b) => b.outcome === 'no_show').length / held.length;
    };
    expect(Math.abs(share(month) - 0.15)).toBeLessThan(0.04);
    const often = generateDays({
      site,
      siteId: 'demo',
      seed: 8,
      date: '2026-03-02',
      days: 14,
      noShowRate: 0.4,
    });
    expect(Math.abs(share(often) - 0.4)).toBeLessThan(0.06);
    expect(
      share(generateDays({ site, siteId: 'demo', seed: 9, date: '2026-03-02', days: 5, noShowRate: 0 })),
    ).toBe(0);
  });

  it('gives each attended booking evidence within 15 minutes of its start, and no-shows none at all', () => {
    const window = 15 * MINUTE_MS;
    for (const d of month) {
      for (const b of d.truth.bookings) {
        const start = Date.parse(b.start);
        const doors = devicesServing(b.resource, 'door');
        const sensors = devicesServing(b.resource, 'sensor');
        const inRoom = (e: SimEvent): boolean =>
          (e.type === 'door' && doors.has(deviceOf(e))) || (e.type === 'sensor' && sensors.has(deviceOf(e)));
        const evidence = d.events.filter(
          (e) =>
            e.at.getTime() >= start - window &&
            e.at.getTime() <= start + window &&
            ((e.type === 'door' &&
              doors.has(deviceOf(e)) &&
              e.payload.member === b.member &&
              e.payload.result === 'granted') ||
              (e.type === 'sensor' &&
                sensors.has(deviceOf(e)) &&
                e.payload.kind === 'presence' &&
                e.payload.value === 1)),
        );
        if (b.outcome === 'attended') {
          expect(evidence.length).toBeGreaterThan(0);
          expect(b.evidenceAt).toBe(evidence[0].at.toISOString());
        } else {
          const anything = d.events.filter(
            (e) => inRoom(e) && e.at.getTime() >= start - window && e.at.getTime() <= Date.parse(b.end),
          );
          expect(anything).toEqual([]);
          expect(b.evidenceAt).toBeNull();
        }
      }
    }
  });

  it('reports presence like a PIR sensor: 1 on arrival, repeated every few minutes, 0 on leaving', () => {
    const desk = wednesday.truth.presence.find(
      (p) => p.resource.startsWith('desk-') && Date.parse(p.to) - Date.parse(p.from) > 60 * MINUTE_MS,
    );
    if (!desk) throw new Error('expected someone at a desk for over an hour');
    const readings = wednesday.events.filter(
      (e) =>
        e.type === 'sensor' &&
        deviceOf(e) === `pir-${desk.resource}` &&
        e.at.getTime() >= Date.parse(desk.from) &&
        e.at.getTime() <= Date.parse(desk.to),
    );
    const values = readings.map((e) => (e.type === 'sensor' ? e.payload.value : -1));
    expect(values[0]).toBe(1);
    expect(values[values.length - 1]).toBe(0);
    expect(values.slice(0, -1).every((v) => v === 1)).toBe(true);
    const gaps = readings.slice(1, -1).map((e, i) => e.at.getTime() - readings[i].at.getTime());
    expect(Math.max(...gaps)).toBeLessThanOrEqual(6 * MINUTE_MS);
  });

  it('never seats two people at one desk or booth at once', () => {
    for (const d of month) {
      const byResource = new Map<string, Array<[number, number]>>();
      for (const p of d.truth.presence) {
        if (p.resource.startsWith('desk-') || p.resource.startsWith('booth-')) {
          byResource.set(p.resource, [
            ...(byResource.get(p.resource) ?? []),
            [Date.parse(p.from), Date.parse(p.to)],
          ]);
        }
      }
      for (const spans of byResource.values()) {
        spans.sort((a, b) => a[0] - b[0]);
        spans.forEach((s, i) => i > 0 && expect(s[0]).toBeGreaterThan(spans[i - 1][1]));
      }
    }
  });

  it('uses phone booths ad hoc for 5 to 30 minutes', () => {
    const calls = month.flatMap((d) => d.truth.presence).filter((p) => p.resource.startsWith('booth-'));
    expect(calls.length).toBeGreaterThan(100);
    for (const c of calls) {
      const minutes = (Date.parse(c.to) - Date.parse(c.from)) / MINUTE_MS;
      expect(minutes).toBeGreaterThanOrEqual(5);
      expect(minutes).toBeLessThanOrEqual(30);
    }
  });

  it('is quiet on Sunday, when the site is closed, and quieter on a Saturday morning', () => {
    const sunday = day(42, '2026-03-08');
    expect(sunday.events).toEqual([]);
    expect(sunday.truth.bookings).toEqual([]);
    const saturday = day(42, '2026-03-07');
    expect(saturday.events.length).toBeGreaterThan(0);
    expect(saturday.events.length).toBeLessThan(wednesday.events.length / 2);
    for (const e of saturday.events.filter((x) => x.type !== 'booking')) {
      expect(localMinutes(e.at, TZ)).toBeGreaterThanOrEqual(9 * 60);
      expect(localMinutes(e.at, TZ)).toBeLessThanOrEqual(14 * 60 + 5);
    }
  });

  it('rejects a seed that would not reproduce', () => {
    expect(() => day(-1)).toThrow('seed');
    expect(() => day(1.5)).toThrow('seed');
    expect(() => day(1, WEDNESDAY, { noShowRate: 2 })).toThrow('noShowRate');
  });
});
