export * from './dashboards.module';
export * from './static-assets';
