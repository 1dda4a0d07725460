import { MqttClient, connectAsync } from 'mqtt';
import { Registry } from 'prom-client';
import { Database } from '@cw/database';
import { ExternalBrokerTransport } from '@cw/mqtt';
import { resolveService, ResolvedService } from '../support/service-discovery';
import { waitFor } from '../support/mqtt-client';
import { openSeededDatabase } from '../support/seeded-database';
import { startPlatform, TestPlatform } from '../support/test-app';
import { minutesAgo, siteDocument, uniqueId } from '../support/factories';

/**
 * Ingest as a client of an external broker (the machine's Mosquitto): a shared subscription with a persistent
 * session, each PUBACK held until the event is stored. A unique topic prefix keeps runs apart on a shared broker.
 */
describe('MQTT ingest from an external broker (Mosquitto)', () => {
  let broker: ResolvedService;
  let db: Database;
  let platform: TestPlatform;
  let publisher: MqttClient;
  const prefix = `cwt${process.pid}${Date.now().toString(36)}`;

  beforeAll(async () => {
    broker = await resolveService('mqtt');
    db = await openSeededDatabase();
    // A long flush window keeps messages received but unacknowledged, so a dropped connection forces redelivery.
    platform = await startPlatform(db, {
      MQTT_URL: broker.url,
      MQTT_TOPIC_PREFIX: prefix,
      MQTT_CLIENT_ID: `${prefix}-ingest`,
      INGEST_FLUSH_MS: '1500',
    });
    await platform.putSite('m1', siteDocument());
    publisher = await connectAsync(broker.url, { clientId: `${prefix}-pub`, reconnectPeriod: 200 });
  });

  afterAll(async () => {
    await publisher?.endAsync(true);
    await platform?.close();
    await db?.close();
    await broker?.stop();
  });

  const count = async (idPrefix: string) =>
    (
      await db.query<{ n: number }>('SELECT count(*) AS n FROM sensor_readings WHERE event_id LIKE $1', [
        `${idPrefix}%`,
      ])
    ).rows[0].n;
  const publish = (ids: string[]) =>
    Promise.all(
      ids.map((id) =>
        publisher.publishAsync(
          `${prefix}/m1/sensor/pir-room-1`,
          JSON.stringify({ id, ts: minutesAgo(1), kind: 'presence', value: 1 }),
          { qos: 1 },
        ),
      ),
    );
  const duplicatesCounted = async () => {
    const text = await platform.app.get(Registry).metrics();
    const match = /cw_events_duplicates_total\{source="mqtt"\} (\d+)/.exec(text);
    return match ? Number(match[1]) : 0;
  };

  it('stores events published to the broker exactly once', async () => {
    const idPrefix = uniqueId('mosq');
    await publish(Array.from({ length: 100 }, (_, i) => `${idPrefix}-${i}`));
    expect(
      await waitFor(
        () => count(idPrefix),
        (n) => n >= 100,
      ),
    ).toBe(100);
  });

  it('stores each event once after a forced reconnect makes the broker redeliver unacknowledged messages', async () => {
    const idPrefix = uniqueId('redeliver');
    const before = await duplicatesCounted();
    await publish(Array.from({ length: 100 }, (_, i) => `${idPrefix}-${i}`));
    // Received, batched, not yet written nor acknowledged: drop the link as a network fault would.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await count(idPrefix)).toBe(0);
    (platform.mqtt as ExternalBrokerTransport).dropConnection();
    expect(
      await waitFor(
        () => count(idPrefix),
        (n) => n >= 100,
      ),
    ).toBe(100);
    // The messages in flight when the link dropped (the broker's in-flight window, 20 by default on Mosquitto) come
    // again after the first copies were stored: they must be recognised as duplicates, not stored twice.
    expect(await waitFor(duplicatesCounted, (n) => n > before)).toBeGreaterThan(before);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await count(idPrefix)).toBe(100);
  });
});
