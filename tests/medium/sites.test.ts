import { DynamicModule, Global, INestApplication, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Server } from 'node:http';
import request from 'supertest';
import { ApiKeysService, AuthModule, Role } from '@cw/auth';
import { ErrorFilter } from '@cw/common';
import { ConfigModule } from '@cw/config';
import { ClockModule } from '@cw/runtime';
import { Database, EmbeddedDatabase, migrate } from '@cw/database';
import {
  DeviceDirectory,
  SiteDocumentDto,
  SiteDocumentInput,
  siteDocumentSchema,
  SitesModule,
} from '@cw/sites';

const ADMIN = 'sites-medium-admin-key-0123456789';

@Global()
@Module({})
class TestDatabaseModule {
  static of(db: Database): DynamicModule {
    return {
      module: TestDatabaseModule,
      providers: [{ provide: Database, useValue: db }],
      exports: [Database],
    };
  }
}

const square = (x: number, y: number, size = 2): [number, number][] => [
  [x, y],
  [x + size, y],
  [x + size, y + size],
  [x, y + size],
];

/** Lists are in the order GET answers them (floors by level, the rest by id), so a round trip compares equal. */
function siteDoc(overrides: Partial<SiteDocumentInput> = {}): SiteDocumentInput {
  return {
    name: 'Madrid Centro',
    timeZone: 'Europe/Madrid',
    currency: 'EUR',
    taxRateBp: 2100,
    openingHours: [
      { day: 'mon', open: '08:00', close: '20:00' },
      { day: 'tue', open: '08:00', close: '20:00' },
    ],
    floors: [
      {
        id: 'f0',
        name: 'Ground',
        plan: {
          width: 20,
          height: 10,
          outline: [
            [0, 0],
            [20, 0],
            [20, 10],
            [0, 10],
          ],
        },
        resources: [
          { id: 'desk-1', name: 'Desk 1', kind: 'desk', basePriceMinor: 500, polygon: square(12, 0) },
          { id: 'room-1', name: 'Room 1', kind: 'meeting_room', capacity: 6, polygon: square(0, 0, 5) },
          {
            id: 'room-2',
            name: 'Room 2',
            kind: 'meeting_room',
            capacity: 4,
            bookable: false,
            polygon: square(5, 0, 5),
          },
        ],
      },
      { id: 'f1', name: 'First', level: 1, plan: { width: 20, height: 10 }, resources: [] },
    ],
    devices: [
      { id: 'door-main', type: 'door', name: 'Entrance', resources: [] },
      { id: 'door-room-1', type: 'door', name: 'Room 1 door', resources: ['room-1', 'room-2'] },
      { id: 'pir.room-2', type: 'sensor', name: 'Room 2 presence', resources: ['room-2'] },
    ],
    ...overrides,
  };
}

const ids = (items: unknown) => (items as { id: string }[]).map((item) => item.id);
const paths = (body: unknown) => (body as { errors: { path: string }[] }).errors.map((e) => e.path);

let sequence = 0;
const siteId = (prefix: string) => `${prefix}-${(sequence += 1)}`;

describe('sites API (embedded TimescaleDB)', () => {
  let db: EmbeddedDatabase;
  let app: INestApplication;

  beforeAll(async () => {
    db = await EmbeddedDatabase.open({});
    await migrate(db);
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({ ADMIN_API_KEY: ADMIN, LOG_LEVEL: 'silent' }),
        ClockModule,
        TestDatabaseModule.of(db),
        AuthModule,
        SitesModule,
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.useGlobalFilters(new ErrorFilter());
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const as = (token: string | null = ADMIN) => {
    const http = request(app.getHttpServer() as Server);
    const auth = (req: request.Test) => (token ? req.set('Authorization', `Bearer ${token}`) : req);
    return {
      get: (path: string) => auth(http.get(path)),
      put: (path: string, body: unknown) => auth(http.put(path)).send(body as object),
      delete: (path: string) => auth(http.delete(path)),
    };
  };
  const keyFor = async (role: Role, site: string | null) =>
    (await app.get(ApiKeysService).create({ name: `test ${role}`, role, siteId: site })).token;
  const createSite = async (id: string, doc = siteDoc()) =>
    expect((await as().put(`/v1/sites/${id}`, doc)).status).toBe(201);

  describe('PUT /v1/sites/:site', () => {
    it('creates with 201 and answers the stored document, defaults filled and id added', async () => {
      const id = siteId('create');
      const response = await as().put(`/v1/sites/${id}`, siteDoc());
      expect(response.status).toBe(201);
      expect(response.body).toEqual({ id, ...siteDocumentSchema.parse(siteDoc()) });
      expect(response.body.floors[0].resources[0]).toEqual({
        id: 'desk-1',
        name: 'Desk 1',
        kind: 'desk',
        capacity: 1,
        bookable: true,
        basePriceMinor: 500,
        polygon: square(12, 0),
      });
    });

    it('is idempotent: the same document again answers 200 and GET is unchanged', async () => {
      const id = siteId('idem');
      const first = await as().put(`/v1/sites/${id}`, siteDoc());
      const before = await as().get(`/v1/sites/${id}`);
      const second = await as().put(`/v1/sites/${id}`, siteDoc());
      const after = await as().get(`/v1/sites/${id}`);
      expect([first.status, second.status, before.status, after.status]).toEqual([201, 200, 200, 200]);
      expect(second.body).toEqual(first.body);
      expect(after.body).toEqual(before.body);
      expect(after.body).toEqual(first.body);
    });

    it('takes back its own GET answer, id included', async () => {
      const id = siteId('roundtrip');
      await createSite(id);
      const got = await as().get(`/v1/sites/${id}`);
      const again = await as().put(`/v1/sites/${id}`, got.body);
      expect(again.status).toBe(200);
      expect(again.body).toEqual(got.body);
    });

    it('replaces the whole site: dropped floors, resources and devices go, moved ones follow', async () => {
      const id = siteId('replace');
      await createSite(id);
      const directory = app.get(DeviceDirectory);
      expect(await directory.resolve(id, 'sensor', 'pir.room-2')).toEqual({ resourceIds: ['room-2'] });
      const changed = siteDoc({
        name: 'Madrid Centro (renovated)',
        floors: [
          {
            id: 'f0',
            name: 'Ground',
            plan: { width: 20, height: 10 },
            resources: [
              { id: 'room-1', name: 'Room 1', kind: 'meeting_room', capacity: 8, polygon: square(0, 0, 5) },
            ],
          },
          {
            id: 'f2',
            name: 'Second',
            level: 2,
            plan: { width: 10, height: 10 },
            resources: [{ id: 'desk-1', name: 'Desk 1', kind: 'desk', polygon: square(1, 1) }],
          },
        ],
        devices: [{ id: 'door-room-1', type: 'door', name: 'Room 1 door', resources: ['room-1'] }],
      });
      const put = await as().put(`/v1/sites/${id}`, changed);
      expect(put.status).toBe(200);
      const got = await as().get(`/v1/sites/${id}`);
      expect(got.body).toEqual({ id, ...siteDocumentSchema.parse(changed) });
      expect((await as().get(`/v1/sites/${id}/resources/room-2`)).status).toBe(404);
      expect((await as().get(`/v1/sites/${id}/floors/f1`)).status).toBe(404);
      expect((await as().get(`/v1/sites/${id}/resources/desk-1`)).body.floor).toBe('f2');
      // The write told this process's device directory, without waiting for its TTL.
      expect(await directory.resolve(id, 'sensor', 'pir.room-2')).toBeNull();
      expect(await directory.resolve(id, 'door', 'door-room-1')).toEqual({ resourceIds: ['room-1'] });
    });

    it('refuses an invalid document with a 400 naming every bad field, and stores nothing', async () => {
      const id = siteId('invalid');
      const doc = siteDoc({ timeZone: 'Mars/Olympus_Mons', currency: 'eur' });
      doc.devices![2] = { id: 'pir.room-2', type: 'sensor', name: 'Room 2 presence', resources: ['ghost'] };
      doc.floors![0].resources![1].polygon = [
        [0, 0],
        [25, 0],
        [0, 5],
      ];
      const response = await as().put(`/v1/sites/${id}`, doc);
      expect(response.status).toBe(400);
      expect(response.body.error).toBe('validation_failed');
      expect(paths(response.body)).toEqual(
        expect.arrayContaining([
          'timeZone',
          'currency',
          'floors.0.resources.1.polygon.1',
          'devices.2.resources.0',
        ]),
      );
      expect((await as().get(`/v1/sites/${id}`)).status).toBe(404);
    });

    it('refuses a body id that differs from the path, and a malformed path id', async () => {
      const mismatch = await as().put(`/v1/sites/${siteId('mismatch')}`, { ...siteDoc(), id: 'elsewhere' });
      expect(mismatch.status).toBe(400);
      expect(mismatch.body.errors).toEqual([{ path: 'id', message: expect.any(String) }]);
      const badPath = await as().put('/v1/sites/no%20spaces', siteDoc());
      expect(badPath.status).toBe(400);
      expect(badPath.body.errors).toEqual([{ path: 'params.site', message: 'letters, digits, _ or - only' }]);
    });
  });

  describe('who may do what', () => {
    let mine: string;
    let other: string;

    beforeAll(async () => {
      mine = siteId('mine');
      other = siteId('other');
      await createSite(mine);
      await createSite(other, siteDoc({ name: 'Other' }));
    });

    it('answers 401 without a key', async () => {
      expect((await as(null).get(`/v1/sites/${mine}`)).status).toBe(401);
      expect((await as(null).put(`/v1/sites/${mine}`, siteDoc())).status).toBe(401);
      expect((await as('cwk_not-a-key').get('/v1/sites')).status).toBe(401);
    });

    it("answers 403 to another site's manager, for reads and writes", async () => {
      const manager = await keyFor('manager', other);
      expect((await as(manager).put(`/v1/sites/${mine}`, siteDoc())).status).toBe(403);
      expect((await as(manager).get(`/v1/sites/${mine}`)).status).toBe(403);
      expect(
        (await as(manager).put(`/v1/sites/${mine}/floors/f9`, { name: 'F', plan: { width: 1, height: 1 } }))
          .status,
      ).toBe(403);
      expect((await as(manager).delete(`/v1/sites/${mine}/devices/door-main`)).status).toBe(403);
      expect((await as().get(`/v1/sites/${mine}/devices/door-main`)).status).toBe(200);
    });

    it("lets a site's manager write it, and its integration key only read it", async () => {
      const manager = await keyFor('manager', mine);
      expect(
        (await as(manager).put(`/v1/sites/${mine}`, siteDoc({ name: 'Renamed by manager' }))).status,
      ).toBe(200);
      const integration = await keyFor('integration', mine);
      expect((await as(integration).get(`/v1/sites/${mine}`)).body.name).toBe('Renamed by manager');
      expect((await as(integration).get(`/v1/sites/${mine}/resources`)).status).toBe(200);
      expect((await as(integration).put(`/v1/sites/${mine}`, siteDoc())).status).toBe(403);
      expect((await as(integration).delete(`/v1/sites/${mine}/devices/door-main`)).status).toBe(403);
    });

    it('lists every site to an admin and only its own to a site key', async () => {
      const all = await as().get('/v1/sites');
      expect(all.status).toBe(200);
      expect(ids(all.body)).toEqual(expect.arrayContaining([mine, other]));
      const own = await as(await keyFor('device', other)).get('/v1/sites');
      expect(own.body).toEqual([
        {
          id: other,
          name: 'Other',
          timeZone: 'Europe/Madrid',
          currency: 'EUR',
          taxRateBp: 2100,
          openingHours: siteDoc().openingHours,
        },
      ]);
    });
  });

  describe('floors, resources and devices one at a time', () => {
    it('upserts each with 201 then 200, lists and reads them back', async () => {
      const id = siteId('parts');
      await createSite(id);
      const floor = { name: 'Roof', level: 3, plan: { width: 30, height: 30 } };
      expect((await as().put(`/v1/sites/${id}/floors/roof`, floor)).status).toBe(201);
      const again = await as().put(`/v1/sites/${id}/floors/roof`, { ...floor, id: 'roof' });
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ id: 'roof', ...floor });
      expect(ids((await as().get(`/v1/sites/${id}/floors`)).body)).toEqual(['f0', 'f1', 'roof']);

      const desk = { floor: 'roof', name: 'Sky desk', kind: 'desk', polygon: square(20, 20) };
      expect((await as().put(`/v1/sites/${id}/resources/sky-desk`, desk)).status).toBe(201);
      expect((await as().put(`/v1/sites/${id}/resources/sky-desk`, desk)).status).toBe(200);
      expect((await as().get(`/v1/sites/${id}/resources/sky-desk`)).body).toEqual({
        id: 'sky-desk',
        capacity: 1,
        bookable: true,
        basePriceMinor: 0,
        ...desk,
      });

      const sensor = { type: 'sensor', name: 'Sky PIR', resources: ['sky-desk'] };
      expect((await as().put(`/v1/sites/${id}/devices/pir.sky:1`, sensor)).status).toBe(201);
      expect((await as().get(`/v1/sites/${id}/devices/pir.sky:1`)).body).toEqual({
        id: 'pir.sky:1',
        ...sensor,
      });
      expect((await as().get(`/v1/sites/${id}/devices`)).body).toHaveLength(4);
      expect(await app.get(DeviceDirectory).resolve(id, 'sensor', 'pir.sky:1')).toEqual({
        resourceIds: ['sky-desk'],
      });

      const site = await as().get(`/v1/sites/${id}`);
      expect((site.body as SiteDocumentDto).floors.find((f) => f.id === 'roof')?.resources).toHaveLength(1);
    });

    it('checks references: unknown floor, point off the plan, unknown resource, shrinking plan', async () => {
      const id = siteId('refs');
      await createSite(id);
      const noFloor = await as().put(`/v1/sites/${id}/resources/r9`, {
        floor: 'nope',
        name: 'R',
        kind: 'desk',
        polygon: square(0, 0),
      });
      expect(noFloor.status).toBe(400);
      expect(noFloor.body.errors).toEqual([{ path: 'floor', message: 'unknown floor nope' }]);
      const offPlan = await as().put(`/v1/sites/${id}/resources/r9`, {
        floor: 'f0',
        name: 'R',
        kind: 'desk',
        polygon: square(19, 9),
      });
      expect(offPlan.status).toBe(400);
      expect(paths(offPlan.body)).toEqual(['polygon.1', 'polygon.2', 'polygon.3']);
      const ghost = await as().put(`/v1/sites/${id}/devices/pir-9`, {
        type: 'sensor',
        name: 'S',
        resources: ['room-1', 'ghost'],
      });
      expect(ghost.status).toBe(400);
      expect(ghost.body.errors).toEqual([{ path: 'resources.1', message: 'unknown resource ghost' }]);
      const shrink = await as().put(`/v1/sites/${id}/floors/f0`, {
        name: 'Ground',
        plan: { width: 11, height: 10 },
      });
      expect(shrink.status).toBe(400);
      expect(shrink.body.errors).toEqual([
        { path: 'plan', message: 'resource desk-1 would lie outside the plan' },
      ]);
      const badBody = await as().put(`/v1/sites/${id}/devices/pir-9`, { type: 'camera', name: 'S' });
      expect(badBody.status).toBe(400);
      expect(badBody.body.errors[0].path).toBe('type');
      expect((await as().get(`/v1/sites/${id}/devices/pir-9`)).status).toBe(404);
    });

    it('deletes: a resource leaves the devices that served it, a floor takes its resources along', async () => {
      const id = siteId('delete');
      await createSite(id);
      expect((await as().delete(`/v1/sites/${id}/resources/room-2`)).status).toBe(204);
      expect((await as().get(`/v1/sites/${id}/devices/door-room-1`)).body.resources).toEqual(['room-1']);
      expect((await as().get(`/v1/sites/${id}/devices/pir.room-2`)).body.resources).toEqual([]);
      expect((await as().delete(`/v1/sites/${id}/resources/room-2`)).status).toBe(404);

      expect((await as().delete(`/v1/sites/${id}/floors/f0`)).status).toBe(204);
      expect((await as().get(`/v1/sites/${id}/resources`)).body).toEqual([]);
      expect((await as().get(`/v1/sites/${id}/devices/door-room-1`)).body.resources).toEqual([]);
      expect(await app.get(DeviceDirectory).resourceExists(id, 'room-1')).toBe(false);

      expect((await as().delete(`/v1/sites/${id}/devices/door-main`)).status).toBe(204);
      expect((await as().get(`/v1/sites/${id}/devices/door-main`)).status).toBe(404);
      const left = await as().get(`/v1/sites/${id}`);
      expect(ids((left.body as SiteDocumentDto).floors)).toEqual(['f1']);
      expect(ids((left.body as SiteDocumentDto).devices)).toEqual(['door-room-1', 'pir.room-2']);
    });

    it('answers 404 for a site that does not exist, and 400 for a malformed id in the path', async () => {
      expect((await as().get('/v1/sites/ghost-site')).status).toBe(404);
      expect((await as().get('/v1/sites/ghost-site/floors')).status).toBe(404);
      const put = await as().put('/v1/sites/ghost-site/floors/f0', {
        name: 'F',
        plan: { width: 1, height: 1 },
      });
      expect(put.status).toBe(404);
      expect(put.body).toEqual({ error: 'not_found', message: 'site ghost-site not found' });
      const bad = await as().get('/v1/sites/ghost-site/devices/a%20b');
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toEqual([{ path: 'params.device', message: 'letters, digits, _ . : - only' }]);
    });
  });

  it('describes every route in the OpenAPI document', () => {
    const doc = SwaggerModule.createDocument(app, new DocumentBuilder().build());
    expect(
      Object.keys(doc.paths)
        .filter((p) => p.startsWith('/v1/sites'))
        .sort(),
    ).toEqual([
      '/v1/sites',
      '/v1/sites/{site}',
      '/v1/sites/{site}/devices',
      '/v1/sites/{site}/devices/{device}',
      '/v1/sites/{site}/floors',
      '/v1/sites/{site}/floors/{floor}',
      '/v1/sites/{site}/resources',
      '/v1/sites/{site}/resources/{resource}',
    ]);
    expect(Object.keys(doc.paths['/v1/sites/{site}/devices/{device}']).sort()).toEqual([
      'delete',
      'get',
      'put',
    ]);
    expect(doc.paths['/v1/sites/{site}'].put?.tags).toEqual(['sites']);
  });
});
