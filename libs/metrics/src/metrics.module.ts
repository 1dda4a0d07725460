import { Global, Module } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { IngestMetrics } from './ingest.metrics';
import { MetricsController } from './metrics.controller';

/** One registry per application instance (not prom-client's global), so tests can boot several apps. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [
    {
      provide: Registry,
      useFactory: () => {
        const registry = new Registry();
        collectDefaultMetrics({ register: registry, prefix: 'cw_' });
        return registry;
      },
    },
    IngestMetrics,
  ],
  exports: [Registry, IngestMetrics],
})
export class MetricsModule {}
