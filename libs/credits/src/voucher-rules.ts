import { randomBytes } from 'node:crypto';
import { DomainError, ErrorCode } from '@cw/common';

export const VOUCHER_KINDS = ['money', 'day_pass', 'hour_pack'] as const;
export type VoucherKind = (typeof VOUCHER_KINDS)[number];

/** What a voucher's balance counts. */
export const VOUCHER_UNITS: Record<VoucherKind, 'minor' | 'days' | 'minutes'> = {
  money: 'minor',
  day_pass: 'days',
  hour_pack: 'minutes',
};

export interface Voucher {
  siteId: string;
  code: string;
  kind: VoucherKind;
  batchId: string | null;
  initial: number;
  balance: number;
  expiresAt: Date;
  planId: string | null;
  memberId: string | null;
  redeemedAt: Date | null;
  createdAt: Date;
}

/** Expiry is a hard line: at and after `expiresAt` the balance is gone for spending, whatever is left. */
export function isExpired(voucher: Pick<Voucher, 'expiresAt'>, at: Date): boolean {
  return at.getTime() >= voucher.expiresAt.getTime();
}

/** Why a code cannot be redeemed now, or undefined when it can. */
export function redeemRefusal(voucher: Voucher, at: Date): DomainError | undefined {
  if (isExpired(voucher, at))
    return new DomainError(
      ErrorCode.Conflict,
      `voucher ${voucher.code} expired at ${voucher.expiresAt.toISOString()} and cannot be redeemed`,
    );
  if (voucher.memberId !== null)
    return new DomainError(ErrorCode.Conflict, `voucher ${voucher.code} has already been redeemed`);
  return undefined;
}

/** Why a voucher cannot pay now, or undefined when it can. */
export function spendRefusal(voucher: Voucher, at: Date): string | undefined {
  if (isExpired(voucher, at)) return `expired at ${voucher.expiresAt.toISOString()}`;
  if (voucher.balance <= 0) return 'nothing left on it';
  if (voucher.memberId === null) return 'not redeemed by a member';
  return undefined;
}

// No 0/O or 1/I/L: codes are read aloud and typed from paper.
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** A random code: the prefix, then 10 characters from an unambiguous alphabet (about 49 bits). */
export function newCode(prefix = ''): string {
  const bytes = randomBytes(10);
  let body = '';
  for (const b of bytes) body += ALPHABET[b % ALPHABET.length];
  return `${prefix}${body}`;
}
