import { WEEKDAYS } from '@cw/sites';
import { rngFor } from '../random';
import { ScenarioSite } from '../scenario/scenario-loader';
import { hourOfKey } from '../scenario/scenario.schema';
import { topicFor } from '../sim-event';
import { buildSiteModel, SimRoom, SiteModel } from '../site-model';
import { Weekday } from '../zoned-time';
import { buildPopulation, Population } from './population';
import { Weighted, weightedNumbers } from './weighted';

/** A device and the noise it suffers; the scenario's defaults with its overrides applied. */
export interface DeviceProfile {
  id: string;
  type: 'door' | 'sensor';
  topic: string;
  /** Fixed offset of the device's clock: its `ts` is the true time plus this. */
  skewMs: number;
  miss: number;
  falseTriggersPerHour: number;
  duplicate: number;
  drop: number;
  offlinePerDay: number;
}

/** A presence sensor and the resource it watches. */
export interface WatchedResource {
  sensor: string;
  resource: string;
}

/** Everything about a site that stays the same for the whole run. */
export interface SiteRuntime {
  seed: number;
  id: string;
  config: ScenarioSite;
  model: SiteModel;
  timeZone: string;
  /** Rooms the simulation books: meeting rooms first, event spaces after. */
  rooms: SimRoom[];
  population: Population;
  arrival: Partial<Record<Weekday, Weighted<number>>>;
  departure: Partial<Record<Weekday, Weighted<number>>>;
  /** Meeting lengths in minutes. */
  lengths: Weighted<number>;
  devices: Map<string, DeviceProfile>;
  presenceSensors: WatchedResource[];
  topicPrefix: string;
  firstDay: string;
}

function hourSamplers(weights: ScenarioSite['behaviour']['arrival']) {
  const samplers: Partial<Record<Weekday, Weighted<number>>> = {};
  for (const day of WEEKDAYS) {
    const byHour = weights[day] ?? weights.default;
    if (byHour) samplers[day] = weightedNumbers(byHour, hourOfKey);
  }
  return samplers;
}

function deviceProfiles(seed: number, site: ScenarioSite, topicPrefix: string): Map<string, DeviceProfile> {
  const noise = site.devices;
  const rng = rngFor(seed, `${site.id}:clock-skew`);
  const profiles = new Map<string, DeviceProfile>();
  for (const device of site.document.devices) {
    const override = noise.overrides[device.id] ?? {};
    const { sdSeconds, maxSeconds } = noise.clockSkew;
    // drawn for every device, overridden or not, so one override leaves every other device's skew unchanged
    const drawn = Math.max(-maxSeconds, Math.min(maxSeconds, rng.normal(0, sdSeconds)));
    profiles.set(device.id, {
      id: device.id,
      type: device.type,
      topic: topicFor(topicPrefix, site.id, device.type, device.id),
      skewMs: Math.round((override.skewSeconds ?? drawn) * 1000),
      miss: override.miss ?? noise.presence.miss,
      falseTriggersPerHour: override.falseTriggersPerHour ?? noise.presence.falseTriggersPerHour,
      duplicate: override.duplicate ?? noise.duplicate,
      drop: override.drop ?? noise.drop,
      offlinePerDay: override.offlinePerDay ?? noise.offline.perDeviceDay,
    });
  }
  return profiles;
}

export function buildSiteRuntime(
  seed: number,
  site: ScenarioSite,
  topicPrefix: string,
  firstDay: string,
): SiteRuntime {
  const model = buildSiteModel(site.document);
  const only = site.behaviour.bookings.rooms;
  const allowed = only ? model.rooms.filter((r) => only.includes(r.id)) : model.rooms;
  const presenceSensors = [
    ...model.desks.flatMap((d) => (d.sensor ? [{ sensor: d.sensor, resource: d.id }] : [])),
    ...model.rooms.flatMap((r) => (r.sensor ? [{ sensor: r.sensor, resource: r.id }] : [])),
    ...model.booths.flatMap((b) => (b.sensor ? [{ sensor: b.sensor, resource: b.id }] : [])),
  ];
  return {
    seed,
    id: site.id,
    config: site,
    model,
    timeZone: model.timeZone,
    rooms: [
      ...allowed.filter((r) => r.kind === 'meeting_room'),
      ...allowed.filter((r) => r.kind !== 'meeting_room'),
    ],
    population: buildPopulation(seed, site, model, firstDay),
    arrival: hourSamplers(site.behaviour.arrival),
    departure: hourSamplers(site.behaviour.departure),
    lengths: weightedNumbers(site.behaviour.bookings.lengths, Number),
    devices: deviceProfiles(seed, site, topicPrefix),
    presenceSensors,
    topicPrefix,
    firstDay,
  };
}
