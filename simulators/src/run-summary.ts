import { SimEvent } from './sim-event';

/** Counts per `type:kind` (sensor kind or booking status); door events count as `door`. */
export function countByKind(events: readonly SimEvent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const event of events) {
    const key =
      event.type === 'sensor'
        ? `sensor:${event.payload.kind}`
        : event.type === 'booking'
          ? `booking:${event.payload.status}`
          : 'door';
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

export interface RunStats {
  total: number;
  published: number;
  failed: number;
  elapsedMs: number;
}

export function formatProgress(published: number, total: number): string {
  const share = total === 0 ? 100 : (100 * published) / total;
  return `published ${published}/${total} (${share.toFixed(1)}%)`;
}

export function formatSummary(counts: Record<string, number>, stats: RunStats): string {
  const seconds = stats.elapsedMs / 1000;
  const rate = seconds > 0 ? stats.published / seconds : 0;
  const perKind = Object.entries(counts)
    .map(([kind, n]) => `  ${kind.padEnd(20)} ${n}`)
    .join('\n');
  return [
    `events per type:\n${perKind}`,
    `published ${stats.published}/${stats.total}, failed ${stats.failed}, in ${seconds.toFixed(1)} s, ${rate.toFixed(1)} events/s`,
  ].join('\n');
}
