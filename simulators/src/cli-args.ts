import { parseArgs } from 'node:util';

export interface CliConfig {
  siteFile: string;
  siteId: string;
  url: string;
  key: string | null;
  username: string;
  /** Simulated ms per wall ms; Infinity in burst mode. */
  speed: number;
  seed: number;
  members: number;
  /** Local date of the first simulated day; null: today in the site's time zone. */
  date: string | null;
  days: number;
  /** Local time (HH:MM) the simulated clock starts at; earlier events go out at once. */
  start: string | null;
  noShowRate: number;
  truth: string | null;
  dryRun: boolean;
}

export const USAGE = `Usage: npm run sim -- --site-file <file.json> --site <id> --key <api key> [options]
  --url <mqtt url>      broker (default mqtt://127.0.0.1:1883)
  --username <name>     MQTT username (default simulator)
  --speed <n>           simulated seconds per second (default 60); ignored with --mode burst
  --mode live|burst     live: at simulated time; burst: as fast as the broker acknowledges (default live)
  --seed <n>            random seed (default 42)
  --members <n>         members (default 60)
  --date <YYYY-MM-DD>   first simulated day, local to the site (default today)
  --days <n>            number of days (default 1)
  --start <HH:MM>       start the simulated clock at this local time; earlier events go out at once
  --no-show <share>     share of bookings nobody attends (default 0.15)
  --truth <file.jsonl>  write the ground truth
  --dry-run             print the events as JSON lines instead of publishing`;

function numberOption(
  name: string,
  raw: string | undefined,
  fallback: number,
  check: (n: number) => boolean,
): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || !check(value))
    throw new Error(`--${name}: invalid value ${raw}`);
  return value;
}

/** Throws an Error whose message names the bad option. */
export function parseCliArgs(argv: string[]): CliConfig {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      'site-file': { type: 'string' },
      site: { type: 'string' },
      url: { type: 'string', default: 'mqtt://127.0.0.1:1883' },
      key: { type: 'string' },
      username: { type: 'string', default: 'simulator' },
      speed: { type: 'string' },
      mode: { type: 'string', default: 'live' },
      seed: { type: 'string' },
      members: { type: 'string' },
      date: { type: 'string' },
      days: { type: 'string' },
      start: { type: 'string' },
      'no-show': { type: 'string' },
      truth: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
    },
  });
  const siteFile = values['site-file'];
  const siteId = values.site;
  if (!siteFile) throw new Error('--site-file is required');
  if (!siteId || !/^[a-zA-Z0-9_-]{1,64}$/.test(siteId))
    throw new Error('--site is required: letters, digits, _ or -');
  const dryRun = values['dry-run'] ?? false;
  if (!dryRun && !values.key) throw new Error('--key is required (an API key), unless --dry-run');
  if (values.mode !== 'live' && values.mode !== 'burst')
    throw new Error(`--mode: expected live or burst, got ${values.mode}`);
  if (values.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.date))
    throw new Error('--date: expected YYYY-MM-DD');
  if (values.start !== undefined && !/^([01]\d|2[0-3]):[0-5]\d$/.test(values.start))
    throw new Error('--start: expected HH:MM');
  const speed = numberOption('speed', values.speed, 60, (n) => n > 0);
  return {
    siteFile,
    siteId,
    url: values.url ?? 'mqtt://127.0.0.1:1883',
    key: values.key ?? null,
    username: values.username ?? 'simulator',
    speed: values.mode === 'burst' ? Infinity : speed,
    seed: numberOption('seed', values.seed, 42, (n) => Number.isInteger(n) && n >= 0 && n <= 0xffffffff),
    members: numberOption('members', values.members, 60, (n) => Number.isInteger(n) && n >= 1),
    date: values.date ?? null,
    days: numberOption('days', values.days, 1, (n) => Number.isInteger(n) && n >= 1),
    start: values.start ?? null,
    noShowRate: numberOption('no-show', values['no-show'], 0.15, (n) => n >= 0 && n <= 1),
    truth: values.truth ?? null,
    dryRun,
  };
}
