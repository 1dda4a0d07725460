export * from './database.port';
export * from './database.module';
export * from './database.factory';
export * from './pg/pg.adapter';
export * from './pglite/embedded.adapter';
export * from './migrations/migration-runner';
