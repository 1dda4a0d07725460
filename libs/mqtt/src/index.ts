export * from './mqtt-transport';
export * from './mqtt.module';
export * from './embedded-broker.transport';
export * from './external-broker.transport';
export * from './topic-acl';
