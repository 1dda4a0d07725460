import { Injectable } from '@nestjs/common';
import { Database } from '@cw/database';
import { OccupancyDelta, ResourceState, ResourceStateName } from '@cw/events';

interface StateRow {
  resource_id: string;
  state: ResourceStateName;
  occupancy: number | null;
  booking_id: string | null;
  ts: Date;
}

@Injectable()
export class OccupancyRepository {
  constructor(private readonly db: Database) {}

  async recordChanges(changes: OccupancyDelta[]): Promise<void> {
    if (changes.length === 0) return;
    await this.db.query(
      `INSERT INTO occupancy_changes (ts, site_id, resource_id, state, previous, occupancy, booking_id)
       SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[])`,
      [
        changes.map((c) => c.since),
        changes.map((c) => c.siteId),
        changes.map((c) => c.resourceId),
        changes.map((c) => c.state),
        changes.map((c) => c.previous),
        changes.map((c) => c.occupancy),
        changes.map((c) => c.bookingId),
      ],
    );
  }

  /** The last recorded state of each resource, so a restart does not announce every resource as a change. */
  async latestStates(siteId: string): Promise<ResourceState[]> {
    const { rows } = await this.db.query<StateRow>(
      `SELECT DISTINCT ON (resource_id) resource_id, state, occupancy, booking_id, ts
       FROM occupancy_changes WHERE site_id = $1 ORDER BY resource_id, ts DESC, recorded_at DESC`,
      [siteId],
    );
    return rows.map((r) => ({
      siteId,
      resourceId: r.resource_id,
      state: r.state,
      occupancy: r.occupancy,
      bookingId: r.booking_id,
      since: new Date(r.ts).toISOString(),
    }));
  }

  /** Presence readings recent enough to still count, oldest first, to rebuild sensor memory at boot. */
  async recentPresence(
    siteId: string,
    since: Date,
  ): Promise<{ sensor_id: string; resource_id: string; value: number; ts: Date }[]> {
    const { rows } = await this.db.query<{ sensor_id: string; resource_id: string; value: number; ts: Date }>(
      `SELECT sensor_id, resource_id, value, ts FROM sensor_readings
       WHERE site_id = $1 AND kind = 'presence' AND resource_id IS NOT NULL AND ts >= $2 ORDER BY ts`,
      [siteId, since.toISOString()],
    );
    return rows;
  }
}
