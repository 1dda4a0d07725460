import { BillingRunsService, InvoiceChainService, PaymentsService } from '@cw/billing';
import { BookingsService } from '@cw/booking';
import { DomainError, ErrorCode } from '@cw/common';
import { VouchersService } from '@cw/credits';
import { ContractsService, localDateOf, addDays as addLocalDays } from '@cw/membership';
import { siteDocumentSchema, SitesService } from '@cw/sites';
import { insertMember, insertPlan, localSlot, MADRID, pricedSite } from '../support/credits-fixtures';
import { uniqueId } from '../support/factories';
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
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(ErrorCode.Conflict);
    expect((error as DomainError).message).toMatch(message);
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
      const second = await native.db.transaction(async (tx) =>
        (await tx.query<{ backends: number }>(`SELECT count(*)::int AS backends FROM pg_stat_activity
           WHERE datname = current_database() AND state = 'idle in transaction'`)).rows[0],
      );
      release();
      await first;
      expect(second.backends).toBeGreaterThanOrEqual(1);
    });
  });
});
