import { Migration } from '@cw/database';
import { nativeMigrations, TIMESCALE_ONLY_MIGRATIONS } from './native-postgres';

const migration = (name: string): Migration => ({
  version: name.slice(0, 4),
  name,
  sql: 'SELECT 1',
  checksum: name,
});

describe('nativeMigrations', () => {
  it('leaves out exactly the listed TimescaleDB-only migrations, in order otherwise', () => {
    const all = ['0001_core', '0002_event_hypertables', '0010_kpi_aggregates', '0011_membership_lookups'].map(
      migration,
    );
    const { apply, skip } = nativeMigrations(all);
    expect(apply.map((m) => m.name)).toEqual([
      '0001_core',
      '0002_event_hypertables',
      '0011_membership_lookups',
    ]);
    expect(skip.map((m) => m.name)).toEqual(['0010_kpi_aggregates']);
  });

  it('refuses a list naming a migration that no longer exists, so nothing else is skipped by mistake', () => {
    expect(Object.keys(TIMESCALE_ONLY_MIGRATIONS)).toEqual(['0010']);
    expect(() => nativeMigrations([migration('0001_core')])).toThrow(/unknown versions: 0010/);
  });
});
