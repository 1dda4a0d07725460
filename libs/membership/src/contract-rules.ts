import { DomainError, ErrorCode, invalid } from '@cw/common';
import { addDays, addMonthsClamped, maxDate, minDate } from './local-dates';
import { Contract, LocalDate } from './membership.types';

type Dates = Pick<Contract, 'id' | 'start' | 'end' | 'noticeDays' | 'status' | 'endReason'>;

export type CancellationOutcome =
  /** Not begun (or would end before it begins): void, as if never signed. */
  { kind: 'cancel_outright' } | { kind: 'end'; end: LocalDate };

/** A contract has ended once its exclusive end date is today or earlier. */
export const hasEnded = (c: Pick<Contract, 'end'>, today: LocalDate) => c.end !== null && c.end <= today;

/**
 * Notice rules: the earliest end is the later of the requested date and today plus the notice period; a fixed-term
 * contract that ends sooner anyway keeps its own end (notice never lengthens a contract).
 */
export function planCancellation(contract: Dates, today: LocalDate, on?: LocalDate): CancellationOutcome {
  if (contract.start > today) return { kind: 'cancel_outright' };
  const earliest = maxDate(on ?? today, addDays(today, contract.noticeDays));
  const end = contract.end === null ? earliest : minDate(contract.end, earliest);
  return end <= contract.start ? { kind: 'cancel_outright' } : { kind: 'end', end };
}

/** Why a contract cannot change any more (cancelled, replaced, under notice, ended), or undefined when it can. */
export function closedReason(contract: Dates, today: LocalDate): string | undefined {
  if (contract.status === 'cancelled') return `contract ${contract.id} was cancelled`;
  switch (contract.endReason) {
    case 'plan_change':
      return `contract ${contract.id} was replaced by a plan change`;
    case 'cancelled':
      return `contract ${contract.id} is under notice and ends on ${contract.end}`;
    case 'offboarded':
      return `contract ${contract.id} ended when its member was offboarded`;
    case 'expired':
    case null:
      break;
  }
  if (hasEnded(contract, today)) return `contract ${contract.id} ended on ${contract.end}`;
  return undefined;
}

export function checkCancellable(contract: Dates, today: LocalDate): void {
  if (
    contract.endReason === 'plan_change' ||
    contract.endReason === 'offboarded' ||
    hasEnded(contract, today)
  )
    throw new DomainError(ErrorCode.Conflict, closedReason(contract, today)!);
}

/** A plan change ends this contract at `on` and starts the next one there, so `on` lies strictly inside it. */
export function checkPlanChange(contract: Dates, on: LocalDate, today: LocalDate): void {
  const closed = closedReason(contract, today);
  if (closed) throw new DomainError(ErrorCode.Conflict, `${closed}; its plan cannot change`);
  if (on <= contract.start)
    throw invalid('the plan change date is invalid', [
      {
        path: 'on',
        message: `must be after the contract's start ${contract.start} (cancel a contract that has not begun and sign a new one)`,
      },
    ]);
  if (contract.end !== null && on >= contract.end)
    throw invalid('the plan change date is invalid', [
      { path: 'on', message: `must be before the contract's end ${contract.end}` },
    ]);
}

/**
 * Fixed-term contracts are renewed by moving their end; a lapsed one (expired, not cancelled) may be renewed too.
 * Open-ended ones renew every term by themselves.
 */
export function checkRenewal(contract: Dates, until: LocalDate): void {
  if (contract.status === 'cancelled' || (contract.endReason !== null && contract.endReason !== 'expired'))
    throw new DomainError(
      ErrorCode.Conflict,
      `contract ${contract.id} ended (${contract.endReason ?? contract.status}) and cannot be renewed`,
    );
  if (contract.end === null)
    throw new DomainError(
      ErrorCode.Conflict,
      `contract ${contract.id} is open-ended and renews every month by itself`,
    );
  if (until <= contract.end)
    throw invalid('the renewal date is invalid', [
      { path: 'until', message: `must be after the current end ${contract.end}` },
    ]);
}

/**
 * The monthly term of a contract that contains `day`: terms are anchored on the start date (a contract signed on the
 * 31st renews on the last day of shorter months). Before the start, the first term.
 */
export function termAt(start: LocalDate, day: LocalDate): { start: LocalDate; end: LocalDate } {
  if (day < start) return { start, end: addMonthsClamped(start, 1) };
  const [sy, sm] = start.split('-').map(Number);
  const [dy, dm] = day.split('-').map(Number);
  let k = (dy - sy) * 12 + (dm - sm);
  while (k > 0 && addMonthsClamped(start, k) > day) k -= 1;
  while (addMonthsClamped(start, k + 1) <= day) k += 1;
  return { start: addMonthsClamped(start, k), end: addMonthsClamped(start, k + 1) };
}

/** Where the contract stands on `today`, for views: not begun, running, or over. */
export function phaseOf(
  contract: Pick<Contract, 'start' | 'end' | 'status'>,
  today: LocalDate,
): 'upcoming' | 'running' | 'ended' | 'cancelled' {
  if (contract.status === 'cancelled') return 'cancelled';
  if (hasEnded(contract, today)) return 'ended';
  return contract.start > today ? 'upcoming' : 'running';
}
