import request from 'supertest';
import { MqttClient } from 'mqtt';
import { EmbeddedDatabase } from '@cw/database';
import { OccupancySnapshot, ResourceState } from '@cw/events';
import { OccupancyEngine } from '@cw/occupancy';
import { BorrowedDatabase } from '../support/borrowed-database';
import { connectPublisher, waitFor } from '../support/mqtt-client';
import { openSeededDatabase } from '../support/seeded-database';
import { ADMIN_TOKEN, startPlatform, TestPlatform } from '../support/test-app';
import { siteDocument, uniqueId } from '../support/factories';

describe('occupancy engine', () => {
  let db: EmbeddedDatabase;
  let platform: TestPlatform;
  let device: MqttClient;
  let watcher: MqttClient;
  const retained = new Map<string, ResourceState>();

  beforeAll(async () => {
    db = await openSeededDatabase();
    platform = await startPlatform(new BorrowedDatabase(db), { INGEST_FLUSH_MS: '10' });
    await platform.putSite('o1', siteDocument());
    device = await connectPublisher(platform.mqtt.url, await platform.createKey('device', 'o1'));
    watcher = await connectPublisher(platform.mqtt.url, await platform.createKey('integration', 'o1'));
    watcher.on('message', (topic, payload) =>
      retained.set(topic, JSON.parse(payload.toString()) as ResourceState),
    );
    await watcher.subscribeAsync('cw/o1/state/+', { qos: 1 });
  });

  afterAll(async () => {
    await device?.endAsync(true);
    await watcher?.endAsync(true);
    await platform?.close();
    await db.close();
  });

  const occupancy = async (): Promise<OccupancySnapshot> =>
    (await request(platform.url).get('/v1/sites/o1/occupancy').set('Authorization', `Bearer ${ADMIN_TOKEN}`))
      .body as OccupancySnapshot;
  const stateOf = async (resourceId: string) =>
    (await occupancy()).resources.find((r) => r.resourceId === resourceId)?.state;
  const presence = (sensor: string, value: number) =>
    device.publishAsync(
      `cw/o1/sensor/${sensor}`,
      JSON.stringify({ id: uniqueId('p'), ts: new Date().toISOString(), kind: 'presence', value }),
      { qos: 1 },
    );

  it('starts with every resource free', async () => {
    const snapshot = await occupancy();
    expect(snapshot.resources.map((r) => [r.resourceId, r.state])).toEqual([
      ['desk-1', 'free'],
      ['room-1', 'free'],
      ['room-2', 'free'],
    ]);
  });

  it('turns a room occupied on presence, records the change, and publishes retained MQTT state', async () => {
    await presence('pir-room-1', 1);
    expect(
      await waitFor(
        () => stateOf('room-1'),
        (s) => s === 'occupied',
      ),
    ).toBe('occupied');
    const heard = await waitFor(
      async () => retained.get('cw/o1/state/room-1'),
      (s) => s?.state === 'occupied',
    );
    expect(heard).toMatchObject({ siteId: 'o1', resourceId: 'room-1', state: 'occupied' });
    // The change log is written behind the live feed (batched every 50 ms): wait for it before reading it back.
    await platform.app.get(OccupancyEngine).settled();
    const rows = await db.query<{ state: string; previous: string }>(
      "SELECT state, previous FROM occupancy_changes WHERE site_id = 'o1' AND resource_id = 'room-1' ORDER BY ts DESC LIMIT 1",
    );
    expect(rows.rows[0]).toEqual({ state: 'occupied', previous: 'free' });
    // A client subscribing later still gets the current state: it is retained.
    const late = await connectPublisher(platform.mqtt.url, await platform.createKey('integration', 'o1'));
    const first = new Promise<ResourceState>((resolve) =>
      late.once('message', (_t, p) => resolve(JSON.parse(p.toString()) as ResourceState)),
    );
    await late.subscribeAsync('cw/o1/state/room-1', { qos: 1 });
    expect((await first).state).toBe('occupied');
    await late.endAsync(true);
  });

  it('shows a booking awaiting check-in from its start, then occupied once someone is there', async () => {
    const id = uniqueId('bk');
    const start = new Date(Date.now() - 1000);
    const created = await request(platform.url)
      .post('/v1/bookings')
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
      .send({
        site: 'o1',
        id,
        resource: 'room-2',
        member: 'm1',
        start: start.toISOString(),
        end: new Date(start.getTime() + 3600_000).toISOString(),
      });
    expect(created.status).toBe(201);
    expect(
      await waitFor(
        () => stateOf('room-2'),
        (s) => s === 'awaiting_checkin',
      ),
    ).toBe('awaiting_checkin');
    await presence('pir-room-2', 1);
    expect(
      await waitFor(
        () => stateOf('room-2'),
        (s) => s === 'occupied',
      ),
    ).toBe('occupied');
    expect((await occupancy()).resources.find((r) => r.resourceId === 'room-2')?.bookingId).toBe(id);
  });

  it('rebuilds state from the database after a restart instead of losing it', async () => {
    await platform.app.get(OccupancyEngine).settled();
    await platform.close();
    platform = await startPlatform(new BorrowedDatabase(db), { INGEST_FLUSH_MS: '10' });
    const snapshot = await occupancy();
    expect(snapshot.resources.find((r) => r.resourceId === 'room-1')?.state).toBe('occupied');
    expect(snapshot.resources.find((r) => r.resourceId === 'room-2')?.state).toBe('occupied');
  });
});
