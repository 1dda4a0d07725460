import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Principal } from '@cw/auth';
import { Clock, notFound } from '@cw/common';
import { VouchersService } from '@cw/credits';
import { IngestService } from '@cw/ingest';
import { AccessDirectory } from './access-directory';
import { AccessRepository } from './access.repository';
import { AccessReason, AccessVerdict, decideAccess } from './rules/access-rules';
import { localDate } from './time/zoned-time';

export interface DecisionRequest {
  siteId: string;
  credential: string;
  door: string;
  at?: Date;
}

export interface AccessDecision {
  decision: 'grant' | 'deny';
  reason: AccessReason;
  message: string;
  site: string;
  door: string;
  at: string;
  member?: string;
  until?: string;
}

/** Door events written for decisions carry this method, and the decision's reason code as their reason. */
export const DECIDE_METHOD = 'decide';

/**
 * Answers a door's question "may this credential pass now?" from one read of the holder's facts (plus one write when
 * a day pass is spent), with the site's doors, zones and hours from memory. Every answer is recorded as a door event
 * through the ingest path, so it lands in door_events like any controller's report and the engines hear it (a granted
 * badge of a booker is check-in evidence for the no-show engine).
 */
@Injectable()
export class AccessDecider {
  private readonly logger = new Logger(AccessDecider.name);

  constructor(
    private readonly repository: AccessRepository,
    private readonly directory: AccessDirectory,
    private readonly ingest: IngestService,
    private readonly vouchers: VouchersService,
    private readonly clock: Clock,
  ) {}

  async decide(request: DecisionRequest, principal: Principal): Promise<AccessDecision> {
    const map = await this.directory.site(request.siteId);
    if (!map) throw notFound(`site ${request.siteId}`);
    const door = map.doors.get(request.door);
    if (!door) throw notFound(`door ${request.door} of site ${request.siteId}`);
    const at = request.at ?? this.clock.now();
    const date = localDate(at.getTime(), map.site.timeZone);
    const holder = await this.repository.holderFacts(
      request.siteId,
      request.credential,
      at,
      date,
      door.resourceIds,
    );
    let verdict = decideAccess(map.site, door, holder, at);
    if (verdict.spendPass && verdict.memberId) {
      // the credits lib owns pass balances: it spends the member's pass expiring first, once per local date
      const use = await this.vouchers.spendDayPass(
        request.siteId,
        verdict.memberId,
        verdict.spendPass.date,
        at,
      );
      verdict =
        use.outcome === 'none'
          ? { ...verdict, ...usedUp(use.reason) }
          : { ...verdict, message: `day pass ${use.code} for ${verdict.spendPass.date}` };
    }
    const stored = holder.credential?.kind === 'pin' ? holder.credential.id : request.credential;
    this.record(request, stored, at, verdict, principal);
    return {
      decision: verdict.decision,
      reason: verdict.reason,
      message: verdict.message,
      site: request.siteId,
      door: request.door,
      at: at.toISOString(),
      ...(verdict.memberId ? { member: verdict.memberId } : {}),
      ...(verdict.until ? { until: verdict.until.toISOString() } : {}),
    };
  }

  /**
   * Not awaited: the ingest batcher writes within INGEST_FLUSH_MS (10 ms by default), longer than a door should wait
   * for its answer. The event follows the answer by that much; a crash in between loses it (the answer stands).
   * A PIN is a secret: its door event names the credential id instead of the digits.
   */
  private record(
    request: DecisionRequest,
    credential: string,
    at: Date,
    verdict: AccessVerdict,
    principal: Principal,
  ): void {
    const event = {
      type: 'door',
      site: request.siteId,
      door: request.door,
      id: `access-${randomUUID()}`,
      ts: at.toISOString(),
      credential,
      ...(verdict.memberId ? { member: verdict.memberId } : {}),
      result: verdict.decision === 'grant' ? 'granted' : 'denied',
      method: DECIDE_METHOD,
      reason: verdict.reason,
    };
    this.ingest.ingestHttp([event], principal).then(
      (result) => {
        if (result.rejected.length)
          this.logger.warn(
            { eventId: event.id, errors: result.rejected[0].errors },
            'door event of an access decision was refused by ingest (kept as a dead letter)',
          );
      },
      (error: unknown) =>
        this.logger.error({ err: error, eventId: event.id }, 'door event of an access decision failed'),
    );
  }
}

/** Another request took the pass's last day between the read and the spend. */
const usedUp = (
  why: string,
): Pick<AccessVerdict, 'decision' | 'reason' | 'message' | 'until' | 'spendPass'> => ({
  decision: 'deny',
  reason: 'no_entitlement',
  message: `no day pass could be spent: ${why}`,
  until: null,
  spendPass: undefined,
});
