import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
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

const digest = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

/**
 * Publishes a site's grants: retained per door on `cw/{site}/access/grants/{door}` and, to subscribers, as the
 * webhook event `access.grants`. The range starts at the current hour, so publishing twice within the hour with
 * nothing changed sends nothing again: an unchanged door keeps its retained message, and the webhook's event id is
 * the content's digest, which the dispatcher delivers once.
 */
@Injectable()
export class GrantsPublisher {
  private readonly logger = new Logger(GrantsPublisher.name);
  /** Per site and door, the digest of the grants last retained (this process; empty after a restart). */
  private readonly retained = new Map<string, Map<string, string>>();

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
    const doorIds = await this.grants.doorIds(siteId);
    if (doorIds.length === 0) return { doors: 0, grants: 0 };
    const grants = await this.grants.grants(siteId, from, to);
    const generatedAt = new Date(now).toISOString();
    const range = { from: from.toISOString(), to: to.toISOString() };
    const prefix = this.config.get('MQTT_TOPIC_PREFIX');
    const known = this.retained.get(siteId) ?? new Map<string, string>();
    this.retained.set(siteId, known);
    let sent = 0;
    for (const doorId of doorIds) {
      const doorGrants = grantsOfDoor(grants, doorId);
      const hash = digest([range, doorGrants]);
      if (known.get(doorId) === hash) continue;
      const message: DoorGrantsMessage = { siteId, doorId, generatedAt, ...range, grants: doorGrants };
      await this.mqtt.publish(`${prefix}/${siteId}/access/grants/${doorId}`, JSON.stringify(message), {
        qos: 1,
        retain: true,
      });
      known.set(doorId, hash);
      sent++;
    }
    const notice: SiteGrantsNotice = { siteId, generatedAt, ...range, grants };
    await this.webhooks.publish(
      siteId,
      'access.grants',
      `grants_${siteId}_${digest([range, grants]).slice(0, 24)}`,
      notice,
    );
    if (sent) this.logger.debug({ siteId, doors: sent, grants: grants.length }, 'access grants published');
    return { doors: sent, grants: grants.length };
  }
}
