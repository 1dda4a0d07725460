import type { Aedes as AedesBroker, AedesOptions } from 'aedes';

type AedesModule = { Aedes: { createBroker(options?: AedesOptions): Promise<AedesBroker> } };

/**
 * aedes 1.x ships as ES modules only. Node 20 can require() them natively, but jest's module registry cannot, so
 * the require goes through Node's own loader (`process.getBuiltinModule`) in every environment alike.
 */
export function loadAedes(): AedesModule {
  const builtin = (
    process as unknown as { getBuiltinModule(id: string): typeof import('node:module') }
  ).getBuiltinModule('node:module');
  return builtin.createRequire(__filename)('aedes') as AedesModule;
}
