export * from './proration';
export * from './local-dates';
