import { SiteDocument } from '@cw/sites';
import { planBookings } from './bookings';
import { planBooths } from './booths';
import { DayContext, dayContext } from './day-context';
import { DayPlan } from './day-plan';
import { allPresence, compileEvents } from './event-compiler';
import { planMemberDays } from './member-days';
import { DEFAULT_MEMBER_COUNT, generateRoster, SimMember } from './roster';
import { DEFAULT_TOPIC_PREFIX, SimEvent } from './sim-event';
import { buildSiteModel } from './site-model';
import { Truth } from './truth';
import { addDays } from './zoned-time';

export interface GenerateDayOptions {
  site: SiteDocument;
  /** Goes into the topics; the site document itself carries no id. */
  siteId: string;
  /** A whole number from 0 to 2^32 - 1. */
  seed: number;
  /** The simulated day: a local calendar date (YYYY-MM-DD) in the site's time zone. */
  date: string;
  /** Roster size; ignored when `roster` is given. Default 60. */
  members?: number;
  /** The members, when the caller keeps them (e.g. to create them in the platform first). */
  roster?: SimMember[];
  /** Share of bookings nobody attends, default 0.15. */
  noShowRate?: number;
  /** Share of bookings cancelled before they start, default 0.05. */
  cancelRate?: number;
  topicPrefix?: string;
}

export interface SimDay {
  date: string;
  /** Local midnight to the next local midnight. */
  start: Date;
  end: Date;
  /** Time-ordered; every event's time lies inside [start, end). */
  events: SimEvent[];
  truth: Truth;
}

export const DEFAULT_NO_SHOW_RATE = 0.15;
export const DEFAULT_CANCEL_RATE = 0.05;

const iso = (ms: number): string => new Date(ms).toISOString();

function truthOf(plan: DayPlan): Truth {
  return {
    bookings: plan.bookings.map((b) => ({
      type: 'booking',
      booking: b.id,
      resource: b.room.id,
      member: b.member.id,
      start: iso(b.start),
      end: iso(b.end),
      outcome: b.outcome,
      evidenceAt: b.evidenceAt === null ? null : iso(b.evidenceAt),
    })),
    presence: allPresence(plan)
      .sort((a, b) => a.from - b.from)
      .map((s) => ({
        type: 'presence',
        resource: s.resource,
        member: s.member,
        from: iso(s.from),
        to: iso(s.to),
      })),
    visits: plan.members
      .flatMap((day) => day.visits.map((v) => ({ member: day.member.id, from: v.enter, to: v.exit })))
      .sort((a, b) => a.from - b.from)
      .map((v) => ({ type: 'visit', member: v.member, from: iso(v.from), to: iso(v.to) })),
  };
}

function planDay(ctx: DayContext, options: GenerateDayOptions): DayPlan {
  const members = planMemberDays(ctx);
  // bookings before calls: a meeting is fixed ahead, a call fits around it
  const booked = planBookings(ctx, members, {
    noShowRate: options.noShowRate ?? DEFAULT_NO_SHOW_RATE,
    cancelRate: options.cancelRate ?? DEFAULT_CANCEL_RATE,
  });
  const booths = planBooths(ctx, members);
  return {
    date: ctx.date,
    window: ctx.window,
    members,
    presence: [...booked.presence, ...booths],
    roomSwipes: booked.swipes,
    bookings: booked.bookings,
  };
}

function checkOptions(options: GenerateDayOptions): void {
  if (!Number.isInteger(options.seed) || options.seed < 0 || options.seed > 0xffffffff) {
    throw new Error(`seed must be a whole number from 0 to 4294967295, got ${options.seed}`);
  }
  for (const [name, rate] of [
    ['noShowRate', options.noShowRate],
    ['cancelRate', options.cancelRate],
  ] as const) {
    if (rate !== undefined && !(rate >= 0 && rate <= 1))
      throw new Error(`${name} must lie in [0, 1], got ${rate}`);
  }
}

/** One simulated day of a site: device and booking events, and what really happened. Pure and deterministic. */
export function generateDay(options: GenerateDayOptions): SimDay {
  checkOptions(options);
  const model = buildSiteModel(options.site);
  const roster =
    options.roster ?? generateRoster(options.seed, options.members ?? DEFAULT_MEMBER_COUNT, model.floors);
  const ctx = dayContext(options.seed, options.date, model, roster);
  const plan = planDay(ctx, options);
  return {
    date: options.date,
    start: new Date(plan.window.from),
    end: new Date(plan.window.to),
    events: compileEvents(ctx, plan, options.siteId, options.topicPrefix ?? DEFAULT_TOPIC_PREFIX),
    truth: truthOf(plan),
  };
}

/** Consecutive days from `options.date`, with the same roster throughout. */
export function generateDays(options: GenerateDayOptions & { days: number }): SimDay[] {
  const model = buildSiteModel(options.site);
  const roster =
    options.roster ?? generateRoster(options.seed, options.members ?? DEFAULT_MEMBER_COUNT, model.floors);
  return Array.from({ length: options.days }, (_, i) =>
    generateDay({ ...options, roster, date: addDays(options.date, i) }),
  );
}
