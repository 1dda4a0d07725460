export * from './membership.types';
export * from './membership.events';
