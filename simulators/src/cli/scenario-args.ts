import { parseArgs } from 'node:util';
import { HTTP_MAX_BATCH } from '../transport/outbox';

export type RunMode = 'live' | 'backfill' | 'load';

export interface ScenarioCliConfig {
  scenario: string;
  mode: RunMode;
  url: string;
  transport: 'http' | 'mqtt';
  key: string | null;
  username: string;
  seed: number | null;
  /** YYYY-MM-DD (local to the first site) or an ISO instant. */
  start: string | null;
  days: number | null;
  months: number | null;
  /** live: simulated ms per wall ms. */
  speed: number;
  /** load: target events per second; Infinity for as fast as possible. */
  rate: number;
  /** load: seconds; live: optional limit. */
  durationS: number | null;
  connections: number;
  /** Messages awaiting acknowledgement at once. */
  concurrency: number;
  /** HTTP batch size or MQTT array size. */
  batch: number;
  /** load: partial MQTT arrays go out at least this often. */
  flushMs: number;
  truth: string | null;
  dryRun: boolean;
  /** live: the platform's HTTP base URL whose clock (PUT /v1/clock) is set to the simulated start and speed. */
  clockUrl: string | null;
  /** An admin API key for the clock interface. */
  clockKey: string | null;
}

export const SCENARIO_USAGE = `Usage: npm run sim -- --scenario <file.yaml> [--mode backfill|live|load] [options]
  --url <url>            http(s)://host:port (POST /v1/events) or mqtt://host:port
                         (default http://127.0.0.1:3000 for backfill, mqtt://127.0.0.1:1883 otherwise)
  --key <api key>        Bearer token over HTTP, MQTT password (required over HTTP)
  --username <name>      MQTT username (default simulator)
  --seed <n>             overrides the scenario's seed
  --start <date|instant> first day (YYYY-MM-DD) or, live, the simulated start instant (ISO 8601)
  --days <n> | --months <n>
                         length; backfill defaults to the scenario's days, ending yesterday
  --speed <n>            live: simulated seconds per second (default 1)
  --rate <n|max>         load: target events per second (default 20000)
  --duration <s>         load: seconds (default 60); live: stop after this long
  --connections <n>      MQTT connections (default 4 for load, 1 otherwise)
  --concurrency <n>      unacknowledged batches or messages at once (default 4 over HTTP, 256 over MQTT)
  --batch <n>            events per HTTP batch (max 5000, default 5000) or per MQTT array (default 100)
  --flush-ms <n>         load over MQTT: send partial arrays at least this often (default 1000)
  --truth <file.jsonl>   ground truth (default sim-output/<scenario>-<mode>-seed<seed>-<start>.truth.jsonl)
  --dry-run              print the events as JSON lines instead of sending them
  --clock-url <http url> live: set the platform's clock (PUT /v1/clock, CLOCK_CONTROL=on) to the simulated
                         start and speed just before playing, so accelerated events are judged by their own time
  --clock-key <api key>  admin key for --clock-url`;

function numberOption(name: string, raw: string | undefined, check: (n: number) => boolean): number | null {
  if (raw === undefined) return null;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || !check(value))
    throw new Error(`--${name}: invalid value ${raw}`);
  return value;
}

const whole = (min: number) => (n: number) => Number.isInteger(n) && n >= min;

function transportOf(url: string): 'http' | 'mqtt' {
  const scheme = /^([a-z]+):\/\//.exec(url)?.[1];
  if (scheme === 'http' || scheme === 'https') return 'http';
  if (scheme === 'mqtt' || scheme === 'mqtts' || scheme === 'ws' || scheme === 'wss' || scheme === 'tcp')
    return 'mqtt';
  throw new Error(`--url: expected http(s):// or mqtt(s)://, got ${url}`);
}

/** Throws an Error whose message names the bad option. */
export function parseScenarioArgs(argv: string[]): ScenarioCliConfig {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      scenario: { type: 'string' },
      mode: { type: 'string', default: 'backfill' },
      url: { type: 'string' },
      key: { type: 'string' },
      username: { type: 'string', default: 'simulator' },
      seed: { type: 'string' },
      start: { type: 'string' },
      days: { type: 'string' },
      months: { type: 'string' },
      speed: { type: 'string' },
      rate: { type: 'string' },
      duration: { type: 'string' },
      connections: { type: 'string' },
      concurrency: { type: 'string' },
      batch: { type: 'string' },
      'flush-ms': { type: 'string' },
      truth: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      'clock-url': { type: 'string' },
      'clock-key': { type: 'string' },
    },
  });
  if (!values.scenario) throw new Error('--scenario is required');
  const mode = values.mode;
  if (mode !== 'live' && mode !== 'backfill' && mode !== 'load')
    throw new Error(`--mode: expected backfill, live or load, got ${mode}`);
  const url = values.url ?? (mode === 'backfill' ? 'http://127.0.0.1:3000' : 'mqtt://127.0.0.1:1883');
  const transport = transportOf(url);
  const dryRun = values['dry-run'] ?? false;
  if (transport === 'http' && !dryRun && !values.key)
    throw new Error('--key is required over HTTP (an API key)');
  const start = values.start;
  if (start !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(start) && Number.isNaN(Date.parse(start)))
    throw new Error('--start: expected YYYY-MM-DD or an ISO 8601 instant');
  const days = numberOption('days', values.days, whole(1));
  const months = numberOption('months', values.months, whole(1));
  if (days !== null && months !== null) throw new Error('--days and --months: give one or the other');
  const batch = numberOption('batch', values.batch, whole(1));
  if (transport === 'http' && batch !== null && batch > HTTP_MAX_BATCH)
    throw new Error(`--batch: at most ${HTTP_MAX_BATCH} events per HTTP batch`);
  const rate = values.rate === 'max' ? Infinity : numberOption('rate', values.rate, (n) => n > 0);
  const clockUrl = values['clock-url'] ?? null;
  if (clockUrl !== null && mode !== 'live')
    throw new Error('--clock-url: only live mode plays against the clock');
  if (clockUrl !== null && transportOf(clockUrl) !== 'http')
    throw new Error('--clock-url: expected the platform http(s):// URL');
  if (clockUrl !== null && !values['clock-key'])
    throw new Error('--clock-key is required with --clock-url (an admin API key)');
  return {
    scenario: values.scenario,
    mode,
    url,
    transport,
    key: values.key ?? null,
    username: values.username ?? 'simulator',
    seed: numberOption('seed', values.seed, (n) => whole(0)(n) && n <= 0xffffffff),
    start: start ?? null,
    days,
    months,
    speed: numberOption('speed', values.speed, (n) => n > 0) ?? 1,
    rate: rate ?? 20_000,
    durationS: numberOption('duration', values.duration, (n) => n > 0) ?? (mode === 'load' ? 60 : null),
    connections: numberOption('connections', values.connections, whole(1)) ?? (mode === 'load' ? 4 : 1),
    concurrency:
      numberOption('concurrency', values.concurrency, whole(1)) ?? (transport === 'http' ? 4 : 256),
    batch: batch ?? (transport === 'http' ? HTTP_MAX_BATCH : 100),
    flushMs: numberOption('flush-ms', values['flush-ms'], (n) => n >= 0) ?? 1000,
    truth: values.truth ?? null,
    dryRun,
    clockUrl,
    clockKey: values['clock-key'] ?? null,
  };
}
