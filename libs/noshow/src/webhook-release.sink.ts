import { Injectable } from '@nestjs/common';
import { Queryable } from '@cw/database';
import { BookingRelease } from '@cw/events';
import { DeliveryWork, WebhookDispatcher } from '@cw/webhooks';
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
    for (const [siteId, events] of eventsBySite(releases))
      await this.webhooks.publishMany(siteId, 'booking.released', events);
  }

  /** The delivery rows commit with the releases; queued once they have. */
  async stage(tx: Queryable, releases: BookingRelease[]): Promise<() => Promise<void>> {
    const created: DeliveryWork[] = [];
    for (const [siteId, events] of eventsBySite(releases))
      created.push(...(await this.webhooks.stageMany(tx, siteId, 'booking.released', events)));
    return () => this.webhooks.dispatch(created);
  }
}

function eventsBySite(
  releases: BookingRelease[],
): Map<string, { eventId: string; payload: BookingRelease }[]> {
  const bySite = new Map<string, { eventId: string; payload: BookingRelease }[]>();
  for (const r of releases) {
    const list = bySite.get(r.siteId) ?? [];
    list.push({ eventId: r.releaseId, payload: r });
    bySite.set(r.siteId, list);
  }
  return bySite;
}
