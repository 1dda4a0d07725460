import { Interval, Visit } from '../day-plan';
import { Rng } from '../random';
import { attendanceFactor } from '../scenario/scenario-defaults';
import { OpenSpan, SimDesk } from '../site-model';
import { MINUTE_MS } from '../zoned-time';
import { Member } from './population';
import { SiteDay, toSecond } from './site-day';
import { Weighted } from './weighted';

const DAY_MS = 24 * 60 * MINUTE_MS;

export interface ScenarioMemberDay {
  member: Member;
  visits: Visit[];
  desk: SimDesk | null;
  /** Time away from the desk inside the building (meetings, calls); never overlapping. */
  excursions: Interval[];
}

const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));

/** Attendance multiplier: 1, then fading linearly to `declineTo` over the days before the churn date, then 0. */
export function churnFactor(day: SiteDay, member: Member): number {
  if (member.churnAt === null) return 1;
  if (day.window.from >= member.churnAt) return 0;
  const { declineDays, declineTo } = day.rt.config.behaviour.churn;
  const daysLeft = (member.churnAt - day.window.from) / DAY_MS;
  if (declineDays <= 0 || daysLeft >= declineDays) return 1;
  return declineTo + (1 - declineTo) * (daysLeft / declineDays);
}

/** A time drawn from an hour histogram: the hour by weight, the minute within it uniformly. */
const drawMinutes = (rng: Rng, hours: Weighted<number>): number => hours.pick(rng) * 60 + rng.uniform(0, 60);

function stay(day: SiteDay, rng: Rng, hours: OpenSpan): { arrive: number; leave: number } | null {
  const arrivals = day.rt.arrival[day.weekday];
  const departures = day.rt.departure[day.weekday];
  if (!arrivals || !departures) return null;
  const minStay = Math.min(day.rt.config.behaviour.minStayMinutes, hours.close - hours.open - 5);
  const arrive = clamp(
    drawMinutes(rng, arrivals),
    hours.open + 1,
    Math.max(hours.open + 1, hours.close - minStay),
  );
  let leave = -1;
  // a departure drawn before the arrival is someone else's day: draw again, a few times
  for (let tries = 0; tries < 6 && leave < arrive + minStay; tries++) leave = drawMinutes(rng, departures);
  if (leave < arrive + minStay) leave = arrive + minStay + rng.uniform(0, 30);
  return { arrive, leave: Math.min(leave, hours.close - 2) };
}

function visit(day: SiteDay, rng: Rng, enterMin: number, leaveMin: number): Visit {
  const enter = day.at(enterMin);
  const leave = day.at(leaveMin);
  return {
    enter,
    settle: toSecond(enter + rng.uniform(1, 4) * MINUTE_MS),
    leave,
    exit: toSecond(leave + rng.uniform(40_000, 120_000)),
  };
}

/** Hot desks: first come, first served, on one's usual floor when a desk is free there. */
function assignHotDesks(day: SiteDay, days: ScenarioMemberDay[]): void {
  const rng = day.rng('desks');
  const desks = day.rt.population.hotDesks;
  const freeAt = new Map<string, number>(desks.map((d) => [d.id, -Infinity]));
  const seekers = days
    .filter((d) => d.member.desk === null)
    .sort((a, b) => a.visits[0].enter - b.visits[0].enter);
  for (const md of seekers) {
    const enter = md.visits[0].enter;
    const free = desks.filter((d) => (freeAt.get(d.id) ?? Infinity) <= enter);
    const nearby = free.filter((d) => d.floor === md.member.homeFloor);
    const pool = nearby.length > 0 ? nearby : free;
    if (pool.length === 0) continue; // the lounge: no desk sensor sees them
    md.desk = rng.pick(pool);
    freeAt.set(md.desk.id, md.visits[md.visits.length - 1].exit + 5 * MINUTE_MS);
  }
}

/** Who comes in, when, whether they go out for lunch, and at which desk. */
export function planAttendance(day: SiteDay): ScenarioMemberDay[] {
  const hours = day.hours;
  if (!hours) return [];
  const behaviour = day.rt.config.behaviour;
  const factor = attendanceFactor(behaviour, day.weekday);
  const rng = day.rng('attendance');
  const days: ScenarioMemberDay[] = [];
  for (const member of day.rt.population.members) {
    const p = member.attendance * factor * churnFactor(day, member);
    if (!rng.chance(Math.min(1, p))) continue;
    const span = stay(day, rng, hours);
    if (!span) continue;
    const lunchFrom = rng.normal(13 * 60 + 15, 25);
    const lunchTo = lunchFrom + rng.uniform(30, 70);
    const lunch =
      rng.chance(behaviour.lunchOut) && lunchFrom >= span.arrive + 60 && lunchTo + 60 <= span.leave;
    const visits = lunch
      ? [visit(day, rng, span.arrive, lunchFrom), visit(day, rng, lunchTo, span.leave)]
      : [visit(day, rng, span.arrive, span.leave)];
    days.push({ member, visits, desk: member.desk, excursions: [] });
  }
  assignHotDesks(day, days);
  return days;
}
