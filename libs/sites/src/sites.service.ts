import { Injectable } from '@nestjs/common';
import { FieldError } from '@cw/events';
import { Clock, invalid, localDateAt, notFound } from '@cw/common';
import { pointsOutsidePlan, SiteDocument } from './dto/site-document.schema';
import { DeviceBody, FloorBody, ResourceBody } from './dto/site-parts.schema';
import { SitesEventMap, TypedEmitter } from './sites.events';
import { SitesRepository } from './sites.repository';
import {
  DeviceRecord,
  FloorRecord,
  OpeningHoursVersion,
  ResourceRecord,
  SiteRecord,
  SiteSummary,
  Upserted,
} from './sites.types';

@Injectable()
export class SitesService {
  private readonly events = new TypedEmitter<SitesEventMap>();

  constructor(
    private readonly repo: SitesRepository,
    private readonly clock: Clock,
  ) {}

  /** Called after every committed write of a site's floors, resources or devices; returns the unsubscribe. */
  onSiteChanged(listener: (siteId: string) => void): () => void {
    return this.events.on('site.changed', ({ siteId }) => listener(siteId));
  }

  /** Idempotent: the same document twice leaves the same site; `created` tells the first time apart. */
  async putSite(siteId: string, doc: SiteDocument): Promise<Upserted<SiteRecord>> {
    assertSameId(siteId, doc.id);
    const today = localDateAt(this.clock.now().getTime(), doc.timeZone);
    const result = await this.repo.replaceSite(siteId, doc, today);
    this.changed(siteId);
    return result;
  }

  async getSite(siteId: string): Promise<SiteRecord> {
    const site = await this.repo.readSite(siteId);
    if (!site) throw notFound(`site ${siteId}`);
    return site;
  }

  /**
   * The site's opening hours over time, oldest first: past days are measured against the hours they had. Empty for
   * an unknown site: callers read the site itself alongside and answer its absence.
   */
  openingHoursHistory(siteId: string): Promise<OpeningHoursVersion[]> {
    return this.repo.openingHoursHistory(siteId);
  }

  /** `scope` null: every site; otherwise only that one (a key bound to a site sees no other). */
  listSites(scope: string | null): Promise<SiteSummary[]> {
    return this.repo.listSites(scope === null ? null : [scope]);
  }

  async listFloors(siteId: string): Promise<FloorRecord[]> {
    await this.requireSite(siteId);
    return this.repo.listFloors(siteId);
  }

  async getFloor(siteId: string, floorId: string): Promise<FloorRecord> {
    return found(await this.repo.findFloor(siteId, floorId), `floor ${floorId} at site ${siteId}`);
  }

  /** A plan may not shrink under the resources already drawn on it. */
  async putFloor(siteId: string, floorId: string, body: FloorBody): Promise<Upserted<FloorRecord>> {
    assertSameId(floorId, body.id);
    await this.requireSite(siteId);
    const errors = (await this.repo.listResources(siteId, floorId))
      .filter((resource) => pointsOutsidePlan(resource.polygon, body.plan).length > 0)
      .map((resource) => ({ path: 'plan', message: `resource ${resource.id} would lie outside the plan` }));
    if (errors.length) throw invalid('the floor plan is invalid', errors);
    const floor: FloorRecord = { id: floorId, name: body.name, level: body.level, plan: body.plan };
    const created = await this.repo.upsertFloor(siteId, floor);
    this.changed(siteId);
    return { created, value: floor };
  }

  async deleteFloor(siteId: string, floorId: string): Promise<void> {
    if (!(await this.repo.deleteFloor(siteId, floorId))) throw notFound(`floor ${floorId} at site ${siteId}`);
    this.changed(siteId);
  }

  async listResources(siteId: string): Promise<ResourceRecord[]> {
    await this.requireSite(siteId);
    return this.repo.listResources(siteId);
  }

  async getResource(siteId: string, resourceId: string): Promise<ResourceRecord> {
    return found(
      await this.repo.findResource(siteId, resourceId),
      `resource ${resourceId} at site ${siteId}`,
    );
  }

  async putResource(
    siteId: string,
    resourceId: string,
    body: ResourceBody,
  ): Promise<Upserted<ResourceRecord>> {
    assertSameId(resourceId, body.id);
    await this.requireSite(siteId);
    const floor = await this.repo.findFloor(siteId, body.floor);
    if (!floor)
      throw invalid('the resource is invalid', [{ path: 'floor', message: `unknown floor ${body.floor}` }]);
    const outside = pointsOutsidePlan(body.polygon, floor.plan);
    if (outside.length) {
      throw invalid(
        'the resource is invalid',
        outside.map((p) => ({
          path: `polygon.${p}`,
          message: `point lies outside the plan of floor ${floor.id}`,
        })),
      );
    }
    const resource: ResourceRecord = {
      id: resourceId,
      floorId: floor.id,
      name: body.name,
      kind: body.kind,
      capacity: body.capacity,
      bookable: body.bookable,
      basePriceMinor: body.basePriceMinor,
      polygon: body.polygon,
    };
    const created = await this.repo.upsertResource(siteId, resource);
    this.changed(siteId);
    return { created, value: resource };
  }

  async deleteResource(siteId: string, resourceId: string): Promise<void> {
    if (!(await this.repo.deleteResource(siteId, resourceId)))
      throw notFound(`resource ${resourceId} at site ${siteId}`);
    this.changed(siteId);
  }

  async listDevices(siteId: string): Promise<DeviceRecord[]> {
    await this.requireSite(siteId);
    return this.repo.listDevices(siteId);
  }

  async getDevice(siteId: string, deviceId: string): Promise<DeviceRecord> {
    return found(await this.repo.findDevice(siteId, deviceId), `device ${deviceId} at site ${siteId}`);
  }

  async putDevice(siteId: string, deviceId: string, body: DeviceBody): Promise<Upserted<DeviceRecord>> {
    assertSameId(deviceId, body.id);
    await this.requireSite(siteId);
    const existing = new Set(await this.repo.existingResourceIds(siteId, body.resources));
    const errors: FieldError[] = [];
    body.resources.forEach((resourceId, i) => {
      if (!existing.has(resourceId))
        errors.push({ path: `resources.${i}`, message: `unknown resource ${resourceId}` });
    });
    if (errors.length) throw invalid('the device is invalid', errors);
    const device: DeviceRecord = {
      id: deviceId,
      type: body.type,
      name: body.name,
      resourceIds: body.resources,
    };
    const created = await this.repo.upsertDevice(siteId, device);
    this.changed(siteId);
    return { created, value: device };
  }

  async deleteDevice(siteId: string, deviceId: string): Promise<void> {
    if (!(await this.repo.deleteDevice(siteId, deviceId)))
      throw notFound(`device ${deviceId} at site ${siteId}`);
    this.changed(siteId);
  }

  private async requireSite(siteId: string): Promise<void> {
    if (!(await this.repo.siteExists(siteId))) throw notFound(`site ${siteId}`);
  }

  private changed(siteId: string): void {
    this.events.emit('site.changed', { siteId });
  }
}

/** The path names the thing; an id in the body is only tolerated when it agrees (a GET result PUT back). */
function assertSameId(pathId: string, bodyId: string | undefined): void {
  if (bodyId !== undefined && bodyId !== pathId) {
    throw invalid('the body names another id than the path', [
      { path: 'id', message: `must be ${pathId} or absent` },
    ]);
  }
}

function found<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw notFound(what);
  return value;
}
