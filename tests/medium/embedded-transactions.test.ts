import { EmbeddedDatabase } from '@cw/database';

/**
 * The embedded database's transactions as the app relies on them (each is a callback parked in the worker while the
 * main thread sends its statements): every statement runs inside it, a failure rolls everything back, and
 * transactions and plain statements do not interleave.
 */
describe('embedded database transactions', () => {
  let db: EmbeddedDatabase;

  beforeAll(async () => {
    db = await EmbeddedDatabase.open();
    await db.exec('CREATE TABLE t (id int PRIMARY KEY, v text)');
  });
  afterAll(async () => db?.close());
  beforeEach(async () => db.exec('TRUNCATE t'));

  const rows = async () =>
    (await db.query<{ id: number; v: string }>('SELECT id, v FROM t ORDER BY id')).rows;

  it('runs every statement inside the transaction, the first one included, and commits them together', async () => {
    const seen = await db.transaction(async (tx) => {
      await tx.query("INSERT INTO t VALUES (1, 'a')");
      const inside = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM t');
      await tx.query("INSERT INTO t VALUES (2, 'b')");
      return inside.rows[0].n;
    });
    expect(seen).toBe(1);
    expect(await rows()).toEqual([
      { id: 1, v: 'a' },
      { id: 2, v: 'b' },
    ]);
  });

  it('rolls back the first statement too when a later one fails', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query("INSERT INTO t VALUES (1, 'a')");
        await tx.query("INSERT INTO t VALUES (1, 'again')");
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(await rows()).toEqual([]);
  });

  it('rolls back when the callback throws before any statement, and the database stays usable', async () => {
    await expect(
      db.transaction(async () => {
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    await db.transaction(async (tx) => tx.query("INSERT INTO t VALUES (3, 'c')"));
    expect(await rows()).toEqual([{ id: 3, v: 'c' }]);
  });

  it('does not let a plain statement or another transaction see a transaction half done', async () => {
    const order: string[] = [];
    const first = db.transaction(async (tx) => {
      await tx.query("INSERT INTO t VALUES (1, 'a')");
      order.push('first wrote 1');
      await new Promise((resolve) => setTimeout(resolve, 50));
      await tx.query("INSERT INTO t VALUES (2, 'b')");
      order.push('first wrote 2');
    });
    const plain = db.query<{ n: number }>('SELECT count(*)::int AS n FROM t');
    const second = db.transaction(async (tx) => {
      const n = (await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM t')).rows[0].n;
      order.push(`second saw ${n}`);
    });
    await Promise.all([first, second]);
    expect((await plain).rows[0].n).toBe(2);
    expect(order).toEqual(['first wrote 1', 'first wrote 2', 'second saw 2']);
  });
});
