import { Interval, isFree, overlaps, PresenceSpan } from '../day-plan';
import { MINUTE_MS } from '../zoned-time';
import { ScenarioMemberDay } from './attendance';
import { SiteDay, toSecond } from './site-day';

/** Ad hoc phone calls: 5 to 30 minutes in a free booth, own floor first; no booth free, no call. */
export function planCalls(day: SiteDay, days: ScenarioMemberDay[]): PresenceSpan[] {
  const booths = day.rt.model.booths;
  const spans: PresenceSpan[] = [];
  const perDay = day.rt.config.behaviour.callsPerDay;
  if (booths.length === 0 || perDay <= 0) return spans;
  const rng = day.rng('calls');
  const busy = new Map<string, Interval[]>(booths.map((b) => [b.id, []]));
  for (const md of days) {
    const calls = rng.poisson(perDay);
    const floor = md.desk?.floor ?? md.member.homeFloor;
    for (let i = 0; i < calls; i++) {
      const stay = rng.pick(md.visits);
      const length = rng.uniform(5, 30) * MINUTE_MS;
      const earliest = stay.settle + 6 * MINUTE_MS;
      const latest = stay.leave - 6 * MINUTE_MS - length;
      if (latest <= earliest) continue;
      const from = toSecond(rng.uniform(earliest, latest));
      const to = toSecond(from + length);
      if (!isFree(md, from - 30_000, to + 30_000)) continue;
      const ordered = [
        ...rng.shuffle(booths.filter((b) => b.floor === floor)),
        ...booths.filter((b) => b.floor !== floor),
      ];
      // a minute between callers keeps one caller's "left" report apart from the next one's "arrived"
      const booth = ordered.find((b) => !overlaps(busy.get(b.id) ?? [], from, to, MINUTE_MS));
      if (!booth) continue;
      busy.get(booth.id)?.push({ from, to });
      md.excursions.push({ from: from - 30_000, to: to + 30_000 });
      spans.push({ resource: booth.id, sensor: booth.sensor, member: md.member.id, from, to });
    }
  }
  return spans;
}
