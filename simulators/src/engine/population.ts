import { rngFor, Rng } from '../random';
import { planCounts, DEFAULT_PLAN_ATTENDANCE } from '../scenario/scenario-defaults';
import { ScenarioSite } from '../scenario/scenario-loader';
import { LATENESS_PROFILES, LatenessProfile, PlanKind, PLAN_KINDS } from '../scenario/scenario.schema';
import { SimDesk, SiteModel } from '../site-model';
import { addDays, zonedInstant } from '../zoned-time';
import { Weighted } from './weighted';

export interface Lateness {
  profile: LatenessProfile;
  /** Days after the due date an invoice is paid, on average, and the spread. */
  meanDaysLate: number;
  sdDaysLate: number;
  /** Chance an invoice is not paid at all without a reminder. */
  missRate: number;
}

/** Typical payment behaviour per profile; the scenario chooses how common each profile is. */
export const LATENESS: Record<LatenessProfile, Omit<Lateness, 'profile'>> = {
  on_time: { meanDaysLate: 0, sdDaysLate: 1, missRate: 0 },
  late: { meanDaysLate: 8, sdDaysLate: 4, missRate: 0.02 },
  very_late: { meanDaysLate: 25, sdDaysLate: 10, missRate: 0.1 },
  defaulter: { meanDaysLate: 45, sdDaysLate: 20, missRate: 0.5 },
};

export interface Member {
  id: string;
  site: string;
  plan: PlanKind;
  company: string | null;
  credential: string;
  /** Day passes open the door with a QR code, members with a card. */
  method: 'card' | 'qr';
  homeFloor: string;
  /** Chance of coming in on a weekday whose attendance factor is 1. */
  attendance: number;
  bookingFactor: number;
  /** A reserved desk (fixed desk, private office); null: hot desking. */
  desk: SimDesk | null;
  churnDate: string | null;
  /** Local midnight starting the churn date; no visits from then on. */
  churnAt: number | null;
  lateness: Lateness;
}

export interface Population {
  members: Member[];
  /** Desks nobody reserved, shared first come, first served. */
  hotDesks: SimDesk[];
}

/** A churn date within this many days of the first day marks a member as a churner for payments. */
const CHURNER_HORIZON_DAYS = 365;

function reserveDesks(site: ScenarioSite, model: SiteModel, counts: Record<PlanKind, number>) {
  const byId = new Map(model.desks.map((d) => [d.id, d]));
  const listed = new Set(
    (['private_office', 'fixed_desk'] as const).flatMap((k) => site.population.plans[k]?.desks ?? []),
  );
  const free = model.desks.filter((d) => !listed.has(d.id));
  const reserved: Partial<Record<PlanKind, SimDesk[]>> = {};
  // offices take the last desks of the site, fixed desks the ones before: each plan gets a contiguous block
  for (const kind of ['private_office', 'fixed_desk'] as const) {
    const ids = site.population.plans[kind]?.desks;
    reserved[kind] = ids
      ? ids.flatMap((id) => byId.get(id) ?? [])
      : free.splice(Math.max(0, free.length - counts[kind]), counts[kind]);
  }
  return { reserved, hotDesks: free };
}

function companiesFor(site: ScenarioSite, counts: Record<PlanKind, number>, rng: Rng) {
  const total = site.population.companies;
  const name = (n: number): string => `co-${site.id}-${String(n + 1).padStart(2, '0')}`;
  const office = counts.private_office;
  // about five people per office, never more office companies than companies
  const officeCompanies = office > 0 && total > 0 ? Math.min(total, Math.max(1, Math.ceil(office / 5))) : 0;
  const officeOf = (i: number): string | null =>
    officeCompanies > 0 ? name(Math.floor((i * officeCompanies) / office)) : null;
  const others = total - officeCompanies > 0 ? [officeCompanies, total] : [0, total];
  const otherOf = (): string | null =>
    total === 0 || rng.chance(site.population.freelancers) ? null : name(rng.int(others[0], others[1] - 1));
  return { officeOf, otherOf };
}

function lateness(site: ScenarioSite, churner: boolean, rng: Rng): Lateness {
  const { profiles, churnerProfiles } = site.behaviour.payments;
  const weights = churner && churnerProfiles ? churnerProfiles : profiles;
  const profile = new Weighted(LATENESS_PROFILES.map((p) => [p, weights[p] ?? 0] as const)).pick(rng);
  return { profile, ...LATENESS[profile] };
}

/** The members of a site for the whole run: plans, companies, reserved desks, churn dates and payment habits. */
export function buildPopulation(
  seed: number,
  site: ScenarioSite,
  model: SiteModel,
  firstDay: string,
): Population {
  const rng = rngFor(seed, `${site.id}:population`);
  const counts = planCounts(site.population);
  const { reserved, hotDesks } = reserveDesks(site, model, counts);
  const companies = companiesFor(site, counts, rng);
  const { monthlyRate } = site.behaviour.churn;
  const total = PLAN_KINDS.reduce((sum, k) => sum + counts[k], 0);
  const width = Math.max(4, String(total).length);
  const members: Member[] = [];
  for (const plan of PLAN_KINDS) {
    const mean = site.population.plans[plan]?.attendance ?? DEFAULT_PLAN_ATTENDANCE[plan];
    for (let i = 0; i < counts[plan]; i++) {
      const desk = reserved[plan]?.[i] ?? null;
      const attendance = plan === 'day_pass' ? mean * rng.uniform(0.3, 1.7) : rng.normal(mean, 0.12);
      const churnDays =
        plan !== 'day_pass' && monthlyRate > 0
          ? Math.ceil((-Math.log(1 - rng.next()) * 30) / monthlyRate)
          : null;
      const churnDate = churnDays === null ? null : addDays(firstDay, Math.max(1, churnDays));
      members.push({
        id: `m-${site.id}-${String(members.length + 1).padStart(width, '0')}`,
        site: site.id,
        plan,
        company:
          plan === 'day_pass'
            ? null
            : plan === 'private_office'
              ? companies.officeOf(i)
              : companies.otherOf(),
        credential: `${plan === 'day_pass' ? 'pass' : 'card'}-${rng.int(0, 0xffffffff).toString(16).padStart(8, '0')}`,
        method: plan === 'day_pass' ? 'qr' : 'card',
        homeFloor: desk?.floor ?? (model.floors.length > 0 ? rng.pick(model.floors) : ''),
        attendance: Math.min(0.98, Math.max(0.01, attendance)),
        bookingFactor: (site.population.plans[plan]?.bookingFactor ?? 1) * rng.uniform(0.4, 1.6),
        desk,
        churnDate,
        churnAt: churnDate === null ? null : zonedInstant(churnDate, 0, model.timeZone),
        lateness: lateness(site, churnDays !== null && churnDays <= CHURNER_HORIZON_DAYS, rng),
      });
    }
  }
  return { members, hotDesks };
}
