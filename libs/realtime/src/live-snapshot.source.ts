import { InjectionToken, Provider, Type } from '@nestjs/common';
import type { OccupancySnapshot } from '@cw/events';

/** Injection token of the snapshot a client receives when it joins a site. */
export const LIVE_SNAPSHOT_SOURCE = Symbol('LIVE_SNAPSHOT_SOURCE');

/**
 * The current state of every resource of a site, read after the client has joined the site's room: a change
 * published meanwhile reaches the client as well, and the page re-applies deltas that arrive before the snapshot.
 * Throw a DomainError `not_found` for an unknown site; the join is then refused with that code.
 */
export interface LiveSnapshotSource {
  snapshot(siteId: string): Promise<OccupancySnapshot>;
}

/**
 * How the composition root names the source: a class instantiated inside RealtimeModule (its dependencies from
 * `imports`), an instance some imported module already provides (`useExisting`, so a stateful engine is not
 * built twice), or a ready value (tests).
 */
export type LiveSnapshotSourceOption =
  Type<LiveSnapshotSource> | { useExisting: InjectionToken } | { useValue: LiveSnapshotSource };

export function snapshotSourceProvider(option: LiveSnapshotSourceOption): Provider {
  if (typeof option === 'function') return { provide: LIVE_SNAPSHOT_SOURCE, useClass: option };
  if ('useExisting' in option) return { provide: LIVE_SNAPSHOT_SOURCE, useExisting: option.useExisting };
  return { provide: LIVE_SNAPSHOT_SOURCE, useValue: option.useValue };
}
