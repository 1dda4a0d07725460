import { DomainError, ErrorCode } from '@cw/common';
import {
  checkCancellable,
  checkPlanChange,
  checkRenewal,
  phaseOf,
  planCancellation,
  termAt,
} from './contract-rules';
import { Contract } from './membership.types';

const contract = (over: Partial<Contract> = {}) => ({
  id: 'c1',
  start: '2026-01-01',
  end: null as string | null,
  noticeDays: 30,
  status: 'active' as Contract['status'],
  endReason: null as Contract['endReason'],
  ...over,
});

function errorOf(fn: () => void): DomainError {
  try {
    fn();
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected a DomainError');
}

describe('cancellation notice', () => {
  it('ends at today plus the notice when no date is asked for, across a month end', () => {
    expect(planCancellation(contract(), '2026-01-31')).toEqual({ kind: 'end', end: '2026-03-02' });
    expect(planCancellation(contract(), '2028-01-31')).toEqual({ kind: 'end', end: '2028-03-01' });
  });

  it('takes the later of the requested date and the notice end', () => {
    expect(planCancellation(contract(), '2026-03-10', '2026-03-20')).toEqual({
      kind: 'end',
      end: '2026-04-09',
    });
    expect(planCancellation(contract(), '2026-03-10', '2026-06-30')).toEqual({
      kind: 'end',
      end: '2026-06-30',
    });
    expect(planCancellation(contract({ noticeDays: 0 }), '2026-03-10', '2026-02-01')).toEqual({
      kind: 'end',
      end: '2026-03-10',
    });
  });

  it('never lengthens a fixed-term contract', () => {
    expect(planCancellation(contract({ end: '2026-03-31' }), '2026-03-10')).toEqual({
      kind: 'end',
      end: '2026-03-31',
    });
  });

  it('voids a contract that has not begun, or would end before it begins', () => {
    expect(planCancellation(contract({ start: '2026-04-01' }), '2026-03-10')).toEqual({
      kind: 'cancel_outright',
    });
    expect(planCancellation(contract({ start: '2026-03-10', noticeDays: 0 }), '2026-03-10')).toEqual({
      kind: 'cancel_outright',
    });
  });

  it('refuses to cancel a replaced or ended contract', () => {
    expect(
      errorOf(() => checkCancellable(contract({ endReason: 'plan_change', end: '2026-05-01' }), '2026-03-01'))
        .code,
    ).toBe(ErrorCode.Conflict);
    expect(errorOf(() => checkCancellable(contract({ end: '2026-03-01' }), '2026-03-01')).message).toBe(
      'contract c1 ended on 2026-03-01',
    );
    expect(() => checkCancellable(contract({ end: '2026-03-02' }), '2026-03-01')).not.toThrow();
  });
});

describe('plan change', () => {
  it('needs a date strictly inside the running contract', () => {
    expect(() => checkPlanChange(contract({ end: '2026-06-01' }), '2026-03-01', '2026-02-15')).not.toThrow();
    expect(errorOf(() => checkPlanChange(contract(), '2026-01-01', '2025-12-01')).errors[0].path).toBe('on');
    expect(
      errorOf(() => checkPlanChange(contract({ end: '2026-06-01' }), '2026-06-01', '2026-02-01')).errors,
    ).toEqual([{ path: 'on', message: "must be before the contract's end 2026-06-01" }]);
  });

  it('is refused under notice', () => {
    const err = errorOf(() =>
      checkPlanChange(contract({ end: '2026-06-01', endReason: 'cancelled' }), '2026-04-01', '2026-03-01'),
    );
    expect(err.code).toBe(ErrorCode.Conflict);
    expect(err.message).toContain('under notice');
  });
});

describe('renewal', () => {
  it('moves the end of a fixed-term contract forward only', () => {
    expect(() => checkRenewal(contract({ end: '2026-06-30' }), '2026-12-31')).not.toThrow();
    expect(errorOf(() => checkRenewal(contract({ end: '2026-06-30' }), '2026-06-30')).errors).toEqual([
      { path: 'until', message: 'must be after the current end 2026-06-30' },
    ]);
  });

  it('renews a lapsed contract but not a cancelled, replaced or open-ended one', () => {
    expect(() =>
      checkRenewal(contract({ end: '2026-02-01', status: 'ended', endReason: 'expired' }), '2026-05-01'),
    ).not.toThrow();
    expect(
      errorOf(() => checkRenewal(contract({ end: '2026-06-30', endReason: 'cancelled' }), '2026-12-31')).code,
    ).toBe(ErrorCode.Conflict);
    expect(
      errorOf(() => checkRenewal(contract({ status: 'cancelled', end: '2026-02-01' }), '2026-12-31')).code,
    ).toBe(ErrorCode.Conflict);
    expect(errorOf(() => checkRenewal(contract(), '2026-12-31')).message).toContain('open-ended');
  });

  it('open-ended terms are anchored on the start day, clamped at month ends', () => {
    expect(termAt('2026-01-31', '2026-02-10')).toEqual({ start: '2026-01-31', end: '2026-02-28' });
    expect(termAt('2026-01-31', '2026-02-28')).toEqual({ start: '2026-02-28', end: '2026-03-31' });
    expect(termAt('2026-01-31', '2026-03-31')).toEqual({ start: '2026-03-31', end: '2026-04-30' });
    expect(termAt('2026-01-15', '2027-01-14')).toEqual({ start: '2026-12-15', end: '2027-01-15' });
    expect(termAt('2026-01-15', '2026-01-01')).toEqual({ start: '2026-01-15', end: '2026-02-15' });
  });
});

describe('phase', () => {
  it('reads upcoming, running, ended and cancelled from the dates', () => {
    expect(phaseOf(contract({ start: '2026-04-01' }), '2026-03-01')).toBe('upcoming');
    expect(phaseOf(contract(), '2026-03-01')).toBe('running');
    expect(phaseOf(contract({ end: '2026-03-01' }), '2026-03-01')).toBe('ended');
    expect(phaseOf(contract({ status: 'cancelled' }), '2026-03-01')).toBe('cancelled');
  });
});
