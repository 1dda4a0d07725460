import { DayContext, toSecond } from './day-context';
import { MemberDay, Visit } from './day-plan';
import { Rng } from './random';
import { SimMember } from './roster';
import { OpenSpan, SimDesk } from './site-model';
import { MINUTE_MS } from './zoned-time';

/** Share of members who turn up on a short day (a Saturday morning) compared with a weekday. */
const SHORT_DAY_ATTENDANCE = 0.3;
const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));

interface StayPlan {
  arrive: number;
  leave: number;
  lunch: { from: number; to: number } | null;
}

/** Minutes since midnight. The morning peak sits around 09:00, or an hour after opening if that is later. */
function fullDayStay(rng: Rng, member: SimMember, hours: OpenSpan): StayPlan {
  const afternoon = member.afternoons || rng.chance(0.05);
  const arrive = clamp(
    afternoon ? rng.normal(13 * 60 + 45, 25) : rng.normal(Math.max(9 * 60, hours.open + 60), 35),
    hours.open + 2,
    hours.close - 90,
  );
  const leave = clamp(
    afternoon ? rng.normal(18 * 60 + 30, 60) : rng.normal(17 * 60 + 45, 70),
    Math.min(arrive + 120, hours.close - 5),
    hours.close - 5,
  );
  let lunch: StayPlan['lunch'] = null;
  if (!afternoon && member.luncher && rng.chance(0.8)) {
    const from = rng.normal(13 * 60 + 30, 25);
    const to = from + rng.uniform(30, 70);
    if (from >= arrive + 60 && to + 60 <= leave) lunch = { from, to };
  }
  return { arrive, leave, lunch };
}

function shortDayStay(rng: Rng, hours: OpenSpan): StayPlan {
  const arrive = clamp(rng.normal(hours.open + 50, 30), hours.open + 2, hours.close - 60);
  const leave = clamp(
    rng.normal(hours.close - 50, 40),
    Math.min(arrive + 45, hours.close - 5),
    hours.close - 5,
  );
  return { arrive, leave, lunch: null };
}

function visit(ctx: DayContext, rng: Rng, enterMin: number, leaveMin: number): Visit {
  const enter = ctx.at(enterMin);
  const leave = ctx.at(leaveMin);
  return {
    enter,
    settle: toSecond(enter + rng.uniform(1, 4) * MINUTE_MS),
    leave,
    exit: toSecond(leave + rng.uniform(40_000, 120_000)),
  };
}

/** Hot desks: first come, first served, near one's usual floor when a desk is free there. */
function assignDesks(ctx: DayContext, days: MemberDay[]): void {
  const rng = ctx.rng('desks');
  const freeAt = new Map<string, number>(ctx.model.desks.map((d) => [d.id, -Infinity]));
  const byArrival = [...days].sort((a, b) => a.visits[0].enter - b.visits[0].enter);
  for (const day of byArrival) {
    const enter = day.visits[0].enter;
    const free = ctx.model.desks.filter((d) => (freeAt.get(d.id) ?? Infinity) <= enter);
    const nearby = free.filter((d) => d.floor === day.member.homeFloor);
    const pool: SimDesk[] = nearby.length > 0 ? nearby : free;
    if (pool.length === 0) continue; // the lounge: no desk sensor sees them
    day.desk = rng.pick(pool);
    freeAt.set(day.desk.id, day.visits[day.visits.length - 1].exit + 5 * MINUTE_MS);
  }
}

/** Who comes in, when, with a lunch outside or not, and at which desk. */
export function planMemberDays(ctx: DayContext): MemberDay[] {
  const hours = ctx.hours;
  if (!hours) return [];
  const rng = ctx.rng('members');
  const days: MemberDay[] = [];
  for (const member of ctx.roster) {
    const attends = rng.chance(ctx.fullDay ? member.attendance : member.attendance * SHORT_DAY_ATTENDANCE);
    if (!attends) continue;
    const stay = ctx.fullDay ? fullDayStay(rng, member, hours) : shortDayStay(rng, hours);
    const visits = stay.lunch
      ? [visit(ctx, rng, stay.arrive, stay.lunch.from), visit(ctx, rng, stay.lunch.to, stay.leave)]
      : [visit(ctx, rng, stay.arrive, stay.leave)];
    days.push({ member, visits, desk: null, excursions: [] });
  }
  assignDesks(ctx, days);
  return days;
}
