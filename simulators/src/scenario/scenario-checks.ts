import { SiteDocument, WEEKDAYS } from '@cw/sites';
import { buildSiteModel, OpenSpan } from '../site-model';
import { Weekday } from '../zoned-time';
import { attendanceFactor, planCounts } from './scenario-defaults';
import { IssuePath } from './scenario-error';
import { BehaviourConfig, DayKey, hourOfKey, ScenarioSiteInput } from './scenario.schema';

export interface RawIssue {
  path: IssuePath;
  message: string;
}

const clock = (minutes: number): string =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

type Hours = Partial<Record<Weekday, OpenSpan>>;

/** Hour weights that put people in a closed building are an impossible schedule, not a quiet hour. */
function checkHourWeights(
  kind: 'arrival' | 'departure',
  weights: BehaviourConfig['arrival'],
  hours: Hours,
  behaviour: BehaviourConfig,
  issues: RawIssue[],
): void {
  for (const [key, byHour] of Object.entries(weights) as Array<[DayKey, Record<string, number>]>) {
    const path = ['behaviour', kind, key];
    if (key !== 'default' && !hours[key]) {
      issues.push({ path, message: `the site is closed on ${key}` });
      continue;
    }
    // `default` covers the open days nobody is kept away from (attendance factor 0) that have no entry of their own
    const days =
      key === 'default'
        ? WEEKDAYS.filter((d) => hours[d] && !weights[d] && attendanceFactor(behaviour, d) > 0)
        : [key];
    for (const [hourKey, weight] of Object.entries(byHour)) {
      if (weight <= 0) continue;
      const from = hourOfKey(hourKey) * 60;
      const closedOn = days.find((d) => {
        const span = hours[d];
        return span !== undefined && (from + 60 <= span.open || from >= span.close);
      });
      const span = closedOn && hours[closedOn];
      if (closedOn && span)
        issues.push({
          path: [...path, hourKey],
          message: `${clock(from)}-${clock(from + 60)} lies outside the opening hours on ${closedOn} (${clock(span.open)}-${clock(span.close)})`,
        });
    }
  }
  for (const day of WEEKDAYS) {
    if (hours[day] && attendanceFactor(behaviour, day) > 0 && !weights[day] && !weights.default)
      issues.push({ path: ['behaviour', kind], message: `no ${kind} hours for ${day}, an open day` });
  }
}

function checkLengths(site: ScenarioSiteInput, hours: Hours, issues: RawIssue[]): void {
  const spans = Object.values(hours).map((s) => s.close - s.open);
  if (spans.length === 0) return;
  const longest = Math.max(...spans);
  const { bookings, minStayMinutes } = site.behaviour;
  for (const [key, weight] of Object.entries(bookings.lengths)) {
    if (weight > 0 && Number(key) > longest)
      issues.push({
        path: ['behaviour', 'bookings', 'lengths', key],
        message: `a ${key}-minute meeting is longer than the longest opening (${longest} minutes)`,
      });
  }
  if (minStayMinutes > longest)
    issues.push({
      path: ['behaviour', 'minStayMinutes'],
      message: `longer than the longest opening (${longest} minutes)`,
    });
}

function checkDesks(site: ScenarioSiteInput, document: SiteDocument, issues: RawIssue[]): void {
  const kinds = new Map(document.floors.flatMap((f) => f.resources.map((r) => [r.id, r.kind] as const)));
  const desks = [...kinds].filter(([, kind]) => kind === 'desk').length;
  const counts = planCounts(site.population);
  const taken = new Map<string, string>();
  let reserved = 0;
  for (const kind of ['fixed_desk', 'private_office'] as const) {
    const plan = site.population.plans[kind];
    if (!plan) continue;
    const path = ['population', 'plans', kind];
    const sizeKey = plan.count !== undefined ? 'count' : 'share';
    plan.desks?.forEach((id, k) => {
      const resourceKind = kinds.get(id);
      if (resourceKind === undefined)
        issues.push({ path: [...path, 'desks', k], message: `unknown resource ${id}` });
      else if (resourceKind !== 'desk')
        issues.push({ path: [...path, 'desks', k], message: `${id} is a ${resourceKind}, not a desk` });
      else if (taken.has(id))
        issues.push({
          path: [...path, 'desks', k],
          message: `${id} is already reserved for ${taken.get(id)}`,
        });
      taken.set(id, kind);
    });
    if (plan.desks && counts[kind] > plan.desks.length)
      issues.push({
        path: [...path, sizeKey],
        message: `${counts[kind]} members need as many desks; ${plan.desks.length} listed`,
      });
    const before = reserved;
    reserved += plan.desks ? plan.desks.length : counts[kind];
    if (reserved > desks && before <= desks)
      issues.push({
        path: [...path, sizeKey],
        message: `fixed and office members need ${reserved} desks; the site has ${desks}`,
      });
  }
}

function checkNames(site: ScenarioSiteInput, document: SiteDocument, issues: RawIssue[]): void {
  const resources = new Set(document.floors.flatMap((f) => f.resources.map((r) => r.id)));
  const bookable = new Set(buildSiteModel(document).rooms.map((r) => r.id));
  site.behaviour.bookings.rooms?.forEach((id, k) => {
    const path = ['behaviour', 'bookings', 'rooms', k];
    if (!resources.has(id)) issues.push({ path, message: `unknown resource ${id}` });
    else if (!bookable.has(id))
      issues.push({ path, message: `${id} is not a bookable meeting room with a door or presence sensor` });
  });
  const devices = new Set(document.devices.map((d) => d.id));
  site.devices.outages.forEach((outage, k) => {
    if (!devices.has(outage.device))
      issues.push({ path: ['devices', 'outages', k, 'device'], message: `unknown device ${outage.device}` });
  });
  for (const id of Object.keys(site.devices.overrides)) {
    if (!devices.has(id))
      issues.push({ path: ['devices', 'overrides', id], message: `unknown device ${id}` });
  }
}

/** What a site entry can only be checked against once its site document is known; paths relative to the entry. */
export function checkScenarioSite(site: ScenarioSiteInput, document: SiteDocument): RawIssue[] {
  const issues: RawIssue[] = [];
  const hours = buildSiteModel(document).hours;
  checkHourWeights('arrival', site.behaviour.arrival, hours, site.behaviour, issues);
  checkHourWeights('departure', site.behaviour.departure, hours, site.behaviour, issues);
  checkLengths(site, hours, issues);
  checkDesks(site, document, issues);
  checkNames(site, document, issues);
  return issues;
}
