import request from 'supertest';
import { Database } from '@cw/database';
import { SiteDocumentInput } from '@cw/sites';
import { insertContract, insertInvoice, insertMember, insertPlan } from '../support/churn-fixtures';
import { uniqueId } from '../support/factories';
import { ADMIN_TOKEN, TestPlatform } from '../support/test-app';

/**
 * A site with a quiet February 2026 and a busier March (Europe/Madrid, open weekdays 08:00-20:00): presence on a desk
 * and a room, bookings with a no-show, a people counter, members with contracts, invoices of both months and
 * badge visits that fade for one member. The report tests read it through the real KPI, money and churn services.
 */
const square = (x: number): [number, number][] => [
  [x, 0],
  [x + 2, 0],
  [x + 2, 2],
  [x, 2],
];

export const reportSite: SiteDocumentInput = {
  name: 'Report fixture',
  timeZone: 'Europe/Madrid',
  currency: 'EUR',
  openingHours: (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({
    day,
    open: '08:00',
    close: '20:00',
  })),
  floors: [
    {
      id: 'f0',
      name: 'Ground',
      plan: { width: 20, height: 10 },
      resources: [
        { id: 'desk-1', name: 'Desk 1', kind: 'desk', polygon: square(0) },
        { id: 'room-1', name: 'Room "Atlas", 1st', kind: 'meeting_room', capacity: 6, polygon: square(3) },
        { id: 'booth-1', name: 'Booth 1', kind: 'phone_booth', polygon: square(6) },
      ],
    },
  ],
  devices: [
    { id: 'door-main', type: 'door', name: 'Entrance', resources: [] },
    { id: 'counter-main', type: 'sensor', name: 'Entrance counter', resources: [] },
    { id: 'pir-desk-1', type: 'sensor', name: 'Desk 1 presence', resources: ['desk-1'] },
    { id: 'pir-room-1', type: 'sensor', name: 'Room 1 presence', resources: ['room-1'] },
  ],
};

export async function seedReportFixture(db: Database, platform: TestPlatform, site: string): Promise<void> {
  const reading = (sensor: string, resource: string | null, ts: string, kind: string, value: number) =>
    db.query(
      `INSERT INTO sensor_readings (ts, site_id, sensor_id, event_id, kind, value, resource_id, device_ts, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $1, $1)`,
      [ts, site, sensor, uniqueId('r'), kind, value, resource],
    );
  const occupied = async (sensor: string, resource: string, from: string, minutes: number) => {
    // A reading every 5 minutes holds presence throughout; the 0 ends it.
    const start = Date.parse(from);
    for (let m = 0; m < minutes; m += 5) {
      await reading(sensor, resource, new Date(start + m * 60_000).toISOString(), 'presence', 1);
    }
    await reading(sensor, resource, new Date(start + minutes * 60_000).toISOString(), 'presence', 0);
  };
  const booking = (id: string, resource: string, start: string, end: string, status = 'ended') =>
    db.query(
      `INSERT INTO bookings (site_id, id, resource_id, member_id, start_at, end_at, status, source)
       VALUES ($1, $2, $3, 'm1', $4, $5, $6, 'external')`,
      [site, id, resource, start, end, status],
    );
  const visit = (member: string, ts: string) =>
    db.query(
      `INSERT INTO door_events (ts, site_id, door_id, event_id, credential, member_id, direction, result, resource_ids,
                                device_ts, received_at)
       VALUES ($1, $2, 'door-main', $3, $4, $4, 'in', 'granted', '{}', $1, $1)`,
      [ts, site, uniqueId('d'), member],
    );

  await platform.putSite(site, reportSite);
  // The site has existed since January, so February and March are months the scheduled run reports on.
  await db.query(`UPDATE sites SET created_at = '2026-01-05T00:00:00Z' WHERE id = $1`, [site]);

  await occupied('pir-desk-1', 'desk-1', '2026-02-10T09:00:00Z', 60);
  await booking('f1', 'room-1', '2026-02-11T10:00:00Z', '2026-02-11T11:00:00Z');
  await occupied('pir-room-1', 'room-1', '2026-02-11T10:00:00Z', 30);
  for (const day of ['02', '03', '04', '10', '17', '24']) {
    await occupied('pir-desk-1', 'desk-1', `2026-03-${day}T08:00:00Z`, 120);
  }
  await booking('b1', 'room-1', '2026-03-03T09:00:00Z', '2026-03-03T10:00:00Z');
  await occupied('pir-room-1', 'room-1', '2026-03-03T09:00:00Z', 45);
  await booking('b2', 'room-1', '2026-03-05T11:00:00Z', '2026-03-05T11:30:00Z', 'released');
  await db.query(
    `INSERT INTO booking_releases (site_id, booking_id, release_id, resource_id, reason, booking_start, booking_end,
                                   decided_at)
     VALUES ($1, 'b2', 'rel-b2', 'room-1', 'no_show', '2026-03-05T11:00:00Z', '2026-03-05T11:30:00Z',
             '2026-03-05T11:15:00Z')`,
    [site],
  );
  await booking('b3', 'booth-1', '2026-03-12T15:00:00Z', '2026-03-12T15:30:00Z');
  await reading('counter-main', null, '2026-03-03T08:00:00Z', 'people_in', 5);
  await reading('counter-main', null, '2026-03-03T12:00:00Z', 'people_out', 5);

  // Members: m1 and m2 since January on a flex desk at 200.00 and 150.00 a month; m3 left at the end of February.
  await insertPlan(db, site, { id: 'flex', kind: 'flex_desk', priceMinor: 20_000 });
  for (const [id, name] of [
    ['m1', 'Ada Lovelace'],
    ['m2', 'Grace Hopper'],
    ['m3', 'Alan Turing'],
  ] as const) {
    await insertMember(db, site, { id, name });
  }
  await insertContract(db, site, {
    id: 'c1',
    memberId: 'm1',
    planId: 'flex',
    priceMinor: 20_000,
    start: '2026-01-05',
  });
  await insertContract(db, site, {
    id: 'c2',
    memberId: 'm2',
    planId: 'flex',
    priceMinor: 15_000,
    start: '2026-01-05',
  });
  await insertContract(db, site, {
    id: 'c3',
    memberId: 'm3',
    planId: 'flex',
    priceMinor: 15_000,
    start: '2026-01-05',
    end: '2026-02-28',
    status: 'ended',
    endReason: 'cancelled',
  });
  for (const [month, members] of [
    ['02', ['m1', 'm2', 'm3']],
    ['03', ['m1', 'm2']],
  ] as const) {
    for (const member of members) {
      await insertInvoice(db, site, {
        id: `inv-${month}-${member}`,
        memberId: member,
        issueDate: `2026-${month}-01`,
        dueDate: `2026-${month}-15`,
        lines: [{ kind: 'membership', amountMinor: member === 'm1' ? 20_000 : 15_000, taxMinor: 0 }],
      });
    }
  }
  // m1 comes in every weekday; m2 came often in January and hardly since.
  for (let d = 5; d <= 31 + 28 + 31; d++) {
    const day = new Date(Date.UTC(2026, 0, d, 8, 30));
    const weekday = day.getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    await visit('m1', day.toISOString());
    if (d < 31 || d % 9 === 0) await visit('m2', new Date(day.getTime() + 3_600_000).toISOString());
  }

  await request(platform.url)
    .post(`/v1/sites/${site}/kpis/refresh`)
    .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
    .send({ from: '2026-02-01', to: '2026-03-31' })
    .expect(200);
}
