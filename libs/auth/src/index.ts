export * from './principal';
export * from './api-key.token';
export * from './api-keys.service';
export * from './auth.decorators';
export * from './auth.module';
export * from './site-access';
