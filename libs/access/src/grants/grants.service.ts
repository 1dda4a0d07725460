import { Injectable } from '@nestjs/common';
import { invalid, notFound } from '@cw/common';
import { AccessDirectory } from '../access-directory';
import { AccessRepository } from '../access.repository';
import { AccessGrant } from '../access.types';
import { addDays, localDate } from '../time/zoned-time';
import { computeGrants } from './compute-grants';

/** The longest range one export may cover; door systems refresh far more often than this. */
export const MAX_EXPORT_DAYS = 31;

/** The access rules as time-bounded grants, for door systems that keep their own list. */
@Injectable()
export class GrantsService {
  constructor(
    private readonly repository: AccessRepository,
    private readonly directory: AccessDirectory,
  ) {}

  async grants(siteId: string, from: Date, to: Date): Promise<AccessGrant[]> {
    if (to.getTime() <= from.getTime())
      throw invalid('the range is empty', [{ path: 'query.to', message: 'must be after from' }]);
    if (to.getTime() - from.getTime() > MAX_EXPORT_DAYS * 86_400_000)
      throw invalid('the range is too long', [
        { path: 'query.to', message: `at most ${MAX_EXPORT_DAYS} days after from` },
      ]);
    const map = await this.directory.site(siteId);
    if (!map) throw notFound(`site ${siteId}`);
    const { timeZone, bookingMarginMs } = map.site;
    // a day either side: contracts and passes count local dates, which may straddle the UTC range
    const fromDate = addDays(localDate(from.getTime(), timeZone), -1);
    const toDate = addDays(localDate(to.getTime(), timeZone), 1);
    const [credentials, contracts, bookings, passes] = await Promise.all([
      this.repository.activeCredentials(siteId),
      this.repository.contractsBetween(siteId, fromDate, toDate),
      this.repository.bookingsBetween(
        siteId,
        new Date(from.getTime() - bookingMarginMs),
        new Date(to.getTime() + bookingMarginMs),
      ),
      this.repository.passesBetween(siteId, from, fromDate, toDate),
    ]);
    return computeGrants(
      {
        site: map.site,
        doors: [...map.doors.values()],
        zones: map.zones,
        credentials,
        contracts,
        bookings,
        passes,
      },
      from.getTime(),
      to.getTime(),
    );
  }

  /**
   * The doors whose grants are worth publishing: none at a site that never issued a credential, whose grants were
   * always empty (sites that do not use access control publish nothing and notify no subscriber).
   */
  async publishedDoorIds(siteId: string): Promise<string[]> {
    const doors = await this.doorIds(siteId);
    return doors.length && (await this.repository.everIssuedCredentials(siteId)) ? doors : [];
  }

  async doorIds(siteId: string): Promise<string[]> {
    const map = await this.directory.site(siteId);
    return map ? [...map.doors.keys()].sort() : [];
  }
}
