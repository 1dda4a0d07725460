export * from './dashboards.module';
export * from './static-assets';
export * from './page-headers';
export * from './vendor-assets';
