export * from './live-socket';
export * from './live-snapshot.source';
export * from './live.transport';
export * from './live.publisher';
export * from './live.gateway';
export * from './realtime.module';
