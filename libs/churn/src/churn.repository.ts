import { Injectable } from '@nestjs/common';
import { Database } from '@cw/database';
import { FEATURE_CAPS, LATE_GRACE_DAYS, PAYMENT_HISTORY_DAYS } from './model/features';
import { shiftDay } from './model/local-days';

export interface SiteZone {
  timeZone: string;
}

export interface ContractRow {
  member_id: string;
  company_id: string | null;
  contract_id: string;
  plan_kind: string;
  start_date: string;
  price_minor: number;
  end_date: string | null;
  notice_on: string | null;
  renewed: boolean;
  member_since: string;
  previous_price: number | null;
}

export interface DaysRow {
  member_id: string;
  days: string[];
}

export interface OverdueRow {
  member_id: string | null;
  company_id: string | null;
  count: number;
  amount_minor: string | number;
  oldest_due: string | null;
  judged: number;
  late: number;
}

export interface StoredScore {
  memberId: string;
  score: number | null;
  reason: string | null;
  factors: unknown;
}

export interface StoredScoreRow {
  member_id: string;
  name: string | null;
  score: number | null;
  reason: string | null;
  factors: unknown;
  model_version: string;
}

/** Local midnight starting a site-local day, as an instant: the bound every "before the scoring day" uses. */
const MIDNIGHT = (day: string, zone: string) => `((${day}::date)::timestamp AT TIME ZONE ${zone})`;

// Factors are JSON of a few hundred bytes: batches stay under the pglite-socket message limit.
const INSERT_BATCH = 40;

/**
 * The churn model's reads, each one set-based query per site and scoring day, and the stored daily scores. Every
 * read stops at local midnight of the scoring day: a score as of a day uses nothing that happened on or after it.
 */
@Injectable()
export class ChurnRepository {
  constructor(private readonly db: Database) {}

  async siteZone(siteId: string): Promise<SiteZone | undefined> {
    const { rows } = await this.db.query<{ time_zone: string }>('SELECT time_zone FROM sites WHERE id = $1', [
      siteId,
    ]);
    return rows[0] ? { timeZone: rows[0].time_zone } : undefined;
  }

  async sites(): Promise<Array<{ id: string; timeZone: string }>> {
    const { rows } = await this.db.query<{ id: string; time_zone: string }>(
      'SELECT id, time_zone FROM sites ORDER BY id COLLATE "C"',
    );
    return rows.map((r) => ({ id: r.id, timeZone: r.time_zone }));
  }

  /**
   * Members holding a monthly membership contract on the scoring day, with what was known of it before that day: an
   * end date counts once fixed at signing or once notice was given; a later contract means it was renewed or changed.
   */
  async activeContracts(siteId: string, day: string, timeZone: string): Promise<ContractRow[]> {
    const { rows } = await this.db.query<ContractRow>(
      `SELECT c.member_id, c.company_id, c.id AS contract_id, p.kind AS plan_kind, c.start_date::text AS start_date,
              c.price_minor,
              CASE WHEN c.end_date IS NOT NULL AND (c.notice_given_at IS NULL OR c.notice_given_at < ${MIDNIGHT('$2', '$3')})
                   THEN c.end_date::text END AS end_date,
              CASE WHEN c.notice_given_at < ${MIDNIGHT('$2', '$3')}
                   THEN (c.notice_given_at AT TIME ZONE $3)::date::text END AS notice_on,
              EXISTS (SELECT 1 FROM contracts n
                      WHERE n.site_id = c.site_id AND n.member_id = c.member_id AND n.status <> 'cancelled'
                        AND c.end_date IS NOT NULL AND n.start_date >= c.end_date) AS renewed,
              (SELECT min(a.start_date) FROM contracts a
                WHERE a.site_id = c.site_id AND a.member_id = c.member_id AND a.status <> 'cancelled')::text AS member_since,
              (SELECT prev.price_minor FROM contracts prev
                WHERE prev.site_id = c.site_id AND prev.member_id = c.member_id AND prev.status <> 'cancelled'
                  AND prev.end_date = c.start_date
                ORDER BY prev.start_date DESC LIMIT 1) AS previous_price
       FROM contracts c
       JOIN plans p ON p.site_id = c.site_id AND p.id = c.plan_id
       JOIN members m ON m.site_id = c.site_id AND m.id = c.member_id
       WHERE c.site_id = $1 AND c.status <> 'cancelled' AND p.period = 'month' AND m.status <> 'erased'
         AND c.start_date <= $2::date AND (c.end_date IS NULL OR c.end_date > $2::date)
       ORDER BY c.member_id COLLATE "C"`,
      [siteId, day, timeZone],
    );
    return rows;
  }

  /**
   * Distinct local days with a granted door entry per member, over the window the gap and the trends need. A door
   * that reports only the credential is matched to its holder through the credentials table.
   */
  async visitDays(siteId: string, day: string, timeZone: string): Promise<DaysRow[]> {
    const { rows } = await this.db.query<DaysRow>(
      `SELECT member_id, array_agg(day::text ORDER BY day) AS days
       FROM (
         SELECT DISTINCT COALESCE(d.member_id, c.member_id) AS member_id, (d.ts AT TIME ZONE $3)::date AS day
         FROM door_events d
         LEFT JOIN credentials c ON d.member_id IS NULL AND c.site_id = d.site_id AND c.value = d.credential
         WHERE d.site_id = $1 AND d.result = 'granted'
           AND d.ts >= ${MIDNIGHT('$4', '$3')} AND d.ts < ${MIDNIGHT('$2', '$3')}
       ) v
       WHERE member_id IS NOT NULL
       GROUP BY member_id`,
      [siteId, day, timeZone, shiftDay(day, -FEATURE_CAPS.MAX_GAP_DAYS)],
    );
    return rows;
  }

  /** Local start days of each member's bookings that were not cancelled, one entry per booking. */
  async bookingDays(siteId: string, day: string, timeZone: string, fromDay: string): Promise<DaysRow[]> {
    const { rows } = await this.db.query<DaysRow>(
      `SELECT member_id, array_agg((start_at AT TIME ZONE $3)::date::text ORDER BY start_at) AS days
       FROM bookings
       WHERE site_id = $1 AND member_id IS NOT NULL AND status <> 'cancelled'
         AND start_at >= ${MIDNIGHT('$4', '$3')} AND start_at < ${MIDNIGHT('$2', '$3')}
       GROUP BY member_id`,
      [siteId, day, timeZone, fromDay],
    );
    return rows;
  }

  /**
   * Per member invoiced (or per company, for invoices naming no member): invoices due before the scoring day with a
   * balance left at its start (the total less payments received before it and credit notes issued before it), and,
   * over the last six months, the invoices whose week of grace had ended and how many still owed money when it did.
   */
  async payments(siteId: string, day: string, timeZone: string): Promise<OverdueRow[]> {
    const { rows } = await this.db.query<OverdueRow>(
      `WITH due AS (
         SELECT i.id, i.member_id, i.company_id, i.due_date, i.total_minor
         FROM invoices i
         WHERE i.site_id = $1 AND i.kind = 'invoice' AND i.due_date < $2::date
       ),
       received AS (
         SELECT a.invoice_id, a.amount_minor, p.received_at
         FROM payment_allocations a
         JOIN payments p ON p.site_id = a.site_id AND p.id = a.payment_id
         WHERE a.site_id = $1 AND p.received_at < ${MIDNIGHT('$2', '$3')}
       ),
       credited AS (
         SELECT corrects_id AS invoice_id, sum(abs(total_minor)) AS amount
         FROM invoices
         WHERE site_id = $1 AND kind = 'credit_note' AND issue_date < $2::date
         GROUP BY corrects_id
       ),
       per_invoice AS (
         SELECT due.member_id, due.company_id, due.due_date,
                due.due_date >= $4::date AND due.due_date + $5::int + 1 <= $2::date AS judged,
                due.total_minor - COALESCE(credited.amount, 0)
                  - COALESCE((SELECT sum(r.amount_minor) FROM received r WHERE r.invoice_id = due.id), 0) AS balance,
                due.total_minor - COALESCE(credited.amount, 0)
                  - COALESCE((SELECT sum(r.amount_minor) FROM received r WHERE r.invoice_id = due.id
                                AND r.received_at < ${MIDNIGHT('(due.due_date + $5::int + 1)', '$3')}), 0) AS after_grace
         FROM due LEFT JOIN credited ON credited.invoice_id = due.id
       )
       SELECT member_id, CASE WHEN member_id IS NULL THEN company_id END AS company_id,
              count(*) FILTER (WHERE balance > 0)::int AS count,
              COALESCE(sum(balance) FILTER (WHERE balance > 0), 0) AS amount_minor,
              min(due_date) FILTER (WHERE balance > 0)::text AS oldest_due,
              count(*) FILTER (WHERE judged)::int AS judged,
              count(*) FILTER (WHERE judged AND after_grace > 0)::int AS late
       FROM per_invoice
       GROUP BY 1, 2`,
      [siteId, day, timeZone, shiftDay(day, -PAYMENT_HISTORY_DAYS), LATE_GRACE_DAYS],
    );
    return rows;
  }

  /** Replaces a day's scores of a site in one transaction: recomputing a day is idempotent. */
  async replaceDay(siteId: string, day: string, modelVersion: string, scores: StoredScore[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query('DELETE FROM churn_scores WHERE site_id = $1 AND scored_on = $2::date', [siteId, day]);
      for (let i = 0; i < scores.length; i += INSERT_BATCH) {
        const batch = scores.slice(i, i + INSERT_BATCH);
        await tx.query(
          `INSERT INTO churn_scores (site_id, member_id, scored_on, score, reason, factors, model_version)
           SELECT $1, s.member_id, $2::date, s.score, s.reason, s.factors::jsonb, $3
           FROM unnest($4::text[], $5::int[], $6::text[], $7::text[]) AS s(member_id, score, reason, factors)`,
          [
            siteId,
            day,
            modelVersion,
            batch.map((s) => s.memberId),
            batch.map((s) => s.score),
            batch.map((s) => s.reason),
            batch.map((s) => JSON.stringify(s.factors)),
          ],
        );
      }
    });
  }

  async hasDay(siteId: string, day: string): Promise<boolean> {
    const { rows } = await this.db.query(
      'SELECT 1 FROM churn_scores WHERE site_id = $1 AND scored_on = $2::date LIMIT 1',
      [siteId, day],
    );
    return rows.length > 0;
  }

  /** Scored members of a day at or above a score, highest first. */
  async listDay(siteId: string, day: string, minScore: number, limit: number): Promise<StoredScoreRow[]> {
    const { rows } = await this.db.query<StoredScoreRow>(
      `SELECT s.member_id, m.name, s.score, s.reason, s.factors, s.model_version
       FROM churn_scores s
       JOIN members m ON m.site_id = s.site_id AND m.id = s.member_id
       WHERE s.site_id = $1 AND s.scored_on = $2::date AND s.score >= $3
       ORDER BY s.score DESC, s.member_id COLLATE "C"
       LIMIT $4`,
      [siteId, day, minScore, limit],
    );
    return rows;
  }

  /** Members of a day who got no score, with the reason. */
  async unscored(siteId: string, day: string): Promise<Array<{ member_id: string; reason: string }>> {
    const { rows } = await this.db.query<{ member_id: string; reason: string }>(
      `SELECT member_id, reason FROM churn_scores
       WHERE site_id = $1 AND scored_on = $2::date AND score IS NULL
       ORDER BY member_id COLLATE "C"`,
      [siteId, day],
    );
    return rows;
  }
}
