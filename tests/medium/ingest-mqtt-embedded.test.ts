import { MqttClient } from 'mqtt';
import { Database } from '@cw/database';
import { connectPublisher, waitFor } from '../support/mqtt-client';
import { openSeededDatabase } from '../support/seeded-database';
import { startPlatform, TestPlatform } from '../support/test-app';
import { minutesAgo, siteDocument, uniqueId } from '../support/factories';

describe('MQTT ingest through the embedded broker (aedes)', () => {
  let db: Database;
  let platform: TestPlatform;
  let deviceKey: string;
  const clients: MqttClient[] = [];

  beforeAll(async () => {
    db = await openSeededDatabase();
    platform = await startPlatform(db, { INGEST_FLUSH_MS: '50' });
    await platform.putSite('s1', siteDocument());
    await platform.putSite('s2', siteDocument());
    deviceKey = await platform.createKey('device', 's1');
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await platform.close();
    await db.close();
  });

  const publisher = async (key: string | undefined = deviceKey, options = {}) => {
    const client = await connectPublisher(platform.mqtt.url, key, options);
    clients.push(client);
    return client;
  };
  const stored = async (prefix: string) =>
    (
      await db.query<{ n: number }>('SELECT count(*) AS n FROM sensor_readings WHERE event_id LIKE $1', [
        `${prefix}%`,
      ])
    ).rows[0].n;
  const reading = (id: string) => JSON.stringify({ id, ts: minutesAgo(1), kind: 'presence', value: 1 });

  it('stores events published one by one and as arrays, exactly once, before acknowledging them', async () => {
    const client = await publisher();
    const prefix = uniqueId('single');
    for (let i = 0; i < 20; i++)
      await client.publishAsync('cw/s1/sensor/pir-room-1', reading(`${prefix}-${i}`), { qos: 1 });
    // publishAsync resolved on PUBACK, which the broker sends only after the write: no waiting needed.
    expect(await stored(prefix)).toBe(20);
    const batch = Array.from({ length: 50 }, (_, i) => JSON.parse(reading(`${prefix}-arr-${i}`)) as object);
    await client.publishAsync('cw/s1/sensor/pir-room-2', JSON.stringify(batch), { qos: 1 });
    expect(await stored(`${prefix}-arr-`)).toBe(50);
  });

  it('stores each event once when a publisher reconnects and redelivers unacknowledged messages', async () => {
    const prefix = uniqueId('redeliver');
    const client = await publisher(deviceKey, { clean: false, clientId: `redeliver-${process.pid}` });
    const publishes = Array.from({ length: 200 }, (_, i) =>
      client.publishAsync('cw/s1/sensor/pir-room-1', reading(`${prefix}-${i}`), { qos: 1 }),
    );
    // Cut the connection while PUBACKs are outstanding: mqtt.js resends every unacknowledged message on reconnect.
    setImmediate(() => client.stream.destroy());
    await Promise.all(publishes);
    const count = await waitFor(
      () => stored(prefix),
      (n) => n >= 200,
    );
    expect(count).toBe(200);
    const rows = await db.query<{ event_id: string; n: number }>(
      'SELECT event_id, count(*) AS n FROM sensor_readings WHERE event_id LIKE $1 GROUP BY event_id HAVING count(*) > 1',
      [`${prefix}%`],
    );
    expect(rows.rows).toEqual([]);
  });

  it('dead-letters a malformed payload with its raw text, and an unknown topic, and still acknowledges them', async () => {
    const client = await publisher();
    const marker = uniqueId('garbage');
    await client.publishAsync('cw/s1/sensor/pir-room-1', `{"id":"${marker}", not json`, { qos: 1 });
    await client.publishAsync('cw/s1/door', JSON.stringify({ id: marker }), { qos: 1 });
    const dead = await db.query<{ reason: string; raw: string; topic: string; source: string }>(
      'SELECT reason, raw, topic, source FROM rejected_events WHERE raw LIKE $1 ORDER BY topic',
      [`%${marker}%`],
    );
    expect(dead.rows).toHaveLength(2);
    expect(dead.rows[0]).toMatchObject({
      topic: 'cw/s1/door',
      reason: 'unknown topic cw/s1/door',
      source: 'mqtt',
    });
    expect(dead.rows[1].reason).toMatch(/^malformed JSON/);
    expect(dead.rows[1].raw).toBe(`{"id":"${marker}", not json`);
  });

  it('refuses a device key publishing to another site: the connection is closed and nothing is stored', async () => {
    const client = await publisher(deviceKey, { reconnectPeriod: 0 });
    const id = uniqueId('intruder');
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.publish('cw/s2/sensor/pir-room-1', reading(id), { qos: 1 });
    await closed;
    expect(await stored(id)).toBe(0);
  });

  it('refuses a connection without a valid API key', async () => {
    await expect(connectPublisher(platform.mqtt.url, 'cwk_wrong', { reconnectPeriod: 0 })).rejects.toThrow(
      /Bad username or password|Not authorized/i,
    );
    await expect(connectPublisher(platform.mqtt.url, undefined, { reconnectPeriod: 0 })).rejects.toThrow();
  });
});
