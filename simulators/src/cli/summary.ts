import { Progress, RunReport } from '../modes/report';

const n = (value: number): string => Math.round(value).toLocaleString('en-US');

/** One line, rewritten in place with `\r` while the run goes. */
export function formatProgressLine(mode: string, p: Progress): string {
  const seconds = p.elapsedMs / 1000;
  const days = Number.isFinite(p.days) ? `day ${p.daysDone}/${p.days}` : `day ${p.daysDone}`;
  const rate = seconds > 0 ? n(p.acked / seconds) : '0';
  return `[${mode}] ${days}  ${n(p.events)} events  acked ${n(p.acked)}  failed ${n(p.failed)}  ${rate} ev/s  ${seconds.toFixed(0)} s`;
}

export interface SummaryInput {
  scenario: string;
  seed: number;
  url: string;
  start: string;
  days: number;
  report: RunReport;
  truthPath: string;
  truthRecords: number;
  /** HTTP: the platform answered accepted / duplicates / rejected. */
  http: boolean;
}

export function formatRunSummary(s: SummaryInput): string {
  const r = s.report;
  const seconds = r.elapsedMs / 1000;
  const length = Number.isFinite(s.days) ? `${s.days} days from ${s.start}` : `from ${s.start}`;
  const width = Math.max(10, ...Object.keys(r.byKind).map((k) => k.length));
  const lines = [
    `${r.mode} of scenario ${s.scenario} (seed ${s.seed}), ${length}, to ${s.url}${r.interrupted ? ' - interrupted' : ''}`,
    'events by type:',
    ...Object.entries(r.byKind).map(([kind, count]) => `  ${kind.padEnd(width)} ${n(count)}`),
    `sent ${n(r.events)} events in ${n(r.messages)} messages; acknowledged ${n(r.acked)}, failed ${n(r.failed)}; ${seconds.toFixed(1)} s, ${n(r.rate)} events/s`,
  ];
  if (s.http)
    lines.push(
      `platform: accepted ${n(r.accepted)}, duplicates ${n(r.duplicates)}, rejected ${n(r.rejected)}; retries ${n(r.retries)}`,
    );
  if (r.messages > 0)
    lines.push(`ack latency: p50 ${r.ackP50Ms} ms, p99 ${r.ackP99Ms} ms, max ${r.ackMaxMs} ms`);
  lines.push(r.errors.length === 0 ? 'errors: none' : `errors:\n${r.errors.map((e) => `  ${e}`).join('\n')}`);
  lines.push(`truth: ${s.truthPath} (${n(s.truthRecords)} records)`);
  return lines.join('\n');
}
