import { Injectable } from '@nestjs/common';
import { BookingRelease } from '@cw/events';
import { WebhookDispatcher } from '@cw/webhooks';
import { ReleaseSink } from './release.publisher';

/** `booking.released` to every subscribed URL; the release id is the event id, so a re-sent release is delivered once. */
@Injectable()
export class WebhookReleaseSink implements ReleaseSink {
  readonly name = 'webhooks';

  constructor(private readonly webhooks: WebhookDispatcher) {}

  async deliver(release: BookingRelease): Promise<void> {
    await this.webhooks.publish(release.siteId, 'booking.released', release.releaseId, release);
  }

  async deliverMany(releases: BookingRelease[]): Promise<void> {
    const bySite = new Map<string, BookingRelease[]>();
    for (const r of releases) {
      const list = bySite.get(r.siteId) ?? [];
      list.push(r);
      bySite.set(r.siteId, list);
    }
    for (const [siteId, ofSite] of bySite)
      await this.webhooks.publishMany(
        siteId,
        'booking.released',
        ofSite.map((r) => ({ eventId: r.releaseId, payload: r })),
      );
  }
}
