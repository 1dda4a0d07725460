import { PlatformEvent } from '@cw/events';
import { Candidate } from './candidate';
import { ClockLimits, stampEventTime } from './clock-guard';

/** What the mapper needs from the site directory (implemented by DeviceDirectory in @cw/sites). */
export interface DeviceLookup {
  resolve(
    siteId: string,
    type: 'door' | 'sensor',
    deviceId: string,
  ): Promise<{ resourceIds: string[] } | null>;
  resourceExists(siteId: string, resourceId: string): Promise<boolean>;
}

export type MapResult = { ok: true; event: PlatformEvent } | { ok: false; reason: string; path?: string };

/** Attaches the resources a device serves and the checked event time; unknown devices are refused by name. */
export async function mapCandidate(
  candidate: Candidate,
  lookup: DeviceLookup,
  receivedAt: Date,
  limits: ClockLimits,
  /** What "now" is for the clock check: the platform clock, which a simulation may run ahead of the wall. */
  reference: Date = receivedAt,
): Promise<MapResult> {
  const time = stampEventTime(candidate.payload.ts, reference, limits);
  if (!time.ok) return { ok: false, reason: time.reason, path: 'ts' };
  const stamp = {
    siteId: candidate.siteId,
    eventId: candidate.payload.id,
    ts: time.ts,
    deviceTs: time.deviceTs,
    receivedAt,
    clockSkewMs: time.clockSkewMs,
  };
  switch (candidate.type) {
    case 'door': {
      const device = await lookup.resolve(candidate.siteId, 'door', candidate.deviceId);
      if (!device)
        return {
          ok: false,
          reason: `unknown door ${candidate.deviceId} at site ${candidate.siteId}`,
          path: 'door',
        };
      return {
        ok: true,
        event: {
          ...stamp,
          type: 'door',
          doorId: candidate.deviceId,
          resourceIds: device.resourceIds,
          payload: candidate.payload,
        },
      };
    }
    case 'sensor': {
      const device = await lookup.resolve(candidate.siteId, 'sensor', candidate.deviceId);
      if (!device)
        return {
          ok: false,
          reason: `unknown sensor ${candidate.deviceId} at site ${candidate.siteId}`,
          path: 'sensor',
        };
      return {
        ok: true,
        event: {
          ...stamp,
          type: 'sensor',
          sensorId: candidate.deviceId,
          resourceId: device.resourceIds[0] ?? null,
          payload: candidate.payload,
        },
      };
    }
    case 'booking': {
      if (!(await lookup.resourceExists(candidate.siteId, candidate.payload.resource))) {
        return {
          ok: false,
          reason: `unknown resource ${candidate.payload.resource} at site ${candidate.siteId}`,
          path: 'resource',
        };
      }
      return { ok: true, event: { ...stamp, type: 'booking', payload: candidate.payload } };
    }
  }
}
