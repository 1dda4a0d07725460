import { DeviceType, FloorPlan, OpeningHours, Point, ResourceKind } from './dto/site-document.schema';

// What the repository reads and writes: plain domain records, never database rows. Controllers map them
// to the public document shape (dto/site.dto.ts).

export interface SiteSettings {
  name: string;
  timeZone: string;
  currency: string;
  taxRateBp: number;
  openingHours: OpeningHours;
}

/** Opening hours from a local date on (null: since the site was created) until the next version. */
export interface OpeningHoursVersion {
  validFrom: string | null;
  openingHours: OpeningHours;
}

export interface SiteSummary extends SiteSettings {
  id: string;
}

export interface FloorRecord {
  id: string;
  name: string;
  level: number;
  plan: FloorPlan;
}

export interface ResourceRecord {
  id: string;
  floorId: string;
  name: string;
  kind: ResourceKind;
  capacity: number;
  bookable: boolean;
  basePriceMinor: number;
  polygon: Point[];
}

/** What ingest needs to map an event from a device to the resources it serves. */
export interface DeviceLink {
  id: string;
  type: DeviceType;
  resourceIds: string[];
}

export interface DeviceRecord extends DeviceLink {
  name: string;
}

export interface SiteRecord extends SiteSummary {
  floors: FloorRecord[];
  resources: ResourceRecord[];
  devices: DeviceRecord[];
}

export interface Upserted<T> {
  created: boolean;
  value: T;
}
