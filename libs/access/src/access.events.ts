import { Injectable } from '@nestjs/common';
import { TypedEmitter } from '@cw/common';

export type AccessEventMap = {
  /** A credential was issued or revoked (committed). */
  'credential.changed': {
    siteId: string;
    memberId: string;
    credentialId: string;
    change: 'issued' | 'revoked';
  };
  /** Zones or access settings of the site were written (committed). */
  'site.access.changed': { siteId: string };
};

@Injectable()
export class AccessEvents extends TypedEmitter<AccessEventMap> {}
