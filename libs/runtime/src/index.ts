export * from './create-http-app';
export * from './logging.module';
export * from './clock/clock.module';
