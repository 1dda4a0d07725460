import { DayContext, toSecond } from './day-context';
import { Interval, isFree, MemberDay, overlaps, PresenceSpan } from './day-plan';
import { MINUTE_MS } from './zoned-time';

/** Calls a member takes in a booth on an average day. */
const CALLS_PER_FULL_DAY = 0.8;
const CALLS_PER_SHORT_DAY = 0.3;

/** Ad hoc phone calls: 5 to 30 minutes in a free booth, nearest floor first; no booth free, no call. */
export function planBooths(ctx: DayContext, days: MemberDay[]): PresenceSpan[] {
  const booths = ctx.model.booths;
  const spans: PresenceSpan[] = [];
  if (booths.length === 0) return spans;
  const rng = ctx.rng('booths');
  const busy = new Map<string, Interval[]>(booths.map((b) => [b.id, []]));
  for (const day of days) {
    const calls = rng.poisson(ctx.fullDay ? CALLS_PER_FULL_DAY : CALLS_PER_SHORT_DAY);
    const floor = day.desk?.floor ?? day.member.homeFloor;
    for (let i = 0; i < calls; i++) {
      const visit = rng.pick(day.visits);
      const length = rng.uniform(5, 30) * MINUTE_MS;
      const earliest = visit.settle + 6 * MINUTE_MS;
      const latest = visit.leave - 6 * MINUTE_MS - length;
      if (latest <= earliest) continue;
      const from = toSecond(rng.uniform(earliest, latest));
      const to = toSecond(from + length);
      if (!isFree(day, from - 30_000, to + 30_000)) continue;
      const ordered = [
        ...rng.shuffle(booths.filter((b) => b.floor === floor)),
        ...booths.filter((b) => b.floor !== floor),
      ];
      // a minute between occupants keeps one caller's "left" report apart from the next one's "arrived"
      const booth = ordered.find((b) => !overlaps(busy.get(b.id) ?? [], from, to, MINUTE_MS));
      if (!booth) continue;
      busy.get(booth.id)?.push({ from, to });
      day.excursions.push({ from: from - 30_000, to: to + 30_000 });
      spans.push({ resource: booth.id, sensor: booth.sensor, member: day.member.id, from, to });
    }
  }
  return spans;
}
