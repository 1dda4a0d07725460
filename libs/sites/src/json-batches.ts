/** Room kept for the SQL text and the other parameters of the statement that carries a batch. */
const STATEMENT_OVERHEAD_BYTES = 4096;

/**
 * Serialises rows as JSON arrays small enough to travel as one statement parameter each. A TimescaleDB reached
 * through pglite-socket crashes on any protocol message over 64 KiB, and a site with hundreds of desks and their
 * polygons passes that easily. Without a limit, all rows go in one batch.
 */
export function jsonBatches<T>(rows: readonly T[], maxMessageBytes: number | undefined): string[] {
  if (rows.length === 0) return [];
  if (maxMessageBytes === undefined) return [JSON.stringify(rows)];
  const budget = Math.max(1, maxMessageBytes - STATEMENT_OVERHEAD_BYTES);
  const batches: string[] = [];
  let current: string[] = [];
  let size = 2;
  for (const row of rows) {
    const json = JSON.stringify(row);
    const bytes = Buffer.byteLength(json, 'utf8') + 1;
    if (current.length > 0 && size + bytes > budget) {
      batches.push(`[${current.join(',')}]`);
      current = [];
      size = 2;
    }
    current.push(json);
    size += bytes;
  }
  batches.push(`[${current.join(',')}]`);
  return batches;
}
