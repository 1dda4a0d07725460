import { ChurnService, MemberHistory, shiftDay } from '@cw/churn';
import { loadScenario, MemberRecord } from '@cw/simulators';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BorrowedDatabase } from './borrowed-database';
import { loadScenarioRun } from './churn-truth-loader';
import { openSeededDatabase } from './seeded-database';
import { startPlatform } from './test-app';

/** What the platform held about each member as of a scoring day, and the simulator's churn dates to label it. */
export interface HistorySnapshot {
  scenario: string;
  siteId: string;
  days: Array<{ day: string; histories: MemberHistory[] }>;
  churnDates: Record<string, string | null>;
}

/**
 * Loads `days` days of a scenario into a fresh platform (minutes: every door event goes through the ingest API) and
 * reads the member histories as of each of `asOf` (offsets from the day after the run). Tuning reads them many times
 * over, so they can be kept in a file and fitted on without loading again.
 */
export async function snapshotScenario(file: string, days: number, asOf: number[]): Promise<HistorySnapshot> {
  const scenario = loadScenario(join(__dirname, '../../simulators/scenarios', file));
  const db = await openSeededDatabase();
  const platform = await startPlatform(new BorrowedDatabase(db), { CLOCK_CONTROL: 'on' });
  try {
    const started = Date.now();
    const run = await loadScenarioRun(platform, scenario, { start: scenario.start ?? '2026-01-05', days });
    console.log(
      `${file}: ${run.events.accepted} door events (${run.events.failed} failed) in ${(Date.now() - started) / 1000}s`,
    );
    const service = platform.app.get(ChurnService);
    const snapshot: HistorySnapshot = {
      scenario: file,
      siteId: run.siteId,
      days: [],
      churnDates: Object.fromEntries(run.members.map((m: MemberRecord) => [m.member, m.churnDate])),
    };
    for (const offset of asOf) {
      const day = shiftDay(run.end, offset);
      snapshot.days.push({ day, histories: await service.histories(run.siteId, day) });
    }
    return snapshot;
  } finally {
    await platform.close();
    await db.close();
  }
}

export function readSnapshot(path: string): HistorySnapshot {
  return JSON.parse(readFileSync(path, 'utf8')) as HistorySnapshot;
}

export function writeSnapshot(path: string, snapshot: HistorySnapshot): void {
  writeFileSync(path, JSON.stringify(snapshot));
}
