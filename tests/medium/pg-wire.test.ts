import request from 'supertest';
import { MqttClient } from 'mqtt';
import { migrate, PgDatabase } from '@cw/database';
import { connectPublisher, waitFor } from '../support/mqtt-client';
import { migratedSeedPath } from '../support/seeded-database';
import { ADMIN_TOKEN, startPlatform, TestPlatform } from '../support/test-app';
import { startWireDatabase, WireDatabase } from '../support/wire-database';
import { minutesAgo, siteDocument, uniqueId } from '../support/factories';

/**
 * The production code path (`pg` driver, DATABASE_URL) against TimescaleDB, here the embedded build served over the
 * Postgres wire protocol. pglite-socket serves one connection and crashes on messages over 64 KiB, so the pool has
 * one connection and writes are chunked under a message limit, which this test exercises with large batches.
 */
describe('pg adapter over the wire protocol', () => {
  let wire: WireDatabase;
  let db: PgDatabase;
  let platform: TestPlatform;
  let client: MqttClient | undefined;

  beforeAll(async () => {
    wire = await startWireDatabase(await migratedSeedPath());
    db = new PgDatabase({ connectionString: wire.url, poolMax: 1, maxMessageBytes: 48 * 1024 });
    platform = await startPlatform(db, {
      DATABASE_URL: wire.url,
      INGEST_FLUSH_MS: '20',
      INGEST_BATCH_SIZE: '500',
    });
    await platform.putSite('w1', siteDocument());
  });

  afterAll(async () => {
    await client?.endAsync(true);
    await platform.close();
    await db.close();
    await wire.close();
  });

  const count = async (prefix: string) =>
    (
      await db.query<{ n: number }>('SELECT count(*) AS n FROM sensor_readings WHERE event_id LIKE $1', [
        `${prefix}%`,
      ])
    ).rows[0].n;

  it('re-runs migrations as a no-op and reports the hypertables', async () => {
    expect(await migrate(db)).toEqual([]);
    const tables = await db.query<{ hypertable_name: string }>(
      'SELECT hypertable_name FROM timescaledb_information.hypertables ORDER BY hypertable_name',
    );
    expect(tables.rows.map((r) => r.hypertable_name)).toEqual(
      expect.arrayContaining([
        'booking_events',
        'door_events',
        'occupancy_changes',
        'rejected_events',
        'sensor_readings',
      ]),
    );
    expect(db.kind).toBe('server');
  });

  it('stores a 3,000-event HTTP batch (far above 64 KiB) through chunked writes', async () => {
    const prefix = uniqueId('bulk');
    const events = Array.from({ length: 3000 }, (_, i) => ({
      type: 'sensor',
      site: 'w1',
      sensor: 'pir-room-1',
      id: `${prefix}-${i}`,
      ts: minutesAgo(5),
      kind: 'presence',
      value: i % 2,
    }));
    const response = await request(platform.url)
      .post('/v1/events')
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
      .send(events);
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ accepted: 3000, duplicates: 0, rejected: [] });
    expect(await count(prefix)).toBe(3000);
  });

  it('loses nothing and stores nothing twice when the database stops mid-stream and comes back', async () => {
    const key = await platform.createKey('device', 'w1');
    client = await connectPublisher(platform.mqtt.url, key);
    const prefix = uniqueId('outage');
    const total = 600;
    const publishes: Promise<unknown>[] = [];
    let stopped = false;
    for (let i = 0; i < total; i++) {
      const payload = JSON.stringify({
        id: `${prefix}-${i}`,
        ts: minutesAgo(1),
        kind: 'presence',
        value: i % 2,
      });
      publishes.push(client.publishAsync('cw/w1/sensor/pir-room-2', payload, { qos: 1 }));
      if (i === 200) {
        await wire.stop();
        stopped = true;
        setTimeout(() => void wire.start(), 2000);
      }
      if (i % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(stopped).toBe(true);
    await Promise.all(publishes);
    expect(
      await waitFor(
        () => count(prefix),
        (n) => n >= total,
      ),
    ).toBe(total);
    const doubles = await db.query(
      'SELECT event_id FROM sensor_readings WHERE event_id LIKE $1 GROUP BY event_id HAVING count(*) > 1',
      [`${prefix}%`],
    );
    expect(doubles.rows).toEqual([]);
  });
});
