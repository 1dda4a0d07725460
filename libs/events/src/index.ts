export * from './event.schemas';
export * from './event.types';
export * from './live.types';
export * from './access.types';
export * from './billing.types';
