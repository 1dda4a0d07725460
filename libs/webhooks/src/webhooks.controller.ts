import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@cw/auth';
import { ZodBody } from '@cw/common';
import { CreatedWebhookDto, DeliveryDto, toDeliveryDto, toWebhookDto, WebhookDto } from './dto/webhook.dto';
import {
  CreateWebhookInput,
  createWebhookSchema,
  ListDeliveriesQuery,
  listDeliveriesQuerySchema,
  webhookIdSchema,
} from './dto/webhook.schemas';
import { ZodParam, ZodQuery } from './dto/zod-pipes';
import { DELIVERY_STATUSES } from './webhooks.types';
import { WebhooksService } from './webhooks.service';

const ID = new ZodParam('id', webhookIdSchema);
const DELIVERY_ID = new ZodParam('deliveryId', webhookIdSchema);

@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('v1/webhooks')
@Roles('admin', 'manager', 'integration')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiOperation({
    summary: 'Subscribe a URL to platform events',
    description:
      'Events are POSTed as `{type, timestamp, data}` and signed per the Standard Webhooks spec (`webhook-id`, ' +
      '`webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256>`) with the returned secret, shown only here. ' +
      'A 2xx answer delivers; 410 disables the subscription; anything else is retried with backoff. ' +
      '`site` defaults to the key’s own site; null (keys spanning every site only) means every site.',
  })
  @ApiBody({
    schema: {
      type: 'object',
      example: {
        url: 'https://example.com/hooks/coworking',
        events: ['booking.released'],
        site: 'madrid-centro',
      },
    },
  })
  @ApiResponse({ status: 201, description: 'created: `{id, secret, url, events, site, ...}`' })
  @ApiResponse({
    status: 400,
    description: 'invalid body, or a URL on a loopback/private network (`errors[].path`)',
  })
  async create(
    @Body(new ZodBody(createWebhookSchema)) body: CreateWebhookInput,
    @CurrentPrincipal() caller: Principal,
  ): Promise<CreatedWebhookDto> {
    const { subscription, secret } = await this.webhooks.create(caller, body);
    return { ...toWebhookDto(subscription), secret };
  }

  @Get()
  @ApiOperation({
    summary: 'Subscriptions of the key’s site (every subscription for keys spanning every site)',
  })
  async list(@CurrentPrincipal() caller: Principal): Promise<WebhookDto[]> {
    return (await this.webhooks.list(caller)).map(toWebhookDto);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One subscription, without its secret' })
  @ApiParam({ name: 'id' })
  @ApiResponse({ status: 404, description: 'no such subscription visible to this key' })
  async get(@Param('id', ID) id: string, @CurrentPrincipal() caller: Principal): Promise<WebhookDto> {
    return toWebhookDto(await this.webhooks.get(caller, id));
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Unsubscribe; its delivery log goes with it' })
  @ApiParam({ name: 'id' })
  async remove(@Param('id', ID) id: string, @CurrentPrincipal() caller: Principal): Promise<void> {
    await this.webhooks.remove(caller, id);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'Recent deliveries, newest first, each with every attempt made' })
  @ApiParam({ name: 'id' })
  @ApiQuery({ name: 'status', required: false, enum: DELIVERY_STATUSES })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
  })
  async deliveries(
    @Param('id', ID) id: string,
    @Query(new ZodQuery(listDeliveriesQuerySchema)) query: ListDeliveriesQuery,
    @CurrentPrincipal() caller: Principal,
  ): Promise<DeliveryDto[]> {
    const found = await this.webhooks.deliveries(caller, id, query);
    return found.map(({ delivery, attempts }) => toDeliveryDto(delivery, attempts));
  }

  @Post(':id/deliveries/:deliveryId/redeliver')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Send a delivery again now',
    description:
      'Queues the next attempt at once with a fresh budget of retries; attempts keep being logged.',
  })
  @ApiParam({ name: 'id' })
  @ApiParam({ name: 'deliveryId' })
  @ApiResponse({ status: 202, description: 'queued: `{id, status, nextAttempt}`' })
  @ApiResponse({ status: 409, description: 'the subscription is disabled' })
  async redeliver(
    @Param('id', ID) id: string,
    @Param('deliveryId', DELIVERY_ID) deliveryId: string,
    @CurrentPrincipal() caller: Principal,
  ): Promise<{ id: string; status: string; nextAttempt: number }> {
    const { delivery, attempt } = await this.webhooks.redeliver(caller, id, deliveryId);
    return { id: delivery.id, status: delivery.status, nextAttempt: attempt };
  }
}
