import { Injectable } from '@nestjs/common';
import { lookup } from 'node:dns/promises';
import { AppConfig } from '@cw/config';
import { checkWebhookUrl, TargetCheck } from './webhook-target';

/** Checks a subscriber URL with the system resolver, at subscription time and again before every attempt. */
@Injectable()
export class WebhookUrlGuard {
  private readonly allowPrivate: boolean;

  constructor(config: AppConfig) {
    this.allowPrivate = config.get('WEBHOOK_ALLOW_PRIVATE');
  }

  check(url: string): Promise<TargetCheck> {
    return checkWebhookUrl(url, {
      allowPrivate: this.allowPrivate,
      lookup: (host) => lookup(host, { all: true, verbatim: true }),
    });
  }
}
