import { BillingRunsService, InvoiceChainService, InvoicesService, PaymentsService } from '@cw/billing';
import { BookingsService } from '@cw/booking';
import { DomainError, ErrorCode } from '@cw/common';
import { VouchersService } from '@cw/credits';
import { addDays as addLocalDays, ContractsService, localDateOf, SignUpBody } from '@cw/membership';
import { siteDocumentSchema, SitesService } from '@cw/sites';
import { insertMember, insertPlan, localSlot, MADRID, pricedSite } from '../support/credits-fixtures';
import { siteDocument, uniqueId } from '../support/factories';
import { NativeCore, startNativeCore } from '../support/native-core';
import { NativePostgres, openNativePostgres } from '../support/native-postgres';
import { BillingFixtures } from './billing-fixtures';

/**
 * The races of issue 5 with transactions that really overlap: the native PostgreSQL runs each racer on its own
 * connection at the same time (the embedded database would queue them). Each race is repeated so that different
 * interleavings get their turn.
 */
const ROUNDS = 10;

type Settled<T> = PromiseSettledResult<T>;

function split<T>(results: Settled<T>[]): { won: T[]; lost: unknown[] } {
  return {
    won: results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])),
    lost: results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : [])),
  };
}

/** Every loser refused for the stated reason, with nothing else (a deadlock, a 500) hiding among them. */
function expectConflicts(lost: unknown[], message: RegExp): void {
  for (const error of lost) {
    // On failure, say what it was instead: the class, the SQLSTATE of a raw database error, and its message.
    const seen = error as {
      constructor?: { name?: string };
      code?: unknown;
      message?: unknown;
      detail?: unknown;
    };
    expect({ kind: seen?.constructor?.name, code: seen?.code }).toEqual({
      kind: 'DomainError',
      code: ErrorCode.Conflict,
      ...(error instanceof DomainError ? {} : { message: seen?.message, detail: seen?.detail }),
    });
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).message).toMatch(message);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

describe('concurrency on native PostgreSQL', () => {
  let native: NativePostgres;
  let core: NativeCore;

  beforeAll(async () => {
    native = await openNativePostgres({ poolMax: 16 });
    core = await startNativeCore(native.db);
  });

  afterAll(async () => {
    await core?.close();
    await native?.close();
  });

  const rows = async <T>(sql: string, params: unknown[] = []): Promise<T[]> =>
    (await native.db.query<T>(sql, params)).rows;

  const newSite = async (prefix: string, document = pricedSite()): Promise<string> => {
    const site = uniqueId(prefix).replace(/[^a-zA-Z0-9_-]/g, '');
    await core.get(SitesService).putSite(site, siteDocumentSchema.parse(document));
    return site;
  };

  describe('the harness', () => {
    it('applies every migration but the TimescaleDB-only ones, constraints included', async () => {
      expect(native.skipped).toEqual(['0010_kpi_aggregates']);
      expect(native.applied).toEqual(expect.arrayContaining(['0004_bookings_occupancy', '0012_billing']));
      const constraints = await rows<{ conname: string }>(
        `SELECT conname FROM pg_constraint WHERE contype = 'x' ORDER BY conname`,
      );
      expect(constraints.map((c) => c.conname)).toEqual(
        expect.arrayContaining(['bookings_no_overlap', 'contracts_no_overlap']),
      );
    });

    it('runs transactions at the same time: one commits while another is still open', async () => {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let opened!: () => void;
      const isOpen = new Promise<void>((resolve) => (opened = resolve));
      const first = native.db.transaction(async (tx) => {
        await tx.query('SELECT 1');
        opened();
        await held;
      });
      await isOpen;
      // On a database that runs one transaction at a time this would wait for `first`, which waits for it.
      const second = await within(
        5000,
        native.db.transaction(
          async (tx) =>
            (
              await tx.query<{ backends: number }>(`SELECT count(*)::int AS backends FROM pg_stat_activity
                 WHERE datname = current_database() AND state = 'idle in transaction'`)
            ).rows[0],
        ),
      );
      release();
      await first;
      expect(second.backends).toBeGreaterThanOrEqual(1);
    });
  });

  describe('bookings of one slot', () => {
    const MEMBERS = Array.from({ length: 10 }, (_, i) => `m${i}`);
    const VOUCHER = 50_000;
    let site: string;
    let bookings: BookingsService;

    beforeAll(async () => {
      bookings = core.get(BookingsService);
      site = await newSite('nb');
      // 500 of credits a month: every winning half hour (1000) takes credits first and the rest from the voucher,
      // so a loser would have both to lose.
      await insertPlan(native.db, site, {
        id: 'flex',
        includedCreditsMinor: 500,
        bookableKinds: ['meeting_room'],
      });
      const vouchers = core.get(VouchersService);
      for (const member of MEMBERS) {
        await insertMember(native.db, site, member, { planId: 'flex' });
        const code = `GIFT-${member.toUpperCase()}`;
        await vouchers.issue(site, {
          kind: 'money',
          value: VOUCHER,
          expiresAt: new Date(Date.now() + 30 * 86_400_000),
          count: 1,
          code,
        });
        await vouchers.redeem(site, code, member);
      }
    });

    const hhmm = (minutes: number) =>
      `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

    /** Everyone books room-1 for the same half hour at once; answers the booking ids that stood and fell. */
    const race = async (racers: string[], daysAhead: number, round: number) => {
      const from = 8 * 60 + round * 30;
      const slot = localSlot(daysAhead, hhmm(from), hhmm(from + 30));
      const ids = racers.map((member) => `${member}-d${daysAhead}-r${round}`);
      const results = await Promise.allSettled(
        racers.map((member, i) =>
          bookings.create({
            siteId: site,
            id: ids[i],
            resourceId: 'room-1',
            memberId: member,
            start: new Date(slot.start),
            end: new Date(slot.end),
            source: 'api',
            bookedBy: 'member',
          }),
        ),
      );
      const { won, lost } = split(results);
      expect(won).toHaveLength(1);
      expect(won[0].created).toBe(true);
      expect(lost).toHaveLength(racers.length - 1);
      expectConflicts(lost, /room-1 is already booked for part of that time/);
      const winner = won[0].booking.id;
      return { winner, losers: ids.filter((id) => id !== winner), slot };
    };

    /** The losers left no trace: no booking, charge, credit spend or voucher spend names them. */
    const expectNothingSpentBy = async (winners: string[], losers: string[]) => {
      const traces = await rows<{ source: string; booking_id: string }>(
        `SELECT 'booking' AS source, id AS booking_id FROM bookings WHERE site_id = $1
         UNION ALL SELECT 'charge', booking_id FROM booking_charges WHERE site_id = $1
         UNION ALL SELECT 'credits', booking_id FROM credit_ledger WHERE site_id = $1 AND booking_id IS NOT NULL
         UNION ALL SELECT 'voucher', booking_id FROM voucher_spends WHERE site_id = $1 AND booking_id IS NOT NULL`,
        [site],
      );
      const named = new Set(traces.map((t) => t.booking_id));
      for (const loser of losers) expect(named.has(loser)).toBe(false);
      for (const winner of winners) {
        const of = traces.filter((t) => t.booking_id === winner).map((t) => t.source);
        expect(of).toEqual(expect.arrayContaining(['booking', 'charge', 'voucher']));
      }
    };

    /** What every member was given equals what they hold plus what their bookings took: nothing vanished. */
    const expectBalancesAddUp = async () => {
      const members = await rows<{
        member_id: string;
        credits_left: number;
        credits_spent: number;
        voucher_left: number;
        voucher_spent: number;
        charged_credits: number;
        charged_voucher: number;
      }>(
        `SELECT m.id AS member_id,
                (SELECT coalesce(sum(amount_minor), 0)::int FROM credit_ledger l
                  WHERE l.site_id = m.site_id AND l.member_id = m.id) AS credits_left,
                (SELECT coalesce(-sum(amount_minor), 0)::int FROM credit_ledger l
                  WHERE l.site_id = m.site_id AND l.member_id = m.id AND l.entry = 'spend') AS credits_spent,
                (SELECT coalesce(sum(balance), 0)::int FROM vouchers v
                  WHERE v.site_id = m.site_id AND v.member_id = m.id) AS voucher_left,
                (SELECT coalesce(sum(s.amount), 0)::int FROM voucher_spends s
                  JOIN vouchers v ON v.site_id = s.site_id AND v.code = s.code
                  WHERE v.site_id = m.site_id AND v.member_id = m.id) AS voucher_spent,
                (SELECT coalesce(sum(credits_minor), 0)::int FROM booking_charges c
                  WHERE c.site_id = m.site_id AND c.member_id = m.id) AS charged_credits,
                (SELECT coalesce(sum(voucher_minor), 0)::int FROM booking_charges c
                  WHERE c.site_id = m.site_id AND c.member_id = m.id) AS charged_voucher
         FROM members m WHERE m.site_id = $1 ORDER BY m.id`,
        [site],
      );
      expect(members).toHaveLength(MEMBERS.length);
      for (const m of members) {
        expect(m.credits_left).toBeGreaterThanOrEqual(0);
        expect(m.voucher_left).toBeGreaterThanOrEqual(0);
        expect(m.voucher_left + m.voucher_spent).toBe(VOUCHER);
        expect(m.charged_credits).toBe(m.credits_spent);
        expect(m.charged_voucher).toBe(m.voucher_spent);
      }
    };

    it(`gives exactly one of two concurrent bookings the slot, ${ROUNDS} rounds; the loser spends nothing`, async () => {
      const winners: string[] = [];
      const losers: string[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const a = MEMBERS[round % MEMBERS.length];
        const b = MEMBERS[(round + 1) % MEMBERS.length];
        const outcome = await race([a, b], 3, round);
        winners.push(outcome.winner);
        losers.push(...outcome.losers);
      }
      await expectNothingSpentBy(winners, losers);
      await expectBalancesAddUp();
    });

    it(`gives exactly one of ten concurrent bookings the slot, ${ROUNDS} rounds; the nine spend nothing`, async () => {
      const winners: string[] = [];
      const losers: string[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const outcome = await race(MEMBERS, 4, round);
        winners.push(outcome.winner);
        losers.push(...outcome.losers);
      }
      expect(losers).toHaveLength(ROUNDS * (MEMBERS.length - 1));
      await expectNothingSpentBy(winners, losers);
      await expectBalancesAddUp();
      const confirmed = await rows<{ start_at: Date; n: number }>(
        `SELECT start_at, count(*)::int AS n FROM bookings WHERE site_id = $1 AND status = 'confirmed'
         GROUP BY start_at HAVING count(*) > 1`,
        [site],
      );
      expect(confirmed).toEqual([]);
    });
  });

  describe('one member paying for many bookings at once', () => {
    it(`spends credits and voucher exactly once over ten concurrent bookings, ${ROUNDS} rounds`, async () => {
      const site = await newSite('nm');
      await insertPlan(native.db, site, {
        id: 'flex',
        includedCreditsMinor: 3000,
        bookableKinds: ['meeting_room'],
      });
      const vouchers = core.get(VouchersService);
      const bookings = core.get(BookingsService);
      for (let round = 0; round < ROUNDS; round++) {
        const member = `solo${round}`;
        await insertMember(native.db, site, member, { planId: 'flex' });
        const code = `SOLO-${round}`;
        await vouchers.issue(site, {
          kind: 'money',
          value: 2500,
          expiresAt: new Date(Date.now() + 30 * 86_400_000),
          count: 1,
          code,
        });
        await vouchers.redeem(site, code, member);
        // Ten half hours of room-1 (1000 each) on one local day: 3000 from credits, 2500 from the voucher, 4500 owed.
        const results = await Promise.allSettled(
          Array.from({ length: 10 }, (_, i) => {
            const slot = localSlot(
              5 + round,
              `${String(8 + i).padStart(2, '0')}:00`,
              `${String(8 + i).padStart(2, '0')}:30`,
            );
            return bookings.create({
              siteId: site,
              id: `${member}-${i}`,
              resourceId: 'room-1',
              memberId: member,
              start: new Date(slot.start),
              end: new Date(slot.end),
              source: 'api',
              bookedBy: 'member',
            });
          }),
        );
        const { won, lost } = split(results);
        expect(lost).toEqual([]);
        expect(won).toHaveLength(10);
        const [paid] = await rows<{ credits: number; voucher: number; charge: number }>(
          `SELECT sum(credits_minor)::int AS credits, sum(voucher_minor)::int AS voucher, sum(charge_minor)::int AS charge
           FROM booking_charges WHERE site_id = $1 AND member_id = $2`,
          [site, member],
        );
        expect(paid).toEqual({ credits: 3000, voucher: 2500, charge: 4500 });
        const [left] = await rows<{ credits: number; voucher: number }>(
          `SELECT (SELECT sum(amount_minor)::int FROM credit_ledger WHERE site_id = $1 AND member_id = $2) AS credits,
                  (SELECT balance FROM vouchers WHERE site_id = $1 AND code = $3) AS voucher`,
          [site, member, code],
        );
        expect(left).toEqual({ credits: 0, voucher: 0 });
      }
    });
  });

  describe('billing runs of one month', () => {
    /** A month of varied work: a company paying for two members, prorations, a plan change, usage, one-offs. */
    const seedJune = async (f: BillingFixtures) => {
      await f.plan('flex', 15000, 'Flex desk');
      await f.plan('fixed', 30000, 'Fixed desk');
      await f.company('acme', 'Acme');
      await f.member('carl', 'Carl', 'acme');
      await f.member('dina', 'Dina', 'acme');
      await f.contract({ member: 'carl', plan: 'flex', price: 15000, start: '2024-01-01', company: 'acme' });
      await f.contract({
        member: 'dina',
        plan: 'flex',
        price: 15000,
        start: '2024-01-01',
        end: '2024-06-11',
        company: 'acme',
      });
      await f.member('ben', 'Ben');
      await f.contract({ member: 'ben', plan: 'flex', price: 15000, start: '2024-06-16', end: '2024-06-21' });
      await f.contract({
        member: 'ben',
        plan: 'fixed',
        price: 30000,
        start: '2024-06-21',
        end: '2024-09-01',
      });
      await f.member('eva', 'Eva');
      await f.oneOff('eva', 'Day pass: Day pass', 2500, '2024-06-20');
      await f.usage('carl', '2024-06-12T09:00:00Z', 2000);
      for (let i = 0; i < 12; i++) {
        const m = await f.member(`m${i}`);
        await f.contract({
          member: m,
          plan: 'flex',
          price: 10000 + i,
          start: '2024-06-01',
          end: '2024-07-01',
        });
        await f.usage(m, `2024-06-0${1 + (i % 9)}T10:00:00Z`, 100 + i, i === 3, i % 2 ? 'room-1' : 'room-2');
        if (i % 4 === 0) await f.oneOff(m, 'Printed badge', 500, '2024-06-05');
      }
    };
    // acme, ben, eva and m0..m11
    const BUYERS = 15;

    const totalsByBuyer = async (siteId: string) =>
      Object.fromEntries(
        (
          await rows<{ buyer: string; total: number }>(
            `SELECT coalesce(company_id, member_id) AS buyer, sum(total_minor)::int AS total FROM invoices
             WHERE site_id = $1 GROUP BY 1`,
            [siteId],
          )
        ).map((r) => [r.buyer, r.total]),
      );

    /** Numbers 1..n without gap or repeat, the series head after them, each thing billed once, the chain intact. */
    const expectOneSet = async (f: BillingFixtures, n: number) => {
      expect((await f.invoices()).map((i) => i.number)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
      const [head] = await rows<{ next_number: number }>(
        `SELECT next_number FROM invoice_series WHERE site_id = $1 AND series = 'INV'`,
        [f.siteId],
      );
      expect(head.next_number).toBe(n + 1);
      const [once] = await rows<{ contracts: number; periods: number; usage: number; bookings: number }>(
        `SELECT (SELECT count(*)::int FROM invoice_lines WHERE site_id = $1 AND contract_id IS NOT NULL) AS contracts,
                (SELECT count(*)::int FROM billed_periods WHERE site_id = $1) AS periods,
                (SELECT count(*)::int FROM invoice_lines WHERE site_id = $1 AND kind = 'usage') AS usage,
                (SELECT count(DISTINCT booking_id)::int FROM invoice_lines WHERE site_id = $1 AND kind = 'usage') AS bookings`,
        [f.siteId],
      );
      // 16 contracts touch June; each is billed on one line and recorded once as billed for the period.
      expect(once).toEqual({ contracts: 16, periods: 16, usage: 12, bookings: 12 });
      const [charges] = await rows<{ open: number; invoiced: number }>(
        `SELECT count(*) FILTER (WHERE invoice_id IS NULL)::int AS open,
                count(*) FILTER (WHERE invoice_id IS NOT NULL)::int AS invoiced
         FROM one_off_charges WHERE site_id = $1`,
        [f.siteId],
      );
      expect(charges).toEqual({ open: 0, invoiced: 4 });
      const chain = await core.get(InvoiceChainService).verify(f.siteId);
      expect(chain).toMatchObject({ ok: true, checked: n, broken: [] });
    };

    const raceRuns = async (racers: number, rounds: number) => {
      const runs = core.get(BillingRunsService);
      const reference = new BillingFixtures(native.db, await newSite('nr', siteDocument()));
      await seedJune(reference);
      await runs.run(reference.siteId, '2024-06');
      const expected = await totalsByBuyer(reference.siteId);
      expect(Object.keys(expected)).toHaveLength(BUYERS);
      // Buyers a run had planned but found issued by another: proof that the runs really overlapped.
      let contested = 0;
      for (let round = 0; round < rounds; round++) {
        const f = new BillingFixtures(native.db, await newSite('nr', siteDocument()));
        await seedJune(f);
        const results = await Promise.allSettled(
          Array.from({ length: racers }, () => runs.run(f.siteId, '2024-06')),
        );
        const { won, lost } = split(results);
        expect(lost).toEqual([]);
        const issued = won.flatMap((r) => r.invoiceIds);
        expect(issued).toHaveLength(BUYERS);
        expect(new Set(issued).size).toBe(BUYERS);
        await expectOneSet(f, BUYERS);
        expect(await totalsByBuyer(f.siteId)).toEqual(expected);
        contested += won.reduce((sum, r) => sum + r.alreadyBilled, 0);
      }
      expect(contested).toBeGreaterThan(0);
    };

    it(`two concurrent runs issue one set of invoices, gapless, no duplicate, chain intact; ${ROUNDS} rounds`, async () => {
      await raceRuns(2, ROUNDS);
    });

    it('five concurrent runs issue one set of invoices too', async () => {
      await raceRuns(5, 3);
    });
  });

  describe('voucher redemption', () => {
    const race = async (racers: number) => {
      const site = await newSite('nv');
      const vouchers = core.get(VouchersService);
      const members = Array.from({ length: racers }, (_, i) => `v${i}`);
      for (const member of members) await insertMember(native.db, site, member);
      for (let round = 0; round < ROUNDS; round++) {
        const code = `RACE-${round}`;
        await vouchers.issue(site, {
          kind: 'money',
          value: 1000,
          expiresAt: new Date(Date.now() + 86_400_000),
          count: 1,
          code,
        });
        const results = await Promise.allSettled(members.map((m) => vouchers.redeem(site, code, m)));
        const { won, lost } = split(results);
        expect(won).toHaveLength(1);
        expectConflicts(lost, new RegExp(`voucher ${code} has already been redeemed`));
        const { voucher } = await vouchers.get(site, code);
        expect(voucher).toMatchObject({ memberId: won[0].memberId, balance: 1000 });
      }
    };

    it(`lets exactly one of two concurrent redemptions of a code win, ${ROUNDS} rounds`, async () => {
      await race(2);
    });

    it(`lets exactly one of ten concurrent redemptions of a code win, ${ROUNDS} rounds`, async () => {
      await race(10);
    });
  });

  describe('overlapping contracts for one member', () => {
    const race = async (bodies: (start: string) => Omit<SignUpBody, 'member'>[]) => {
      const site = await newSite('nc', { ...pricedSite(), timeZone: MADRID });
      await insertPlan(native.db, site, { id: 'flex' });
      const contracts = core.get(ContractsService);
      const today = localDateOf(new Date(), MADRID);
      for (let round = 0; round < ROUNDS; round++) {
        const member = `c${round}`;
        await insertMember(native.db, site, member);
        const racing = bodies(addLocalDays(today, 1));
        const results = await Promise.allSettled(
          racing.map((body) => contracts.signUp(site, { ...body, member }, 'test')),
        );
        const { won, lost } = split(results);
        expect(won).toHaveLength(1);
        expect(won[0].created).toBe(true);
        expectConflicts(lost, new RegExp(`member ${member} already has contract ${won[0].contract.id} `));
        const [stored] = await rows<{ contracts: number; signed: number }>(
          `SELECT (SELECT count(*)::int FROM contracts WHERE site_id = $1 AND member_id = $2) AS contracts,
                  (SELECT count(*)::int FROM audit_log WHERE site_id = $1 AND action = 'contract.signed'
                     AND detail->>'member' = $2) AS signed`,
          [site, member],
        );
        expect(stored).toEqual({ contracts: 1, signed: 1 });
      }
    };

    it(`signs exactly one of two concurrent overlapping sign-ups, ${ROUNDS} rounds`, async () => {
      await race((start) => [
        { plan: 'flex', start, end: addLocalDays(start, 60) },
        { plan: 'flex', start: addLocalDays(start, 30) },
      ]);
    });

    it(`signs exactly one of ten concurrent sign-ups of overlapping terms, ${ROUNDS} rounds`, async () => {
      await race((start) =>
        Array.from({ length: 10 }, (_, i) => ({
          plan: 'flex',
          start: addLocalDays(start, i * 3),
          end: addLocalDays(start, 40 + i),
        })),
      );
    });
  });

  describe('payments allocated to one invoice', () => {
    let f: BillingFixtures;
    let invoices: { id: string; member_id: string | null; total_minor: number }[];

    beforeAll(async () => {
      f = new BillingFixtures(native.db, await newSite('np', siteDocument()));
      await f.plan('flex', 15000, 'Flex desk');
      for (let i = 0; i < ROUNDS; i++) {
        const m = await f.member(`p${i}`);
        await f.contract({
          member: m,
          plan: 'flex',
          price: 10000 + i,
          start: '2024-06-01',
          end: '2024-07-01',
        });
      }
      await core.get(BillingRunsService).run(f.siteId, '2024-06');
      invoices = await f.invoices();
      expect(invoices).toHaveLength(ROUNDS);
    });

    const allocated = async (invoiceId: string) => {
      const [row] = await rows<{ allocated: number; payments: number }>(
        `SELECT coalesce(sum(amount_minor), 0)::int AS allocated, count(DISTINCT payment_id)::int AS payments
         FROM payment_allocations WHERE site_id = $1 AND invoice_id = $2`,
        [f.siteId, invoiceId],
      );
      return row;
    };

    it(`never lets two concurrent payments over-allocate an invoice, ${ROUNDS} invoices`, async () => {
      const payments = core.get(PaymentsService);
      for (const invoice of invoices) {
        // Each pays 60%: both fit the balance alone, together they would exceed it.
        const amount = Math.ceil(invoice.total_minor * 0.6);
        const pay = () =>
          payments.record(f.siteId, {
            buyer: { type: 'member', id: invoice.member_id! },
            amountMinor: amount,
            method: 'manual',
            reference: null,
            receivedAt: new Date('2024-07-02T10:00:00Z'),
            allocations: [{ invoiceId: invoice.id, amountMinor: amount }],
          });
        const { won, lost } = split(await Promise.allSettled([pay(), pay()]));
        expect(won).toHaveLength(1);
        expectConflicts(lost, new RegExp(`allocation of ${amount} to ${invoice.id} exceeds its balance`));
        expect(await allocated(invoice.id)).toEqual({ allocated: amount, payments: 1 });
        const [stored] = await rows<{ n: number }>(
          `SELECT count(*)::int AS n FROM payments WHERE site_id = $1 AND member_id = $2`,
          [f.siteId, invoice.member_id],
        );
        expect(stored.n).toBe(1);
      }
    });

    it('allocates concurrent unallocated payments oldest first, never beyond the balance', async () => {
      const payments = core.get(PaymentsService);
      for (const invoice of invoices) {
        const [before] = await rows<{ allocated: number }>(
          `SELECT coalesce(sum(amount_minor), 0)::int AS allocated FROM payment_allocations
           WHERE site_id = $1 AND invoice_id = $2`,
          [f.siteId, invoice.id],
        );
        const balance = invoice.total_minor - before.allocated;
        const pay = () =>
          payments.record(f.siteId, {
            buyer: { type: 'member', id: invoice.member_id! },
            amountMinor: balance,
            method: 'manual',
            reference: null,
            receivedAt: new Date('2024-07-03T10:00:00Z'),
          });
        const { won, lost } = split(await Promise.allSettled([pay(), pay(), pay()]));
        expect(lost).toEqual([]);
        // One of them settles the balance; the others stay on account.
        expect(won.map((p) => p.unallocatedMinor).sort((a, b) => a - b)).toEqual([0, balance, balance]);
        expect((await allocated(invoice.id)).allocated).toBe(invoice.total_minor);
      }
    });
  });

  describe('cancelling a booking while its month is billed', () => {
    let site: string;
    let bookings: BookingsService;
    let runs: BillingRunsService;

    beforeAll(async () => {
      site = await newSite('nx');
      // 1000 a half hour: 300 from credits, 700 charged on the invoice.
      await insertPlan(native.db, site, {
        id: 'payg',
        includedCreditsMinor: 300,
        bookableKinds: ['meeting_room'],
      });
      bookings = core.get(BookingsService);
      runs = core.get(BillingRunsService);
    });

    /** A member's half hour of room-1 two days ahead, and the month that bills it. */
    const bookHalfHour = async (member: string, hour: number) => {
      await insertMember(native.db, site, member, { planId: 'payg' });
      const at = `${String(hour).padStart(2, '0')}`;
      const slot = localSlot(2, `${at}:00`, `${at}:30`);
      const id = `${member}-booking`;
      const made = await bookings.create({
        siteId: site,
        id,
        resourceId: 'room-1',
        memberId: member,
        start: new Date(slot.start),
        end: new Date(slot.end),
        source: 'api',
        bookedBy: 'member',
      });
      expect(made.charge).toMatchObject({ creditsMinor: 300, chargeMinor: 700 });
      return { id, period: localDateOf(new Date(slot.start), MADRID).slice(0, 7) };
    };

    const stateOf = async (id: string) => {
      const [state] = await rows<{
        status: string;
        billed: boolean;
        refunded: boolean;
        credit_refunds: number;
      }>(
        `SELECT (SELECT status FROM bookings WHERE site_id = $1 AND id = $2) AS status,
                EXISTS (SELECT 1 FROM invoice_lines WHERE site_id = $1 AND booking_id = $2 AND kind = 'usage') AS billed,
                (SELECT refunded_at IS NOT NULL FROM booking_charges WHERE site_id = $1 AND booking_id = $2) AS refunded,
                (SELECT count(*)::int FROM credit_ledger WHERE site_id = $1 AND booking_id = $2 AND entry = 'refund')
                  AS credit_refunds`,
        [site, id],
      );
      return state;
    };

    const BILLED = { status: 'cancelled', billed: true, refunded: false, credit_refunds: 0 };
    const REFUNDED = { status: 'cancelled', billed: false, refunded: true, credit_refunds: 1 };

    it(`bills the booking or refunds it, never both, ${ROUNDS} rounds`, async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const { id, period } = await bookHalfHour(`x${round}`, 8 + round);
        // The cancel starts a little later each round, so the run is first to the charge in some rounds only.
        const cancel = async () => {
          await sleep(round * 3);
          return bookings.cancel(site, id);
        };
        const { lost } = split(await Promise.allSettled([cancel(), runs.run(site, period)]));
        expect(lost).toEqual([]);
        const state = await stateOf(id);
        expect(state).toEqual(state.billed ? BILLED : REFUNDED);
      }
    });

    it('keeps a booking billed by an earlier run billed, refunding nothing when it is cancelled', async () => {
      const { id, period } = await bookHalfHour('late', 20);
      await runs.run(site, period);
      await bookings.cancel(site, id);
      expect(await stateOf(id)).toEqual(BILLED);
    });
  });

  describe('credit notes for one invoice', () => {
    it(`issues one of two concurrent full credit notes, numbered without gap, ${ROUNDS} invoices`, async () => {
      const f = new BillingFixtures(native.db, await newSite('nn', siteDocument()));
      await f.plan('flex', 15000, 'Flex desk');
      for (let i = 0; i < ROUNDS; i++) {
        const m = await f.member(`n${i}`);
        await f.contract({
          member: m,
          plan: 'flex',
          price: 10000 + i,
          start: '2024-06-01',
          end: '2024-07-01',
        });
      }
      await core.get(BillingRunsService).run(f.siteId, '2024-06');
      const invoices = await f.invoices();
      expect(invoices).toHaveLength(ROUNDS);
      const service = core.get(InvoicesService);
      for (const invoice of invoices) {
        const credit = () => service.creditNote(f.siteId, invoice.id, { full: true, reason: 'raced' });
        const { won, lost } = split(await Promise.allSettled([credit(), credit()]));
        expect(won).toHaveLength(1);
        expectConflicts(lost, new RegExp(`${invoice.id} has nothing left to credit`));
        const [notes] = await rows<{ n: number; credited: number }>(
          `SELECT count(*)::int AS n, coalesce(-sum(total_minor), 0)::int AS credited FROM invoices
           WHERE site_id = $1 AND corrects_id = $2`,
          [f.siteId, invoice.id],
        );
        expect(notes).toEqual({ n: 1, credited: invoice.total_minor });
      }
      const numbers = await rows<{ number: number }>(
        `SELECT number FROM invoices WHERE site_id = $1 AND series = 'CN' ORDER BY number`,
        [f.siteId],
      );
      expect(numbers.map((r) => r.number)).toEqual(Array.from({ length: ROUNDS }, (_, i) => i + 1));
      expect(await core.get(InvoiceChainService).verify(f.siteId)).toMatchObject({
        ok: true,
        checked: 2 * ROUNDS,
      });
    });
  });
});
