import { ResourceKind, SiteDocument, WEEKDAYS } from '@cw/sites';
import { Weekday } from './zoned-time';

export interface SimDesk {
  id: string;
  floor: string;
  sensor: string | null;
}

export interface SimRoom {
  id: string;
  kind: ResourceKind;
  floor: string;
  capacity: number;
  door: string | null;
  sensor: string | null;
}

export interface SimBooth {
  id: string;
  floor: string;
  sensor: string | null;
}

/** Opening hours of one day in minutes since local midnight. */
export interface OpenSpan {
  open: number;
  close: number;
}

/** What the generator needs from a site document: which device reports on which resource. */
export interface SiteModel {
  timeZone: string;
  floors: string[];
  hours: Partial<Record<Weekday, OpenSpan>>;
  entranceDoor: string | null;
  entranceCounter: string | null;
  desks: SimDesk[];
  /** Bookable rooms with at least one device that can show a booking was attended. */
  rooms: SimRoom[];
  booths: SimBooth[];
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/**
 * Devices are matched by what they serve, not by their names: a door or a sensor that serves no resource
 * stands at the entrance (a sensor there is the people counter); one that serves a resource reports on it.
 */
export function buildSiteModel(site: SiteDocument): SiteModel {
  const doorsByResource = new Map<string, string>();
  const sensorsByResource = new Map<string, string>();
  let entranceDoor: string | null = null;
  let entranceCounter: string | null = null;
  for (const device of site.devices) {
    if (device.resources.length === 0) {
      if (device.type === 'door') entranceDoor ??= device.id;
      else entranceCounter ??= device.id;
      continue;
    }
    const target = device.type === 'door' ? doorsByResource : sensorsByResource;
    for (const resource of device.resources) if (!target.has(resource)) target.set(resource, device.id);
  }

  const hours: Partial<Record<Weekday, OpenSpan>> = {};
  for (const day of WEEKDAYS) {
    const slots = site.openingHours.filter((slot) => slot.day === day);
    if (slots.length === 0) continue;
    hours[day] = {
      open: Math.min(...slots.map((s) => minutesOf(s.open))),
      close: Math.max(...slots.map((s) => minutesOf(s.close))),
    };
  }

  const model: SiteModel = {
    timeZone: site.timeZone,
    floors: site.floors.map((f) => f.id),
    hours,
    entranceDoor,
    entranceCounter,
    desks: [],
    rooms: [],
    booths: [],
  };
  for (const floor of site.floors) {
    for (const resource of floor.resources) {
      const sensor = sensorsByResource.get(resource.id) ?? null;
      const door = doorsByResource.get(resource.id) ?? null;
      if (resource.kind === 'desk') model.desks.push({ id: resource.id, floor: floor.id, sensor });
      if (resource.kind === 'phone_booth') model.booths.push({ id: resource.id, floor: floor.id, sensor });
      const meetingSpace = resource.kind === 'meeting_room' || resource.kind === 'event_space';
      if (meetingSpace && resource.bookable && (sensor || door)) {
        model.rooms.push({
          id: resource.id,
          kind: resource.kind,
          floor: floor.id,
          capacity: resource.capacity,
          door,
          sensor,
        });
      }
    }
  }
  return model;
}
