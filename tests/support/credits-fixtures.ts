import { ApiKeysService } from '@cw/auth';
import { addDays, localDate, zonedInstant } from '@cw/credits';
import { Database } from '@cw/database';
import { SiteDocumentInput } from '@cw/sites';
import { siteDocument } from './factories';
import { TestPlatform } from './test-app';

export const MADRID = 'Europe/Madrid';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** The factory site, open around the clock every day, with priced rooms (minor units per hour). */
export function pricedSite(overrides: Partial<SiteDocumentInput> = {}): SiteDocumentInput {
  const base = siteDocument();
  const floor = base.floors![0];
  return {
    ...base,
    openingHours: DAYS.map((day) => ({ day, open: '00:00', close: '24:00' })),
    floors: [
      {
        ...floor,
        resources: floor.resources!.map((r) => ({
          ...r,
          basePriceMinor: r.id === 'room-1' ? 2000 : r.id === 'room-2' ? 1200 : 500,
        })),
      },
    ],
    ...overrides,
  };
}

export interface PlanRow {
  id: string;
  name?: string;
  kind?: string;
  priceMinor?: number;
  period?: 'month' | 'once';
  includedCreditsMinor?: number;
  passDays?: number | null;
  passMinutes?: number | null;
  passValidDays?: number | null;
  bookableKinds?: string[];
  discountPct?: number;
}

/** Plans, members and contracts straight into their tables: these tests are about what credits and bookings do. */
export async function insertPlan(db: Database, siteId: string, p: PlanRow): Promise<void> {
  await db.query(
    `INSERT INTO plans (site_id, id, name, kind, price_minor, period, included_credits_minor, pass_days, pass_minutes,
                        pass_valid_days, bookable_kinds, booking_discount_pct)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      siteId,
      p.id,
      p.name ?? p.id,
      p.kind ?? 'flex_desk',
      p.priceMinor ?? 15000,
      p.period ?? 'month',
      p.includedCreditsMinor ?? 0,
      p.passDays ?? null,
      p.passMinutes ?? null,
      p.passValidDays ?? null,
      p.bookableKinds ?? ['meeting_room'],
      p.discountPct ?? 0,
    ],
  );
}

export async function insertMember(
  db: Database,
  siteId: string,
  memberId: string,
  contract?: { planId: string; start?: string; end?: string | null },
): Promise<void> {
  await db.query(`INSERT INTO members (site_id, id, name) VALUES ($1, $2, $3)`, [
    siteId,
    memberId,
    `Member ${memberId}`,
  ]);
  if (contract) {
    await db.query(
      `INSERT INTO contracts (site_id, id, member_id, plan_id, price_minor, start_date, end_date)
       VALUES ($1, $2, $3, $4, 15000, $5::date, $6::date)`,
      [
        siteId,
        `c-${memberId}`,
        memberId,
        contract.planId,
        contract.start ?? '2020-01-01',
        contract.end ?? null,
      ],
    );
  }
}

export async function memberKey(platform: TestPlatform, siteId: string, memberId: string): Promise<string> {
  const keys = platform.app.get(ApiKeysService);
  return (await keys.create({ name: `member ${memberId}`, role: 'member', siteId, memberId })).token;
}

/** A slot `daysAhead` local days from today, from `from` to `to` on the site's wall clock. */
export function localSlot(
  daysAhead: number,
  from: string,
  to: string,
  timeZone = MADRID,
): { start: string; end: string } {
  const date = addDays(localDate(new Date(), timeZone), daysAhead);
  return {
    start: zonedInstant(date, from, timeZone).toISOString(),
    end: zonedInstant(date, to, timeZone).toISOString(),
  };
}

export async function count(db: Database, sql: string, params: unknown[]): Promise<number> {
  const { rows } = await db.query<{ n: string | number }>(sql, params);
  return Number(rows[0].n);
}
