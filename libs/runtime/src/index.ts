export * from './create-http-app';
export * from './logging.module';
