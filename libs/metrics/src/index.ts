export * from './ingest.metrics';
export * from './metrics.module';
