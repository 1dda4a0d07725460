import request from 'supertest';
import { Database } from '@cw/database';
import { openSeededDatabase } from '../support/seeded-database';
import { ADMIN_TOKEN, startPlatform, TestPlatform } from '../support/test-app';
import { minutesAgo, siteDocument, uniqueId } from '../support/factories';

describe('POST /v1/events (HTTP ingest, embedded TimescaleDB)', () => {
  let db: Database;
  let platform: TestPlatform;
  let integrationKey: string;

  beforeAll(async () => {
    db = await openSeededDatabase();
    platform = await startPlatform(db);
    await platform.putSite('s1', siteDocument());
    await platform.putSite('s2', siteDocument({ name: 'Other' }));
    integrationKey = await platform.createKey('integration', 's1');
  });

  afterAll(async () => {
    await platform.close();
    await db.close();
  });

  const post = (body: unknown, key = integrationKey) =>
    request(platform.url)
      .post('/v1/events')
      .set('Authorization', `Bearer ${key}`)
      .send(body as object);

  const count = async (sql: string, params: unknown[]) =>
    (await db.query<{ n: number }>(sql, params)).rows[0].n;

  it('stores the valid items of a mixed batch and reports the invalid ones by index', async () => {
    const ids = [uniqueId('d'), uniqueId('s'), uniqueId('b'), uniqueId('bad'), uniqueId('bad2')];
    const response = await post({
      events: [
        {
          type: 'door',
          site: 's1',
          door: 'door-room-1',
          id: ids[0],
          ts: minutesAgo(3),
          credential: 'card-7',
          member: 'm7',
          direction: 'in',
          result: 'granted',
        },
        {
          type: 'sensor',
          site: 's1',
          sensor: 'pir-room-1',
          id: ids[1],
          ts: minutesAgo(2),
          kind: 'presence',
          value: 1,
        },
        {
          type: 'booking',
          site: 's1',
          id: ids[2],
          ts: minutesAgo(10),
          booking: 'bk-1',
          resource: 'room-2',
          member: 'm7',
          start: minutesAgo(-90),
          end: minutesAgo(-30),
          status: 'created',
        },
        {
          type: 'sensor',
          site: 's1',
          sensor: 'pir-room-1',
          id: ids[3],
          ts: 'yesterday',
          kind: 'presence',
          value: 1,
        },
        {
          type: 'door',
          site: 's1',
          door: 'door-nowhere',
          id: ids[4],
          ts: minutesAgo(1),
          credential: 'c',
          result: 'denied',
        },
      ],
    });
    expect(response.status).toBe(202);
    expect(response.body.accepted).toBe(2);
    expect(response.body.duplicates).toBe(0);
    expect(response.body.rejected).toEqual([
      { index: 2, errors: [{ path: 'end', message: 'must be after start' }] },
      {
        index: 3,
        errors: [{ path: 'ts', message: 'must be ISO 8601 with an offset, e.g. 2026-03-01T09:00:00Z' }],
      },
      { index: 4, errors: [{ path: 'door', message: 'unknown door door-nowhere at site s1' }] },
    ]);
    expect(
      await count('SELECT count(*) AS n FROM door_events WHERE site_id = $1 AND event_id = $2', [
        's1',
        ids[0],
      ]),
    ).toBe(1);
    const reading = await db.query<{ resource_id: string; value: number }>(
      'SELECT resource_id, value FROM sensor_readings WHERE site_id = $1 AND event_id = $2',
      ['s1', ids[1]],
    );
    expect(reading.rows).toEqual([{ resource_id: 'room-1', value: 1 }]);
    const dead = await db.query<{ reason: string; raw: string; event_id: string }>(
      'SELECT reason, raw, event_id FROM rejected_events WHERE site_id = $1 AND event_id = ANY($2::text[]) ORDER BY event_id',
      ['s1', [ids[3], ids[4]]],
    );
    expect(dead.rows.map((r) => r.event_id).sort()).toEqual([ids[3], ids[4]].sort());
    expect(dead.rows.find((r) => r.event_id === ids[4])?.reason).toBe('unknown door door-nowhere at site s1');
    expect(JSON.parse(dead.rows.find((r) => r.event_id === ids[3])!.raw)).toMatchObject({
      id: ids[3],
      ts: 'yesterday',
    });
  });

  it('drops duplicates by event id, inside a batch and across batches', async () => {
    const id = uniqueId('dup');
    const event = {
      type: 'sensor',
      site: 's1',
      sensor: 'pir-room-2',
      id,
      ts: minutesAgo(1),
      kind: 'presence',
      value: 0,
    };
    const first = await post([event, event]);
    expect(first.body).toEqual({ accepted: 1, duplicates: 1, rejected: [] });
    const again = await post([event]);
    expect(again.body).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
    expect(
      await count('SELECT count(*) AS n FROM sensor_readings WHERE site_id = $1 AND event_id = $2', [
        's1',
        id,
      ]),
    ).toBe(1);
  });

  it('clamps a device clock running ahead, keeps both times and flags the skew', async () => {
    const id = uniqueId('skew');
    const deviceTs = new Date(Date.now() + 3600_000).toISOString();
    const response = await post([
      { type: 'sensor', site: 's1', sensor: 'pir-room-2', id, ts: deviceTs, kind: 'presence', value: 1 },
    ]);
    expect(response.body.accepted).toBe(1);
    const row = (
      await db.query<{ ts: Date; device_ts: Date; received_at: Date; clock_skew_ms: number }>(
        'SELECT ts, device_ts, received_at, clock_skew_ms FROM sensor_readings WHERE site_id = $1 AND event_id = $2',
        ['s1', id],
      )
    ).rows[0];
    expect(row.device_ts.toISOString()).toBe(deviceTs);
    expect(row.ts.getTime()).toBe(row.received_at.getTime());
    expect(row.clock_skew_ms).toBeGreaterThan(3500_000);
  });

  it('dead-letters timestamps far in the future or past with the reason', async () => {
    const future = uniqueId('future');
    const past = uniqueId('past');
    const response = await post([
      {
        type: 'sensor',
        site: 's1',
        sensor: 'pir-room-2',
        id: future,
        ts: '2099-01-01T00:00:00Z',
        kind: 'presence',
        value: 1,
      },
      {
        type: 'sensor',
        site: 's1',
        sensor: 'pir-room-2',
        id: past,
        ts: '2001-01-01T00:00:00Z',
        kind: 'presence',
        value: 1,
      },
    ]);
    expect(response.body.rejected).toEqual([
      { index: 0, errors: [{ path: 'ts', message: 'timestamp is more than a year in the future' }] },
      { index: 1, errors: [{ path: 'ts', message: 'timestamp is older than 400 days' }] },
    ]);
    expect(
      await count('SELECT count(*) AS n FROM rejected_events WHERE event_id = ANY($1::text[])', [
        [future, past],
      ]),
    ).toBe(2);
  });

  it('refuses items for a site the key does not cover, and takes the rest', async () => {
    const mine = uniqueId('mine');
    const theirs = uniqueId('theirs');
    const response = await post([
      {
        type: 'sensor',
        site: 's1',
        sensor: 'pir-room-1',
        id: mine,
        ts: minutesAgo(1),
        kind: 'presence',
        value: 1,
      },
      {
        type: 'sensor',
        site: 's2',
        sensor: 'pir-room-1',
        id: theirs,
        ts: minutesAgo(1),
        kind: 'presence',
        value: 1,
      },
    ]);
    expect(response.body.accepted).toBe(1);
    expect(response.body.rejected).toEqual([
      { index: 1, errors: [{ path: 'site', message: 'this key may not send events for site s2' }] },
    ]);
    expect(await count('SELECT count(*) AS n FROM sensor_readings WHERE event_id = $1', [theirs])).toBe(0);
  });

  it('answers 401 without a valid key and 403 for a role that may not call the route', async () => {
    const noKey = await request(platform.url).post('/v1/events').send([]);
    expect(noKey.status).toBe(401);
    expect(noKey.body.error).toBe('unauthenticated');
    expect((await post([], 'cwk_not-a-real-key')).status).toBe(401);
    const deviceKey = await platform.createKey('device', 's1');
    const siteWrite = await request(platform.url)
      .put('/v1/sites/s1')
      .set('Authorization', `Bearer ${deviceKey}`)
      .send(siteDocument());
    expect(siteWrite.status).toBe(403);
    expect(
      (await request(platform.url).get('/v1/keys').set('Authorization', `Bearer ${integrationKey}`)).status,
    ).toBe(403);
    expect((await request(platform.url).get('/metrics')).status).toBe(401);
  });

  it('gives clear errors for a malformed body, a body of the wrong shape and an oversized batch', async () => {
    const malformed = await request(platform.url)
      .post('/v1/events')
      .set('Authorization', `Bearer ${integrationKey}`)
      .set('Content-Type', 'application/json')
      .send('{"events": [');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toBe('validation_failed');
    const wrongShape = await post({ items: [] });
    expect(wrongShape.status).toBe(400);
    expect(wrongShape.body.errors).toEqual([{ path: 'events', message: 'required array' }]);
    const big = Array.from({ length: 5001 }, (_, i) => ({
      type: 'sensor',
      site: 's1',
      sensor: 'x',
      id: `big-${i}`,
      ts: minutesAgo(1),
      kind: 'co2',
      value: 400,
    }));
    const oversized = await post(big);
    expect(oversized.status).toBe(413);
    expect(oversized.body.message).toBe('batch holds 5001 events; at most 5000 per request');
  });

  it('exposes ingest counters on /metrics and health on /health', async () => {
    const metrics = await request(platform.url).get('/metrics').set('Authorization', `Bearer ${ADMIN_TOKEN}`);
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/cw_events_in_total\{type="sensor",source="http"\} \d+/);
    expect(metrics.text).toMatch(/cw_events_duplicates_total\{source="http"\} [1-9]/);
    expect(metrics.text).toMatch(/cw_events_rejected_total\{source="http"\} [1-9]/);
    expect(metrics.text).toContain('cw_ingest_batch_size_bucket');
    expect(metrics.text).toContain('cw_ingest_write_seconds_bucket');
    const health = await request(platform.url).get('/health');
    expect(health.status).toBe(200);
    expect(health.body.info.database).toEqual({ status: 'up', kind: 'embedded' });
  });
});
