import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Clock } from '@cw/common';
import { AppConfig } from '@cw/config';
import { DoorGrantsMessage, SiteGrantsNotice } from '@cw/events';
import { MqttTransport } from '@cw/mqtt';
import { WebhookDispatcher } from '@cw/webhooks';
import { grantsOfDoor } from './compute-grants';
import { GrantsService } from './grants.service';

/** Published grants reach this far ahead; republished daily, so a door system always holds a day or more. */
export const GRANTS_HORIZON_MS = 48 * 3_600_000;
const HOUR_MS = 3_600_000;

/**
 * Publishes a site's grants: retained per door on `cw/{site}/access/grants/{door}` and, to subscribers, as the
 * webhook event `access.grants`. Every publish sends everything: which process published last is not known here
 * (jobs run on any process), so skipping "unchanged" content could leave an older list retained. The range starts
 * at the start of the current hour.
 */
@Injectable()
export class GrantsPublisher {
  private readonly logger = new Logger(GrantsPublisher.name);

  constructor(
    private readonly grants: GrantsService,
    private readonly mqtt: MqttTransport,
    private readonly webhooks: WebhookDispatcher,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async publishSite(siteId: string): Promise<{ doors: number; grants: number }> {
    const now = this.clock.now().getTime();
    const from = new Date(Math.floor(now / HOUR_MS) * HOUR_MS);
    const to = new Date(from.getTime() + GRANTS_HORIZON_MS);
    const doorIds = await this.grants.publishedDoorIds(siteId);
    if (doorIds.length === 0) return { doors: 0, grants: 0 };
    const grants = await this.grants.grants(siteId, from, to);
    const generatedAt = new Date(now).toISOString();
    const range = { from: from.toISOString(), to: to.toISOString() };
    const prefix = this.config.get('MQTT_TOPIC_PREFIX');
    for (const doorId of doorIds) {
      const message: DoorGrantsMessage = {
        siteId,
        doorId,
        generatedAt,
        ...range,
        grants: grantsOfDoor(grants, doorId),
      };
      await this.mqtt.publish(`${prefix}/${siteId}/access/grants/${doorId}`, JSON.stringify(message), {
        qos: 1,
        retain: true,
      });
    }
    const notice: SiteGrantsNotice = { siteId, generatedAt, ...range, grants };
    // one event per publish: an id derived from the content would be dropped as a duplicate when the grants return
    // to an earlier state, leaving subscribers with the list in between
    await this.webhooks.publish(
      siteId,
      'access.grants',
      `grants_${siteId}_${now}_${randomUUID().slice(0, 8)}`,
      notice,
    );
    this.logger.debug({ siteId, doors: doorIds.length, grants: grants.length }, 'access grants published');
    return { doors: doorIds.length, grants: grants.length };
  }
}
