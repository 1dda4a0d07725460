import { DeviceType, FloorPlan, OpeningHours, Point, ResourceKind } from './site-document.schema';
import { DeviceRecord, FloorRecord, ResourceRecord, SiteRecord, SiteSummary } from '../sites.types';

// The public shapes: what GET answers is what PUT takes, so a site kept as a file round-trips unchanged.

export type SiteSummaryDto = SiteSummary;

export interface FloorDto {
  id: string;
  name: string;
  level: number;
  plan: FloorPlan;
}

export interface ResourceDto {
  id: string;
  name: string;
  kind: ResourceKind;
  capacity: number;
  bookable: boolean;
  basePriceMinor: number;
  polygon: Point[];
}

/** A resource outside its site document names its floor. */
export interface FloorResourceDto extends ResourceDto {
  floor: string;
}

export interface DeviceDto {
  id: string;
  type: DeviceType;
  name: string;
  resources: string[];
}

export interface SiteDocumentDto {
  id: string;
  name: string;
  timeZone: string;
  currency: string;
  taxRateBp: number;
  openingHours: OpeningHours;
  floors: (FloorDto & { resources: ResourceDto[] })[];
  devices: DeviceDto[];
}

export const toSiteSummaryDto = (site: SiteSummary): SiteSummaryDto => ({
  id: site.id,
  name: site.name,
  timeZone: site.timeZone,
  currency: site.currency,
  taxRateBp: site.taxRateBp,
  openingHours: site.openingHours,
});

export const toFloorDto = (floor: FloorRecord): FloorDto => ({
  id: floor.id,
  name: floor.name,
  level: floor.level,
  plan: floor.plan,
});

const toResourceDto = (r: ResourceRecord): ResourceDto => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  capacity: r.capacity,
  bookable: r.bookable,
  basePriceMinor: r.basePriceMinor,
  polygon: r.polygon,
});

export const toFloorResourceDto = (r: ResourceRecord): FloorResourceDto => ({
  ...toResourceDto(r),
  floor: r.floorId,
});

export const toDeviceDto = (d: DeviceRecord): DeviceDto => ({
  id: d.id,
  type: d.type,
  name: d.name,
  resources: d.resourceIds,
});

export function toSiteDocumentDto(site: SiteRecord): SiteDocumentDto {
  const byFloor = new Map<string, ResourceDto[]>(site.floors.map((f) => [f.id, []]));
  for (const resource of site.resources) byFloor.get(resource.floorId)?.push(toResourceDto(resource));
  return {
    ...toSiteSummaryDto(site),
    floors: site.floors.map((floor) => ({ ...toFloorDto(floor), resources: byFloor.get(floor.id) ?? [] })),
    devices: site.devices.map(toDeviceDto),
  };
}
