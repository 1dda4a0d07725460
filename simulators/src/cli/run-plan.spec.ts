import { loadScenario } from '../scenario/scenario-loader';
import { SCENARIOS_DIR } from '../testing/scenario-fixtures';
import { join } from 'node:path';
import { addMonths, daysBetween, planRun } from './run-plan';

const small = loadScenario(join(SCENARIOS_DIR, 'small-test.yaml'));
const demo = loadScenario(join(SCENARIOS_DIR, 'demo.yaml'));
/** Saturday 21 November 2026, 11:26 in Madrid. */
const NOW = new Date('2026-11-21T10:26:00Z');
const none = { start: null, days: null, months: null };

describe('planRun', () => {
  it('backfills the scenario dates, or history ending yesterday', () => {
    expect(planRun({ ...none, mode: 'backfill' }, small, NOW)).toMatchObject({
      start: '2026-03-02',
      days: 7,
    });
    expect(planRun({ ...none, mode: 'backfill', days: 30 }, small, NOW)).toMatchObject({
      start: '2026-03-02',
      days: 30,
    });
    expect(planRun({ ...none, mode: 'backfill', days: 30 }, demo, NOW)).toMatchObject({
      start: '2026-10-22',
      days: 30,
    });
    expect(planRun({ ...none, mode: 'backfill', months: 3 }, demo, NOW)).toMatchObject({
      start: '2026-08-21',
      days: 92,
    });
    expect(planRun({ ...none, mode: 'backfill', start: '2026-01-01', months: 1 }, demo, NOW)).toMatchObject({
      days: 31,
    });
  });

  it('loads history up to yesterday', () => {
    const plan = planRun({ ...none, mode: 'load' }, demo, NOW);
    expect(plan).toMatchObject({ start: '2025-10-17', days: 400 });
    expect(planRun({ ...none, mode: 'load' }, small, NOW)).toMatchObject({
      start: '2026-03-02',
      days: daysBetween('2026-03-02', '2026-11-21'),
    });
  });

  it('starts live now or at --start, until stopped', () => {
    expect(planRun({ ...none, mode: 'live' }, demo, NOW)).toEqual({
      start: '2026-11-21',
      days: Infinity,
      simStart: NOW.getTime(),
    });
    expect(planRun({ ...none, mode: 'live', start: '2026-03-04T08:00:00Z', days: 2 }, demo, NOW)).toEqual({
      start: '2026-03-04',
      days: 2,
      simStart: Date.parse('2026-03-04T08:00:00Z'),
    });
    // a date alone: local midnight of the site
    expect(planRun({ ...none, mode: 'live', start: '2026-03-04' }, demo, NOW).simStart).toBe(
      Date.parse('2026-03-03T23:00:00Z'),
    );
  });

  it('counts months by the calendar', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-03-15', -3)).toBe('2025-12-15');
    expect(daysBetween('2026-03-01', '2026-04-01')).toBe(31);
  });
});
