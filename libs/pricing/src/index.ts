export * from './demand-multiplier';
export * from './dynamic-price';
export * from './local-hours';
export * from './pricing.module';
export * from './pricing.service';
export * from './pricing.types';
