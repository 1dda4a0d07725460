import { Module } from '@nestjs/common';
import { Clock, SystemClock } from '@cw/common';
import { JobsModule } from '@cw/jobs';
import { WebhookDeliverer } from './delivery/webhook.deliverer';
import { WebhookHttpClient } from './delivery/webhook-http.client';
import { WebhookUrlGuard } from './delivery/webhook-url.guard';
import { WebhookDispatcher } from './webhook.dispatcher';
import { WebhooksController } from './webhooks.controller';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';

/** Publishing and delivering, without HTTP routes: for processes that emit events or run jobs but serve no API. */
@Module({
  imports: [JobsModule],
  providers: [
    WebhooksRepository,
    WebhookHttpClient,
    WebhookUrlGuard,
    WebhookDeliverer,
    WebhookDispatcher,
    WebhooksService,
    // The wall clock, even when the app runs a controllable one for simulations: receivers check webhook-timestamp
    // against their own wall clock, and retry times are handed to the job queue, which waits in wall time.
    { provide: Clock, useClass: SystemClock },
  ],
  exports: [WebhookDispatcher, WebhooksService],
})
export class WebhooksCoreModule {}

/** Adds `/v1/webhooks...`. The global AuthGuard (AuthModule) must be in the app: every route here needs a key. */
@Module({
  imports: [WebhooksCoreModule],
  controllers: [WebhooksController],
  exports: [WebhooksCoreModule],
})
export class WebhooksModule {}
