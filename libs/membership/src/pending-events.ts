import { ContractChange, MembershipEventMap, MembershipEvents } from './membership.events';
import { Contract } from './membership.types';

/**
 * What a transaction changed, announced only once it has committed: a listener must never hear of a change that
 * was rolled back.
 */
export class PendingEvents {
  private readonly contracts: MembershipEventMap['contract.changed'][] = [];
  private readonly offboarded: MembershipEventMap['member.offboarded'][] = [];

  contract(contract: Contract, previous: Contract | null, change: ContractChange): void {
    this.contracts.push({ contract, previous, change });
  }

  memberOffboarded(siteId: string, memberId: string, at: Date): void {
    this.offboarded.push({ siteId, memberId, at });
  }

  flush(events: MembershipEvents): void {
    for (const e of this.contracts) events.emit('contract.changed', e);
    for (const e of this.offboarded) events.emit('member.offboarded', e);
  }
}
