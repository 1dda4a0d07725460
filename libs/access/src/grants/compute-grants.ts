import { DoorGrant } from '@cw/events';
import { clip, expandSlots, Window } from '../time/weekly-hours';
import { addDays, datesBetween, localDate, startOfLocalDay } from '../time/zoned-time';
import { SiteAccessFacts } from '../rules/access-facts';
import {
  AccessGrant,
  AccessZone,
  BookingAccess,
  ContractAccess,
  CredentialHolder,
  PassAccess,
} from '../access.types';

export interface GrantInputs {
  site: SiteAccessFacts;
  doors: { id: string; resourceIds: string[] }[];
  zones: AccessZone[];
  credentials: CredentialHolder[];
  contracts: ContractAccess[];
  bookings: BookingAccess[];
  passes: PassAccess[];
}

interface MemberWindow {
  memberId: string;
  doors: string[];
  window: Window;
  source: AccessGrant['source'];
}

/**
 * The decision rules turned inside out, for door systems that decide offline: every window between `from` and `to`
 * in which a credential opens a door, as concrete UTC instants. Contracts give their plan's zones within its weekly
 * hours (the site's opening hours when the plan has none), expanded day by day in the site's zone, so a DST change
 * moves the instants and not the wall-clock hours. Bookings give the doors serving their resource from the start
 * minus the margin to the end plus it. Day passes give each local day already paid for, and, while days are left,
 * every day up to the expiry (a door system cannot count days: the online decision spends them).
 */
export function computeGrants(input: GrantInputs, from: number, to: number): AccessGrant[] {
  const { site } = input;
  const doorsOfZones = (zoneIds: string[]) =>
    [...new Set(input.zones.filter((z) => zoneIds.includes(z.id)).flatMap((z) => z.doorIds))].sort();
  const allDoors = input.doors.map((d) => d.id).sort();
  const windows: MemberWindow[] = [];

  for (const contract of input.contracts) {
    const doors = doorsOfZones(contract.zones);
    if (doors.length === 0) continue;
    const start = Math.max(from, startOfLocalDay(contract.startDate, site.timeZone));
    const end = Math.min(to, contract.endDate ? startOfLocalDay(contract.endDate, site.timeZone) : Infinity);
    const hours = contract.hours.length ? contract.hours : site.openingHours;
    for (const window of expandSlots(hours, site.timeZone, start, end))
      windows.push({ memberId: contract.memberId, doors, window, source: 'contract' });
  }

  for (const booking of input.bookings) {
    const doors = input.doors.filter((d) => d.resourceIds.includes(booking.resourceId)).map((d) => d.id);
    if (doors.length === 0) continue;
    const span = {
      from: booking.start.getTime() - site.bookingMarginMs,
      to: booking.end.getTime() + site.bookingMarginMs,
    };
    for (const window of clip([span], from, to))
      windows.push({ memberId: booking.memberId, doors: doors.sort(), window, source: 'booking' });
  }

  for (const pass of input.passes) {
    const doors = pass.zones.length ? doorsOfZones(pass.zones) : allDoors;
    if (doors.length === 0) continue;
    const until = Math.min(to, pass.expiresAt.getTime());
    const days = new Set(pass.spentDates);
    if (pass.balance > 0 && until > from)
      for (const date of datesBetween(localDate(from, site.timeZone), localDate(until - 1, site.timeZone)))
        days.add(date);
    const hours = pass.hours.length ? pass.hours : site.openingHours;
    for (const date of [...days].sort()) {
      const dayStart = Math.max(from, startOfLocalDay(date, site.timeZone));
      const dayEnd = Math.min(until, startOfLocalDay(addDays(date, 1), site.timeZone));
      for (const window of expandSlots(hours, site.timeZone, dayStart, dayEnd))
        windows.push({ memberId: pass.memberId, doors, window, source: 'day_pass' });
    }
  }

  const credentialsOf = new Map<string, CredentialHolder[]>();
  for (const holder of input.credentials)
    credentialsOf.set(holder.memberId, [...(credentialsOf.get(holder.memberId) ?? []), holder]);

  const grants: AccessGrant[] = [];
  for (const w of windows)
    for (const holder of credentialsOf.get(w.memberId) ?? [])
      grants.push({
        credential: holder.value,
        member: w.memberId,
        doors: w.doors,
        from: new Date(w.window.from).toISOString(),
        to: new Date(w.window.to).toISOString(),
        source: w.source,
      });
  return grants.sort(
    (a, b) =>
      a.member.localeCompare(b.member) ||
      a.credential.localeCompare(b.credential) ||
      a.from.localeCompare(b.from) ||
      a.source.localeCompare(b.source),
  );
}

/** The grants of one door, for its retained MQTT message. */
export function grantsOfDoor(grants: AccessGrant[], doorId: string): DoorGrant[] {
  return grants
    .filter((grant) => grant.doors.includes(doorId))
    .map(({ credential, member, from, to, source }) => ({ credential, member, from, to, source }));
}
