import request from 'supertest';
import { addDays, localDateOf } from '@cw/membership';
import { SiteDocumentInput } from '@cw/sites';
import { siteDocument, uniqueId } from '../support/factories';
import { ADMIN_TOKEN, TestPlatform } from '../support/test-app';

export const ZONE = 'Europe/Madrid';
export const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };
export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** The site's local date, `days` from now on the wall clock. */
export const localDay = (days = 0, now = new Date()) => addDays(localDateOf(now, ZONE), days);

const square = (x: number): [number, number][] => [
  [x, 6],
  [x + 1, 6],
  [x + 1, 7],
  [x, 7],
];

/** The factory's site plus what contracts hold: two lockers and a parking space. */
export function membershipSite(): SiteDocumentInput {
  const base = siteDocument({ timeZone: ZONE });
  const [floor] = base.floors!;
  return {
    ...base,
    floors: [
      {
        ...floor,
        resources: [
          ...floor.resources!,
          { id: 'locker-1', name: 'Locker 1', kind: 'locker', polygon: square(0) },
          { id: 'locker-2', name: 'Locker 2', kind: 'locker', polygon: square(2) },
          { id: 'parking-1', name: 'Parking 1', kind: 'parking', polygon: square(4) },
        ],
      },
    ],
  };
}

export async function newSite(platform: TestPlatform): Promise<string> {
  const site = uniqueId('ms').replace(/[^a-zA-Z0-9_-]/g, '');
  await platform.putSite(site, membershipSite());
  return site;
}

export const flexPlan = {
  name: 'Flex desk',
  kind: 'flex_desk',
  priceMinor: 19000,
  includedCreditsMinor: 5000,
};

/** A site with a flex plan and one member; answers the ids. */
export async function memberWithPlan(platform: TestPlatform, site: string, member = 'ana') {
  const api = request(platform.url);
  expect((await api.put(`/v1/sites/${site}/plans/flex`).set(admin).send(flexPlan)).status).toBe(201);
  const put = await api
    .put(`/v1/sites/${site}/members/${member}`)
    .set(admin)
    .send({
      name: `Member ${member}`,
      email: `${member}@example.test`,
      phone: '+34 600 000 001',
      address: 'Calle 1',
    });
  expect(put.status).toBe(201);
  return { plan: 'flex', member };
}

export async function signUp(platform: TestPlatform, site: string, body: Record<string, unknown>) {
  return request(platform.url).post(`/v1/sites/${site}/contracts`).set(admin).send(body);
}
