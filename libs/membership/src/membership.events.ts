import { Injectable } from '@nestjs/common';
import { TypedEmitter } from '@cw/common';
import { Contract } from './membership.types';

export type ContractChange = 'signed' | 'plan_changed' | 'cancelled' | 'renewed' | 'ended' | 'offboarded';

export type MembershipEventMap = {
  /** The member's credentials are revoked and assignments released (committed). */
  'member.offboarded': { siteId: string; memberId: string; at: Date };
  /** Any committed change of a contract; `previous` is null for a new one. */
  'contract.changed': { contract: Contract; previous: Contract | null; change: ContractChange };
};

@Injectable()
export class MembershipEvents extends TypedEmitter<MembershipEventMap> {}
