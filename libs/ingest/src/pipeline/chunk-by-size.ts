/** Splits items so each chunk's estimated encoded size stays under `maxBytes` (at least one item per chunk). */
export function chunkBySize<T>(items: T[], maxBytes: number | undefined, sizeOf: (item: T) => number): T[][] {
  if (maxBytes === undefined) return items.length ? [items] : [];
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (current.length > 0 && bytes + size > maxBytes) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length) chunks.push(current);
  return chunks;
}
