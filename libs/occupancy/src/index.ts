export * from './resource-model';
export * from './occupancy.engine';
export * from './occupancy.module';
export * from './occupancy.sinks';
export * from './occupancy.repository';
export * from './site-hours';
