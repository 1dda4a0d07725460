import { PresenceSpan } from '../day-plan';
import { planAttendance, ScenarioMemberDay } from './attendance';
import { planCalls } from './calls';
import { Meeting, planMeetings, Swipe } from './meetings';
import { SiteDay } from './site-day';

/** Everything that really happens at a site on one day, before it is turned into device events. */
export interface DayPlan {
  day: SiteDay;
  members: ScenarioMemberDay[];
  meetings: Meeting[];
  /** Rooms and booths; desks follow from the member days. */
  presence: PresenceSpan[];
  roomSwipes: Swipe[];
}

export function planDay(day: SiteDay): DayPlan {
  const members = planAttendance(day);
  // meetings before calls: a meeting is fixed ahead, a call fits around it
  const meetings = planMeetings(day, members);
  const calls = planCalls(day, members);
  return {
    day,
    members,
    meetings: meetings.meetings,
    presence: [...meetings.presence, ...calls],
    roomSwipes: meetings.swipes,
  };
}
