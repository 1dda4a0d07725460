import { EmbeddedDatabase, loadMigrations, migrate } from '@cw/database';

describe('migrations on the embedded TimescaleDB', () => {
  let db: EmbeddedDatabase;

  beforeAll(async () => {
    db = await EmbeddedDatabase.open({});
  });

  afterAll(() => db.close());

  it('apply in order, are recorded, and re-run as a no-op', async () => {
    const names = loadMigrations().map((m) => m.name);
    expect(names.length).toBeGreaterThanOrEqual(3);
    expect(names).toEqual([...names].sort());
    expect(await migrate(db)).toEqual(names);
    expect(await migrate(db)).toEqual([]);
    const recorded = await db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY version');
    expect(recorded.rows.map((r) => r.name)).toEqual(names);
  });

  it('create the event hypertables', async () => {
    const { rows } = await db.query<{ hypertable_name: string }>(
      'SELECT hypertable_name FROM timescaledb_information.hypertables',
    );
    expect(rows.map((r) => r.hypertable_name)).toEqual(
      expect.arrayContaining([
        'booking_events',
        'door_events',
        'occupancy_changes',
        'rejected_events',
        'sensor_readings',
      ]),
    );
  });

  it('refuse an applied migration whose text changed, and apply a new one', async () => {
    const edited = loadMigrations().map((m, i) => (i === 0 ? { ...m, checksum: 'edited' } : m));
    await expect(migrate(db, edited)).rejects.toThrow('migration 0001_core changed after it was applied');
    const extra = {
      version: '9999',
      name: '9999_extra',
      sql: 'CREATE TABLE extra_probe (id int);',
      checksum: 'x',
    };
    expect(await migrate(db, [...loadMigrations(), extra])).toEqual(['9999_extra']);
  });

  it('roll back a failing migration whole, leaving no record', async () => {
    const broken = {
      version: '9998',
      name: '9998_broken',
      sql: 'CREATE TABLE half_done (id int); SELECT no_such_function();',
      checksum: 'y',
    };
    await expect(migrate(db, [broken])).rejects.toThrow(/no_such_function/);
    const left = await db.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'");
    expect(left.rows).toEqual([]);
    const record = await db.query("SELECT 1 FROM schema_migrations WHERE version = '9998'");
    expect(record.rows).toEqual([]);
  });
});
