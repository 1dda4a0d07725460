export * from './domain-error';
export * from './zod-errors';
export * from './zod-body.pipe';
export * from './error.filter';
export * from './typed-emitter';
export * from './clock';
export * from './zone-offset';
