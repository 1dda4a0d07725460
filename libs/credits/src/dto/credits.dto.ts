import { z } from 'zod';
import { LedgerEntry } from '../credits.repository';
import { CreditBalance } from '../credits.service';
import { isExpired, Voucher, VOUCHER_KINDS, VOUCHER_UNITS } from '../voucher-rules';
import { VoucherSpend } from '../vouchers.repository';

const ref = z.string().regex(/^[a-zA-Z0-9_.:-]{1,64}$/, 'letters, digits, _ . : - only, at most 64');
const instant = z
  .string()
  .datetime({ offset: true, message: 'must be ISO 8601 with an offset' })
  .transform((v) => new Date(v));

export const MAX_BATCH = 1000;

export const issueVouchersSchema = z
  .object({
    kind: z.enum(VOUCHER_KINDS),
    /** minor units (money), days (day_pass) or minutes (hour_pack) */
    value: z.number().int().positive().max(2_000_000_000),
    expiresAt: instant,
    count: z.number().int().min(1).max(MAX_BATCH).default(1),
    prefix: z
      .string()
      .regex(/^[A-Za-z0-9_-]{0,32}$/, 'letters, digits, _ and - only, at most 32')
      .optional(),
    batchId: ref.optional(),
    code: z
      .string()
      .regex(/^[A-Za-z0-9_-]{4,64}$/, 'letters, digits, _ and - only, 4 to 64')
      .optional(),
  })
  .strict()
  .refine((v) => !(v.code && v.count > 1), { path: ['code'], message: 'a chosen code issues one voucher' })
  .refine((v) => !(v.code && v.prefix), { path: ['prefix'], message: 'a prefix is for generated codes' });

export const redeemSchema = z.object({ member: ref.optional() }).strict();

export const listVouchersSchema = z
  .object({ member: ref.optional(), batch: ref.optional(), kind: z.enum(VOUCHER_KINDS).optional() })
  .strict();

export const sellPassSchema = z.object({ plan: ref }).strict();

export const creditsQuerySchema = z
  .object({
    period: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM')
      .optional(),
  })
  .strict();

export function voucherView(v: Voucher, at: Date) {
  return {
    code: v.code,
    site: v.siteId,
    kind: v.kind,
    unit: VOUCHER_UNITS[v.kind],
    initial: v.initial,
    balance: v.balance,
    expiresAt: v.expiresAt.toISOString(),
    expired: isExpired(v, at),
    batchId: v.batchId,
    plan: v.planId,
    member: v.memberId,
    redeemedAt: v.redeemedAt?.toISOString() ?? null,
  };
}

export function spendView(s: VoucherSpend) {
  return {
    booking: s.bookingId,
    accessDate: s.accessDate,
    amount: s.amount,
    at: s.createdAt.toISOString(),
  };
}

function entryView(e: LedgerEntry) {
  return {
    entry: e.entry,
    amountMinor: e.amountMinor,
    contract: e.contractId,
    booking: e.bookingId,
    at: e.createdAt.toISOString(),
  };
}

export function creditsView(b: CreditBalance) {
  return {
    site: b.siteId,
    member: b.memberId,
    period: b.period,
    currency: b.currency,
    grantedMinor: b.grantedMinor,
    spentMinor: b.spentMinor,
    refundedMinor: b.refundedMinor,
    balanceMinor: b.balanceMinor,
    entries: b.entries.map(entryView),
  };
}
