import { httpEnvelopeSchema, payloadSchemas } from '@cw/events';
import { recordsOf, runScenario, scenarioWith } from '../testing/scenario-fixtures';
import { topicType } from '../sim-event';
import { httpItem } from '../transport/wire';
import { serializeScenarioEvent } from './scenario-event';
import { ScenarioStream } from './scenario-stream';
import { MemoryTruth } from './truth-sinks';

const small = scenarioWith();
const week = runScenario(small, '2026-03-02', 7);
const stream = (events: typeof week.events): string => events.map(serializeScenarioEvent).join('\n');

/** Two generated sites an ocean apart, to check how their days interleave. */
const twoSites = scenarioWith(
  {},
  {
    sites: ['mad', 'nyc'].map((id) => ({
      id,
      layout: {
        timeZone: id === 'mad' ? 'Europe/Madrid' : 'America/New_York',
        desksPerFloor: 8,
        meetingRoomsPerFloor: 2,
      },
      population: { plans: { flex: { count: 10 }, day_pass: { count: 2 } } },
      devices: { late: { rate: 0.05, minMinutes: 30, maxMinutes: 600 } },
    })),
  },
);

describe('ScenarioStream', () => {
  it('is deterministic: the same seed gives byte-identical events and truth', () => {
    const again = runScenario(small, '2026-03-02', 7);
    expect(stream(again.events)).toBe(stream(week.events));
    expect(again.serialized).toBe(week.serialized);
    expect(week.events.length).toBeGreaterThan(1500);
  });

  it('differs with another seed, in events and in truth', () => {
    const other = runScenario(small, '2026-03-02', 7, 8);
    expect(stream(other.events)).not.toBe(stream(week.events));
    expect(other.serialized).not.toBe(week.serialized);
    expect(other.events[0].payload.id).toMatch(/^sim-small-8-/);
  });

  it('gives the same stream however it is taken', () => {
    const s = new ScenarioStream(small, { start: '2026-03-02', days: 7 });
    const pieces = [];
    for (let chunk = s.take(37); chunk.length > 0; chunk = s.take(37)) pieces.push(...chunk);
    expect(stream(pieces)).toBe(stream(week.events));
    expect(s.finished).toBe(true);
  });

  it('delivers in sendAt order, and each payload is valid on its topic and as an HTTP item', () => {
    const problems: string[] = [];
    week.events.forEach((e, i) => {
      if (i > 0 && e.sendAt < week.events[i - 1].sendAt) problems.push(`${e.payload.id} out of order`);
      const type = topicType(e.topic);
      if (type !== e.type || !e.topic.startsWith('cw/small/')) problems.push(`topic ${e.topic}`);
      const result = payloadSchemas[e.type].safeParse(e.payload);
      if (!result.success) problems.push(`${e.payload.id}: ${result.error.message}`);
      const item = JSON.parse(httpItem(e)) as Record<string, unknown>;
      const routed = e.type === 'booking' || item[e.type] === e.device;
      if (!httpEnvelopeSchema.safeParse(item).success || item.site !== 'small' || !routed)
        problems.push(`envelope of ${e.payload.id}`);
      const { type: _t, site: _site, door: _d, sensor: _s, ...rest } = item;
      if (JSON.stringify(rest) !== JSON.stringify(e.payload))
        problems.push(`http payload of ${e.payload.id}`);
    });
    expect(problems).toEqual([]);
    expect(new Set(week.events.map((e) => e.type))).toEqual(new Set(['door', 'sensor', 'booking']));
  });

  it('gives each event a unique id; only logged duplicates repeat one', () => {
    const seen = new Map<string, number>();
    for (const e of week.events) seen.set(e.payload.id, (seen.get(e.payload.id) ?? 0) + 1);
    const repeated = [...seen].filter(([, n]) => n > 1).map(([id]) => id);
    const logged = recordsOf(week.truth, 'noise')
      .filter((n) => n.noise === 'duplicate')
      .map((n) => n.id);
    expect(repeated.sort()).toEqual([...logged].sort());
    expect(logged.length).toBeGreaterThan(0);
  });

  it('books ahead: each booking is created before it starts, once, and cancelled after being created', () => {
    const bookings = week.events.flatMap((e) => (e.type === 'booking' ? [e] : []));
    const created = new Map(
      bookings.filter((b) => b.payload.status === 'created').map((b) => [b.payload.booking, b]),
    );
    const truth = recordsOf(week.truth, 'booking');
    expect(truth.length).toBeGreaterThan(5);
    for (const t of truth) {
      const c = created.get(t.booking);
      expect(c?.at).toBe(Date.parse(t.createdAt));
      expect(Date.parse(t.createdAt)).toBeLessThan(Date.parse(t.start));
    }
    for (const b of bookings.filter((x) => x.payload.status === 'cancelled'))
      expect(b.at).toBeGreaterThan(created.get(b.payload.booking)?.at ?? Infinity);
    expect(bookings.filter((b) => b.payload.status === 'created')).toHaveLength(truth.length);
  });

  it('writes a header first: the run, members with plan, company, churn and payment profile, devices with skew', () => {
    const [run, ...rest] = week.truth;
    expect(run).toEqual({
      type: 'run',
      scenario: 'small-test',
      seed: 7,
      start: '2026-03-02',
      days: 7,
      sites: ['small'],
    });
    const members = recordsOf(rest, 'member');
    expect(members).toHaveLength(12);
    expect(members.map((m) => m.plan)).toEqual([
      ...Array(6).fill('flex'),
      'fixed_desk',
      'fixed_desk',
      'private_office',
      'private_office',
      'day_pass',
      'day_pass',
    ]);
    expect(members.filter((m) => m.plan === 'fixed_desk').map((m) => m.desk)).toEqual(['desk-1', 'desk-2']);
    expect(
      members.every((m) => ['on_time', 'late', 'very_late', 'defaulter'].includes(m.lateness.profile)),
    ).toBe(true);
    expect(
      members
        .filter((m) => m.plan === 'day_pass')
        .every((m) => m.churnDate === null && m.credential.startsWith('pass-')),
    ).toBe(true);
    expect(recordsOf(rest, 'device')).toHaveLength(12);
  });

  it('interleaves sites of different time zones in delivery order, late deliveries crossing midnight included', () => {
    const run = runScenario(twoSites, '2026-03-02', 4);
    const sites = new Set(run.events.map((e) => e.site));
    expect(sites).toEqual(new Set(['mad', 'nyc']));
    run.events.forEach((e, i) => i > 0 && expect(e.sendAt).toBeGreaterThanOrEqual(run.events[i - 1].sendAt));
    const late = recordsOf(run.truth, 'noise').filter((n) => n.noise === 'delay' && n.reason === 'late');
    expect(late.some((n) => (n.sendAt ?? '').slice(0, 10) !== n.at.slice(0, 10))).toBe(true);
    const truth = new MemoryTruth();
    const endless = new ScenarioStream(twoSites, { start: '2026-03-02', days: Infinity, truth });
    expect(endless.take(5000)).toHaveLength(5000);
    expect(recordsOf(truth.records, 'run')[0].days).toBeNull();
  });
});
