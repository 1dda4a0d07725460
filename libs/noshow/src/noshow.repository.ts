import { Injectable } from '@nestjs/common';
import { Database, Queryable } from '@cw/database';
import { BookingRelease } from '@cw/events';
import { DEFAULT_POLICY, NoShowPolicy } from './noshow.rules';

interface PolicyRow {
  early_seconds: number;
  grace_seconds: number;
  ghost_enabled: boolean;
  ghost_after_seconds: number;
}

interface ReleaseRow {
  site_id: string;
  booking_id: string;
  release_id: string;
  resource_id: string;
  member_id: string | null;
  reason: 'no_show' | 'ghost';
  booking_start: Date;
  booking_end: Date;
  decided_at: Date;
  released_at: Date;
}

const RELEASE_COLUMNS =
  'site_id, booking_id, release_id, resource_id, member_id, reason, booking_start, booking_end, decided_at, released_at';

const toPolicy = (row: PolicyRow): NoShowPolicy => ({
  earlyMs: row.early_seconds * 1000,
  graceMs: row.grace_seconds * 1000,
  ghostEnabled: row.ghost_enabled,
  ghostAfterMs: row.ghost_after_seconds * 1000,
});

function toRelease(r: ReleaseRow): BookingRelease {
  return {
    releaseId: r.release_id,
    siteId: r.site_id,
    bookingId: r.booking_id,
    resourceId: r.resource_id,
    memberId: r.member_id,
    reason: r.reason,
    bookingStart: new Date(r.booking_start).toISOString(),
    bookingEnd: new Date(r.booking_end).toISOString(),
    decidedAt: new Date(r.decided_at).toISOString(),
    releasedAt: new Date(r.released_at).toISOString(),
  };
}

@Injectable()
export class NoShowRepository {
  constructor(private readonly db: Database) {}

  /** The policy of the resource's kind at its site, else the site default, else 15 + 15 minutes. */
  async policyFor(siteId: string, resourceId: string, q: Queryable = this.db): Promise<NoShowPolicy> {
    const { rows } = await q.query<PolicyRow>(
      `SELECT p.early_seconds, p.grace_seconds, p.ghost_enabled, p.ghost_after_seconds
       FROM resources r JOIN noshow_policies p ON p.site_id = r.site_id AND p.resource_kind IN (r.kind, '*')
       WHERE r.site_id = $1 AND r.id = $2 ORDER BY (p.resource_kind = '*') LIMIT 1`,
      [siteId, resourceId],
    );
    return rows[0] ? toPolicy(rows[0]) : DEFAULT_POLICY;
  }

  /** Every resource of the site with its kind, and every policy stored for the site: what the policy cache holds. */
  async sitePolicies(
    siteId: string,
  ): Promise<{ kinds: Map<string, string>; policies: Map<string, NoShowPolicy> }> {
    const [resources, policies] = await Promise.all([
      this.db.query<{ id: string; kind: string }>('SELECT id, kind FROM resources WHERE site_id = $1', [
        siteId,
      ]),
      this.db.query<PolicyRow & { resource_kind: string }>(
        `SELECT resource_kind, early_seconds, grace_seconds, ghost_enabled, ghost_after_seconds
         FROM noshow_policies WHERE site_id = $1`,
        [siteId],
      ),
    ]);
    return {
      kinds: new Map(resources.rows.map((r) => [r.id, r.kind])),
      policies: new Map(policies.rows.map((r) => [r.resource_kind, toPolicy(r)])),
    };
  }

  /** The policy stored for exactly this kind ('*' = the site default), or the built-in default. */
  async policyOfKind(siteId: string, kind: string): Promise<NoShowPolicy> {
    const { rows } = await this.db.query<PolicyRow>(
      `SELECT early_seconds, grace_seconds, ghost_enabled, ghost_after_seconds FROM noshow_policies WHERE site_id = $1 AND resource_kind = $2`,
      [siteId, kind],
    );
    return rows[0] ? toPolicy(rows[0]) : DEFAULT_POLICY;
  }

  /** `kind` '*' sets the site default. */
  async setPolicy(siteId: string, kind: string, policy: NoShowPolicy): Promise<void> {
    await this.db.query(
      `INSERT INTO noshow_policies (site_id, resource_kind, early_seconds, grace_seconds, ghost_enabled, ghost_after_seconds)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (site_id, resource_kind) DO UPDATE SET early_seconds = EXCLUDED.early_seconds, grace_seconds = EXCLUDED.grace_seconds,
         ghost_enabled = EXCLUDED.ghost_enabled, ghost_after_seconds = EXCLUDED.ghost_after_seconds`,
      [
        siteId,
        kind,
        Math.round(policy.earlyMs / 1000),
        Math.round(policy.graceMs / 1000),
        policy.ghostEnabled,
        Math.round(policy.ghostAfterMs / 1000),
      ],
    );
  }

  /**
   * The earliest check-in evidence in the window, by event time: presence or people counted in the resource, or
   * a granted door event of the booker at a door serving it. Someone else's badge is not the booker's evidence.
   */
  async firstEvidence(
    q: Queryable,
    siteId: string,
    resourceId: string,
    memberId: string | null,
    from: Date,
    to: Date,
  ): Promise<Date | null> {
    const { rows } = await q.query<{ first: Date | null }>(
      `SELECT min(ts) AS first FROM (
         SELECT min(ts) AS ts FROM sensor_readings
         WHERE site_id = $1 AND resource_id = $2 AND ts BETWEEN $3 AND $4
           AND ((kind = 'presence' AND value = 1) OR (kind IN ('people_in', 'count') AND value > 0))
         UNION ALL
         SELECT min(ts) FROM door_events
         WHERE site_id = $1 AND $2 = ANY (resource_ids) AND result = 'granted' AND $5::text IS NOT NULL AND member_id = $5
           AND ts BETWEEN $3 AND $4
       ) evidence`,
      [siteId, resourceId, from.toISOString(), to.toISOString(), memberId],
    );
    const first = rows[0]?.first;
    return first ? new Date(first) : null;
  }

  /**
   * `firstEvidence` for many bookings of one site in one statement (a burst of due decisions): per booking, the
   * earliest evidence in its own window, or null.
   */
  async firstEvidenceMany(
    q: Queryable,
    siteId: string,
    windows: { bookingId: string; resourceId: string; memberId: string | null; from: Date; to: Date }[],
  ): Promise<Map<string, Date | null>> {
    if (windows.length === 0) return new Map();
    const { rows } = await q.query<{ booking_id: string; first: Date | null }>(
      `SELECT w.booking_id, least(
         (SELECT min(s.ts) FROM sensor_readings s
          WHERE s.site_id = $1 AND s.resource_id = w.resource_id AND s.ts BETWEEN w.from_ts AND w.to_ts
            AND ((s.kind = 'presence' AND s.value = 1) OR (s.kind IN ('people_in', 'count') AND s.value > 0))),
         (SELECT min(d.ts) FROM door_events d
          WHERE d.site_id = $1 AND w.member_id IS NOT NULL AND d.member_id = w.member_id
            AND w.resource_id = ANY (d.resource_ids) AND d.result = 'granted' AND d.ts BETWEEN w.from_ts AND w.to_ts)
       ) AS first
       FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[])
         AS w(booking_id, resource_id, member_id, from_ts, to_ts)`,
      [
        siteId,
        windows.map((w) => w.bookingId),
        windows.map((w) => w.resourceId),
        windows.map((w) => w.memberId),
        windows.map((w) => w.from.toISOString()),
        windows.map((w) => w.to.toISOString()),
      ],
    );
    return new Map(rows.map((r) => [r.booking_id, r.first ? new Date(r.first) : null]));
  }

  /** `insertRelease` for many bookings in one statement; only the rows actually inserted come back. */
  async insertReleases(
    q: Queryable,
    releases: Omit<BookingRelease, 'releasedAt'>[],
  ): Promise<BookingRelease[]> {
    if (releases.length === 0) return [];
    const { rows } = await q.query<ReleaseRow>(
      `INSERT INTO booking_releases (site_id, booking_id, release_id, resource_id, member_id, reason, booking_start,
         booking_end, decided_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
         $7::timestamptz[], $8::timestamptz[], $9::timestamptz[])
       ON CONFLICT (site_id, booking_id) DO NOTHING RETURNING ${RELEASE_COLUMNS}`,
      [
        releases.map((r) => r.siteId),
        releases.map((r) => r.bookingId),
        releases.map((r) => r.releaseId),
        releases.map((r) => r.resourceId),
        releases.map((r) => r.memberId),
        releases.map((r) => r.reason),
        releases.map((r) => r.bookingStart),
        releases.map((r) => r.bookingEnd),
        releases.map((r) => r.decidedAt),
      ],
    );
    return rows.map(toRelease);
  }

  /** At most once per booking: a second insert for the same booking does nothing and returns undefined. */
  async insertRelease(
    q: Queryable,
    release: Omit<BookingRelease, 'releasedAt'>,
  ): Promise<BookingRelease | undefined> {
    const { rows } = await q.query<ReleaseRow>(
      `INSERT INTO booking_releases (site_id, booking_id, release_id, resource_id, member_id, reason, booking_start, booking_end, decided_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (site_id, booking_id) DO NOTHING RETURNING ${RELEASE_COLUMNS}`,
      [
        release.siteId,
        release.bookingId,
        release.releaseId,
        release.resourceId,
        release.memberId,
        release.reason,
        release.bookingStart,
        release.bookingEnd,
        release.decidedAt,
      ],
    );
    return rows[0] ? toRelease(rows[0]) : undefined;
  }

  /** Releases still unpublished that were recorded at least `minAgeMs` ago, oldest first. */
  async unpublished(limit = 500, minAgeMs = 0): Promise<BookingRelease[]> {
    const { rows } = await this.db.query<ReleaseRow>(
      `SELECT ${RELEASE_COLUMNS} FROM booking_releases
       WHERE published_at IS NULL AND released_at <= now() - make_interval(secs => $2::double precision)
       ORDER BY released_at LIMIT $1`,
      [limit, minAgeMs / 1000],
    );
    return rows.map(toRelease);
  }

  async markPublished(siteId: string, bookingId: string): Promise<void> {
    await this.markPublishedMany([{ siteId, bookingId }]);
  }

  async markPublishedMany(releases: { siteId: string; bookingId: string }[]): Promise<void> {
    if (releases.length === 0) return;
    await this.db.query(
      `UPDATE booking_releases r SET published_at = now()
       FROM unnest($1::text[], $2::text[]) AS p(site_id, booking_id)
       WHERE r.site_id = p.site_id AND r.booking_id = p.booking_id AND r.published_at IS NULL`,
      [releases.map((r) => r.siteId), releases.map((r) => r.bookingId)],
    );
  }

  async listReleases(siteId: string, from: Date, to: Date): Promise<BookingRelease[]> {
    const { rows } = await this.db.query<ReleaseRow>(
      `SELECT ${RELEASE_COLUMNS} FROM booking_releases WHERE site_id = $1 AND released_at >= $2 AND released_at < $3 ORDER BY released_at`,
      [siteId, from.toISOString(), to.toISOString()],
    );
    return rows.map(toRelease);
  }
}
