import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';

/** The ingest path's Prometheus series; names follow the `cw_` prefix and Prometheus unit conventions. */
@Injectable()
export class IngestMetrics {
  readonly eventsIn: Counter<'type' | 'source'>;
  readonly rejected: Counter<'source'>;
  readonly duplicates: Counter<'source'>;
  readonly batchSize: Histogram;
  readonly writeSeconds: Histogram;
  readonly writeErrors: Counter;

  constructor(registry: Registry) {
    this.eventsIn = new Counter({
      name: 'cw_events_in_total',
      help: 'Events stored, by type and source',
      labelNames: ['type', 'source'],
      registers: [registry],
    });
    this.rejected = new Counter({
      name: 'cw_events_rejected_total',
      help: 'Events refused and dead-lettered',
      labelNames: ['source'],
      registers: [registry],
    });
    this.duplicates = new Counter({
      name: 'cw_events_duplicates_total',
      help: 'Events dropped as duplicates of a stored event id',
      labelNames: ['source'],
      registers: [registry],
    });
    this.batchSize = new Histogram({
      name: 'cw_ingest_batch_size',
      help: 'Items per database write',
      buckets: [1, 10, 50, 100, 250, 500, 1000, 2000, 5000],
      registers: [registry],
    });
    this.writeSeconds = new Histogram({
      name: 'cw_ingest_write_seconds',
      help: 'Duration of one batch write, retries excluded',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    });
    this.writeErrors = new Counter({
      name: 'cw_ingest_write_errors_total',
      help: 'Failed batch writes (retried)',
      registers: [registry],
    });
  }
}
