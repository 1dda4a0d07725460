import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@cw/auth';
import { AppConfig } from '@cw/config';
import { DomainError, ErrorCode } from '@cw/common';
import { IngestResult, IngestService } from '../ingest.service';

@ApiTags('events')
@ApiBearerAuth()
@Controller('v1/events')
export class EventsController {
  constructor(
    private readonly ingest: IngestService,
    private readonly config: AppConfig,
  ) {}

  /**
   * A batch of mixed events. Valid items are stored even when others are refused; the answer comes after the
   * valid ones (and the refusals' dead-letter rows) are durably written.
   */
  @Post()
  @HttpCode(202)
  @Roles('admin', 'manager', 'integration', 'device')
  @ApiBody({
    description:
      'An array of events, or {events: [...]}. Each item: {type: door|sensor|booking, site, door|sensor, ...payload}',
    schema: {
      oneOf: [
        { type: 'array', items: { type: 'object' } },
        { type: 'object', properties: { events: { type: 'array', items: { type: 'object' } } } },
      ],
    },
  })
  @ApiResponse({
    status: 202,
    description: '{accepted, duplicates, rejected: [{index, errors: [{path, message}]}]}',
  })
  async receive(@Body() body: unknown, @CurrentPrincipal() principal: Principal): Promise<IngestResult> {
    const items = Array.isArray(body) ? body : (body as { events?: unknown } | null)?.events;
    if (!Array.isArray(items)) {
      throw new DomainError(ErrorCode.Validation, 'body must be an array of events or {events: [...]}', [
        { path: 'events', message: 'required array' },
      ]);
    }
    const max = this.config.get('HTTP_MAX_BATCH');
    if (items.length > max) {
      throw new DomainError(
        ErrorCode.PayloadTooLarge,
        `batch holds ${items.length} events; at most ${max} per request`,
      );
    }
    return this.ingest.ingestHttp(items, principal);
  }
}
