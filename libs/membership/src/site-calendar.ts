import { Injectable } from '@nestjs/common';
import { Clock, notFound } from '@cw/common';
import { Queryable } from '@cw/database';
import { localDateOf, startOfLocalDate } from './local-dates';
import { LocalDate } from './membership.types';
import { MembersRepository } from './members.repository';

export interface SiteDay {
  timeZone: string;
  now: Date;
  today: LocalDate;
  /** The instant a local date of this site begins. */
  startOf(date: LocalDate): Date;
}

/** Contracts live in the site's calendar: "today" is the local date in the site's zone on the injected clock. */
@Injectable()
export class SiteCalendar {
  constructor(
    private readonly members: MembersRepository,
    private readonly clock: Clock,
  ) {}

  async day(siteId: string, q?: Queryable): Promise<SiteDay> {
    const timeZone = await this.members.siteZone(siteId, q);
    if (!timeZone) throw notFound(`site ${siteId}`);
    return dayIn(timeZone, this.clock.now());
  }
}

export function dayIn(timeZone: string, now: Date): SiteDay {
  return {
    timeZone,
    now,
    today: localDateOf(now, timeZone),
    startOf: (date) => startOfLocalDate(date, timeZone),
  };
}
