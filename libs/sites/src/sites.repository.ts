import { Injectable } from '@nestjs/common';
import { Database, Queryable } from '@cw/database';
import {
  DeviceType,
  FloorPlan,
  OpeningHours,
  Point,
  ResourceKind,
  SiteDocument,
} from './dto/site-document.schema';
import { jsonBatches } from './json-batches';
import {
  DeviceRecord,
  FloorRecord,
  OpeningHoursVersion,
  ResourceRecord,
  SiteRecord,
  SiteSettings,
  SiteSummary,
  Upserted,
} from './sites.types';

interface SiteRow {
  id: string;
  name: string;
  time_zone: string;
  currency: string;
  tax_rate_bp: number;
  opening_hours: OpeningHours;
}
interface FloorRow {
  id: string;
  name: string;
  level: number;
  plan: FloorPlan;
}
interface ResourceRow {
  id: string;
  floor_id: string;
  name: string;
  kind: ResourceKind;
  capacity: number;
  bookable: boolean;
  base_price_minor: number;
  polygon: Point[];
}
interface DeviceRow {
  id: string;
  type: DeviceType;
  name: string;
  resource_ids: string[];
}
type Created = { created: boolean };

// Ids sort with the C collation so the embedded database and a server with another locale list in the same order.
const SITE_COLUMNS = 'id, name, time_zone, currency, tax_rate_bp, opening_hours';
const FLOOR_COLUMNS = 'id, name, level, plan';
const RESOURCE_COLUMNS = 'id, floor_id, name, kind, capacity, bookable, base_price_minor, polygon';
const DEVICE_COLUMNS = 'id, type, name, resource_ids';
// `xmax = 0` holds only for a row this statement inserted, which tells a create from an update in one round trip.
const CREATED = 'RETURNING (xmax = 0) AS created';

@Injectable()
export class SitesRepository {
  constructor(private readonly db: Database) {}

  /**
   * Makes the stored site equal to `doc`, in one transaction, and reads it back from inside that transaction.
   * `today` is the local date at the site: new opening hours apply from it (kept as a new version).
   */
  replaceSite(siteId: string, doc: SiteDocument, today: string): Promise<Upserted<SiteRecord>> {
    const floors: FloorRecord[] = doc.floors.map(({ id, name, level, plan }) => ({ id, name, level, plan }));
    const resources: ResourceRecord[] = doc.floors.flatMap((floor) =>
      floor.resources.map((r) => ({ ...r, floorId: floor.id })),
    );
    const devices: DeviceRecord[] = doc.devices.map(({ id, type, name, resources: resourceIds }) => ({
      id,
      type,
      name,
      resourceIds,
    }));
    return this.db.transaction(async (tx) => {
      const created = await this.writeSite(tx, siteId, doc);
      await this.writeOpeningHoursVersion(tx, siteId, doc.openingHours, today);
      await this.writeFloors(tx, siteId, floors);
      await this.writeResources(tx, siteId, resources);
      await this.writeDevices(tx, siteId, devices);
      const ids = (items: { id: string }[]) => items.map((item) => item.id);
      await tx.query('DELETE FROM devices WHERE site_id = $1 AND id <> ALL($2::text[])', [
        siteId,
        ids(devices),
      ]);
      await tx.query('DELETE FROM resources WHERE site_id = $1 AND id <> ALL($2::text[])', [
        siteId,
        ids(resources),
      ]);
      await tx.query('DELETE FROM floors WHERE site_id = $1 AND id <> ALL($2::text[])', [
        siteId,
        ids(floors),
      ]);
      const value = await this.readSiteWith(tx, siteId);
      if (!value) throw new Error(`site ${siteId} vanished inside its own transaction`);
      return { created, value };
    });
  }

  /** The whole site from one snapshot, so a read racing a PUT never mixes the old and new documents. */
  readSite(siteId: string): Promise<SiteRecord | undefined> {
    return this.db.transaction(async (tx) => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      return this.readSiteWith(tx, siteId);
    });
  }

  /** `null`: every site. */
  async listSites(siteIds: string[] | null): Promise<SiteSummary[]> {
    const { rows } = await this.db.query<SiteRow>(
      `SELECT ${SITE_COLUMNS} FROM sites WHERE $1::text[] IS NULL OR id = ANY($1::text[]) ORDER BY id COLLATE "C"`,
      [siteIds],
    );
    return rows.map(toSite);
  }

  /** Every version of the site's opening hours, oldest first. */
  async openingHoursHistory(siteId: string): Promise<OpeningHoursVersion[]> {
    const { rows } = await this.db.query<{ valid_from: string; opening_hours: OpeningHours }>(
      `SELECT valid_from::text AS valid_from, opening_hours FROM site_opening_hours WHERE site_id = $1
       ORDER BY valid_from`,
      [siteId],
    );
    return rows.map((r) => ({
      validFrom: r.valid_from === '-infinity' ? null : r.valid_from,
      openingHours: r.opening_hours,
    }));
  }

  async siteExists(siteId: string): Promise<boolean> {
    const { rows } = await this.db.query('SELECT 1 FROM sites WHERE id = $1', [siteId]);
    return rows.length > 0;
  }

  listFloors(siteId: string): Promise<FloorRecord[]> {
    return this.floorsOf(this.db, siteId);
  }

  async findFloor(siteId: string, floorId: string): Promise<FloorRecord | undefined> {
    const { rows } = await this.db.query<FloorRow>(
      `SELECT ${FLOOR_COLUMNS} FROM floors WHERE site_id = $1 AND id = $2`,
      [siteId, floorId],
    );
    return rows.map(toFloor)[0];
  }

  async upsertFloor(siteId: string, floor: FloorRecord): Promise<boolean> {
    return this.writeFloors(this.db, siteId, [floor]);
  }

  /** Its resources go with it (foreign key cascade), and devices stop pointing at them. */
  deleteFloor(siteId: string, floorId: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ id: string }>(
        'SELECT id FROM resources WHERE site_id = $1 AND floor_id = $2',
        [siteId, floorId],
      );
      await this.detachResources(
        tx,
        siteId,
        rows.map((r) => r.id),
      );
      const deleted = await tx.query('DELETE FROM floors WHERE site_id = $1 AND id = $2', [siteId, floorId]);
      return deleted.rowCount > 0;
    });
  }

  /** `floorId` narrows the list to one floor. */
  listResources(siteId: string, floorId?: string): Promise<ResourceRecord[]> {
    return this.resourcesOf(this.db, siteId, floorId);
  }

  async findResource(siteId: string, resourceId: string): Promise<ResourceRecord | undefined> {
    const { rows } = await this.db.query<ResourceRow>(
      `SELECT ${RESOURCE_COLUMNS} FROM resources WHERE site_id = $1 AND id = $2`,
      [siteId, resourceId],
    );
    return rows.map(toResource)[0];
  }

  /** Which of `resourceIds` exist at the site. */
  async existingResourceIds(siteId: string, resourceIds: string[]): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>(
      'SELECT id FROM resources WHERE site_id = $1 AND id = ANY($2::text[])',
      [siteId, resourceIds],
    );
    return rows.map((r) => r.id);
  }

  async listResourceIds(siteId: string): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>('SELECT id FROM resources WHERE site_id = $1', [
      siteId,
    ]);
    return rows.map((r) => r.id);
  }

  upsertResource(siteId: string, resource: ResourceRecord): Promise<boolean> {
    return this.writeResources(this.db, siteId, [resource]);
  }

  /** Devices that served the resource stop pointing at it, as if the site had been PUT without it. */
  deleteResource(siteId: string, resourceId: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      await this.detachResources(tx, siteId, [resourceId]);
      const deleted = await tx.query('DELETE FROM resources WHERE site_id = $1 AND id = $2', [
        siteId,
        resourceId,
      ]);
      return deleted.rowCount > 0;
    });
  }

  listDevices(siteId: string): Promise<DeviceRecord[]> {
    return this.devicesOf(this.db, siteId);
  }

  async findDevice(siteId: string, deviceId: string): Promise<DeviceRecord | undefined> {
    const { rows } = await this.db.query<DeviceRow>(
      `SELECT ${DEVICE_COLUMNS} FROM devices WHERE site_id = $1 AND id = $2`,
      [siteId, deviceId],
    );
    return rows.map(toDevice)[0];
  }

  upsertDevice(siteId: string, device: DeviceRecord): Promise<boolean> {
    return this.writeDevices(this.db, siteId, [device]);
  }

  async deleteDevice(siteId: string, deviceId: string): Promise<boolean> {
    const deleted = await this.db.query('DELETE FROM devices WHERE site_id = $1 AND id = $2', [
      siteId,
      deviceId,
    ]);
    return deleted.rowCount > 0;
  }

  private async readSiteWith(q: Queryable, siteId: string): Promise<SiteRecord | undefined> {
    const { rows } = await q.query<SiteRow>(`SELECT ${SITE_COLUMNS} FROM sites WHERE id = $1`, [siteId]);
    if (rows.length === 0) return undefined;
    return {
      ...toSite(rows[0]),
      floors: await this.floorsOf(q, siteId),
      resources: await this.resourcesOf(q, siteId),
      devices: await this.devicesOf(q, siteId),
    };
  }

  private async floorsOf(q: Queryable, siteId: string): Promise<FloorRecord[]> {
    const { rows } = await q.query<FloorRow>(
      `SELECT ${FLOOR_COLUMNS} FROM floors WHERE site_id = $1 ORDER BY level, id COLLATE "C"`,
      [siteId],
    );
    return rows.map(toFloor);
  }

  private async resourcesOf(q: Queryable, siteId: string, floorId?: string): Promise<ResourceRecord[]> {
    const { rows } = await q.query<ResourceRow>(
      `SELECT ${RESOURCE_COLUMNS} FROM resources WHERE site_id = $1 AND ($2::text IS NULL OR floor_id = $2)
       ORDER BY id COLLATE "C"`,
      [siteId, floorId ?? null],
    );
    return rows.map(toResource);
  }

  private async devicesOf(q: Queryable, siteId: string): Promise<DeviceRecord[]> {
    const { rows } = await q.query<DeviceRow>(
      `SELECT ${DEVICE_COLUMNS} FROM devices WHERE site_id = $1 ORDER BY id COLLATE "C"`,
      [siteId],
    );
    return rows.map(toDevice);
  }

  private async writeSite(q: Queryable, siteId: string, site: SiteSettings): Promise<boolean> {
    const { rows } = await q.query<Created>(
      `INSERT INTO sites (id, name, time_zone, currency, tax_rate_bp, opening_hours) VALUES ($1, $2, $3, $4, $5, $6::jsonb)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, time_zone = EXCLUDED.time_zone, currency = EXCLUDED.currency,
         tax_rate_bp = EXCLUDED.tax_rate_bp, opening_hours = EXCLUDED.opening_hours, updated_at = now()
       ${CREATED}`,
      [siteId, site.name, site.timeZone, site.currency, site.taxRateBp, JSON.stringify(site.openingHours)],
    );
    return rows[0].created;
  }

  /**
   * A new version only when the hours differ from the latest one: the first version applies since always, a later
   * one from `today` (a second change the same day replaces that day's version).
   */
  private async writeOpeningHoursVersion(
    q: Queryable,
    siteId: string,
    hours: OpeningHours,
    today: string,
  ): Promise<void> {
    await q.query(
      `WITH latest AS (
         SELECT opening_hours FROM site_opening_hours WHERE site_id = $1 ORDER BY valid_from DESC LIMIT 1
       )
       INSERT INTO site_opening_hours (site_id, valid_from, opening_hours)
       SELECT $1, CASE WHEN EXISTS (SELECT 1 FROM latest) THEN $2::date ELSE '-infinity'::date END, $3::jsonb
       WHERE (SELECT opening_hours FROM latest) IS DISTINCT FROM $3::jsonb
       ON CONFLICT (site_id, valid_from) DO UPDATE SET opening_hours = EXCLUDED.opening_hours`,
      [siteId, today, JSON.stringify(hours)],
    );
  }

  /** Each write sends its rows as JSON batches; true when any row was new. */
  private async writeBatches<T>(q: Queryable, siteId: string, sql: string, rows: T[]): Promise<boolean> {
    let created = false;
    for (const batch of jsonBatches(rows, this.db.maxMessageBytes)) {
      const result = await q.query<Created>(sql, [siteId, batch]);
      created = created || result.rows.some((r) => r.created);
    }
    return created;
  }

  private writeFloors(q: Queryable, siteId: string, floors: FloorRecord[]): Promise<boolean> {
    return this.writeBatches(
      q,
      siteId,
      `INSERT INTO floors (site_id, id, name, level, plan)
       SELECT $1, f.id, f.name, f.level, f.plan FROM jsonb_to_recordset($2::jsonb) AS f(id text, name text, level integer, plan jsonb)
       ON CONFLICT (site_id, id) DO UPDATE SET name = EXCLUDED.name, level = EXCLUDED.level, plan = EXCLUDED.plan
       ${CREATED}`,
      floors,
    );
  }

  private writeResources(q: Queryable, siteId: string, resources: ResourceRecord[]): Promise<boolean> {
    return this.writeBatches(
      q,
      siteId,
      `INSERT INTO resources (site_id, id, floor_id, name, kind, capacity, bookable, base_price_minor, polygon)
       SELECT $1, r."id", r."floorId", r."name", r."kind", r."capacity", r."bookable", r."basePriceMinor", r."polygon"
       FROM jsonb_to_recordset($2::jsonb) AS r("id" text, "floorId" text, "name" text, "kind" text, "capacity" integer,
         "bookable" boolean, "basePriceMinor" integer, "polygon" jsonb)
       ON CONFLICT (site_id, id) DO UPDATE SET floor_id = EXCLUDED.floor_id, name = EXCLUDED.name, kind = EXCLUDED.kind,
         capacity = EXCLUDED.capacity, bookable = EXCLUDED.bookable, base_price_minor = EXCLUDED.base_price_minor,
         polygon = EXCLUDED.polygon
       ${CREATED}`,
      resources,
    );
  }

  private writeDevices(q: Queryable, siteId: string, devices: DeviceRecord[]): Promise<boolean> {
    return this.writeBatches(
      q,
      siteId,
      `INSERT INTO devices (site_id, id, type, name, resource_ids)
       SELECT $1, d."id", d."type", d."name", d."resourceIds"
       FROM jsonb_to_recordset($2::jsonb) AS d("id" text, "type" text, "name" text, "resourceIds" text[])
       ON CONFLICT (site_id, id) DO UPDATE SET type = EXCLUDED.type, name = EXCLUDED.name, resource_ids = EXCLUDED.resource_ids
       ${CREATED}`,
      devices,
    );
  }

  /** Removes resource ids from every device of the site, keeping the order of the rest (a sensor uses the first). */
  private async detachResources(q: Queryable, siteId: string, resourceIds: string[]): Promise<void> {
    if (resourceIds.length === 0) return;
    await q.query(
      `UPDATE devices SET resource_ids = ARRAY(
         SELECT r FROM unnest(resource_ids) WITH ORDINALITY AS u(r, n) WHERE r <> ALL($2::text[]) ORDER BY n)
       WHERE site_id = $1 AND resource_ids && $2::text[]`,
      [siteId, resourceIds],
    );
  }
}

const toSite = (row: SiteRow): SiteSummary => ({
  id: row.id,
  name: row.name,
  timeZone: row.time_zone,
  currency: row.currency,
  taxRateBp: row.tax_rate_bp,
  openingHours: row.opening_hours,
});

const toFloor = (row: FloorRow): FloorRecord => ({
  id: row.id,
  name: row.name,
  level: row.level,
  plan: row.plan,
});

const toResource = (row: ResourceRow): ResourceRecord => ({
  id: row.id,
  floorId: row.floor_id,
  name: row.name,
  kind: row.kind,
  capacity: row.capacity,
  bookable: row.bookable,
  basePriceMinor: row.base_price_minor,
  polygon: row.polygon,
});

const toDevice = (row: DeviceRow): DeviceRecord => ({
  id: row.id,
  type: row.type,
  name: row.name,
  resourceIds: row.resource_ids,
});
