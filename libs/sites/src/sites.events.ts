import { TypedEmitter } from '@cw/common';

/** In-process events of the sites domain and their payloads. */
export type SitesEventMap = {
  /** Devices, resources or floors of the site were written: caches derived from them must reload. */
  'site.changed': { siteId: string };
};

export { TypedEmitter };
