export * from './ingest.module';
export * from './ingest.service';
export * from './ingest.repository';
export * from './decode/mqtt-topic';
export * from './decode/clock-guard';
export * from './decode/event-decoder';
export * from './decode/event-mapper';
export * from './pipeline/batcher';
