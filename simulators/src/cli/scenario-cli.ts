import { once } from 'node:events';
import { join } from 'node:path';
import { serializeScenarioEvent } from '../engine/scenario-event';
import { ScenarioStream } from '../engine/scenario-stream';
import { JsonlTruthFile } from '../engine/truth-sinks';
import { runBackfill } from '../modes/backfill';
import { Dispatcher } from '../modes/dispatcher';
import { runLive } from '../modes/live';
import { runLoad } from '../modes/load';
import { Progress, RunReport } from '../modes/report';
import { loadScenario, Scenario } from '../scenario/scenario-loader';
import { HttpPublisher } from '../transport/http-transport';
import { connectMqttPublisher } from '../transport/mqtt-transport';
import { HttpOutbox, MqttOutbox, Outbox } from '../transport/outbox';
import { Publisher } from '../transport/publisher';
import { planRun, RunPlan } from './run-plan';
import { ScenarioCliConfig } from './scenario-args';
import { formatProgressLine, formatRunSummary } from './summary';

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  now: () => Date;
}

const defaultIo: CliIo = { stdout: process.stdout, stderr: process.stderr, now: () => new Date() };

export function defaultTruthPath(
  scenario: Scenario,
  config: ScenarioCliConfig,
  seed: number,
  plan: RunPlan,
): string {
  return join('sim-output', `${scenario.name}-${config.mode}-seed${seed}-${plan.start}.truth.jsonl`);
}

/** Progress on stdout only when it is a terminal: a `\r` line in a log file or a pipe is noise. */
function progressPrinter(io: CliIo, mode: string): (p: Progress) => void {
  if (!io.stdout.isTTY) return () => undefined;
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (now - last < 200) return;
    last = now;
    io.stdout.write(`\r${formatProgressLine(mode, p)}\u001b[K`);
  };
}

/** Tells the platform the simulated time (its clock interface, outside production only) just before playing. */
export async function setPlatformClock(
  clockUrl: string,
  key: string,
  now: Date,
  speed: number,
): Promise<void> {
  const response = await fetch(new URL('/v1/clock', clockUrl), {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ now: now.toISOString(), speed }),
  });
  if (!response.ok)
    throw new Error(`setting the platform clock failed: HTTP ${response.status} ${await response.text()}`);
}

async function dryRun(stream: ScenarioStream, io: CliIo): Promise<void> {
  for (let events = stream.take(2000); events.length > 0; events = stream.take(2000)) {
    if (!io.stdout.write(events.map((e) => serializeScenarioEvent(e) + '\n').join('')))
      await once(io.stdout, 'drain');
  }
}

async function connect(
  config: ScenarioCliConfig,
  io: CliIo,
): Promise<{ publisher: Publisher; outbox: Outbox }> {
  if (config.transport === 'http') {
    const publisher = new HttpPublisher({
      url: config.url,
      key: config.key ?? '',
      onRetry: (attempt, reason) =>
        io.stderr.write(`\nretrying a batch (attempt ${attempt + 1}): ${reason}\n`),
    });
    return { publisher, outbox: new HttpOutbox(config.batch) };
  }
  const publisher = await connectMqttPublisher({
    url: config.url,
    username: config.username,
    password: config.key ?? undefined,
    connections: config.connections,
    onError: (error) => io.stderr.write(`\nmqtt: ${error.message}\n`),
  });
  return { publisher, outbox: new MqttOutbox(config.batch) };
}

function runMode(
  config: ScenarioCliConfig,
  plan: RunPlan,
  parts: { stream: ScenarioStream; outbox: Outbox; dispatcher: Dispatcher },
  signal: AbortSignal,
  onProgress: (p: Progress) => void,
): Promise<RunReport> {
  const common = {
    source: parts.stream,
    outbox: parts.outbox,
    dispatcher: parts.dispatcher,
    signal,
    onProgress,
  };
  const durationMs = config.durationS === null ? undefined : config.durationS * 1000;
  switch (config.mode) {
    case 'backfill':
      // per-device arrays are cut every simulated minute, so no device trails the others by more than that
      return runBackfill({ ...common, flushEverySimMs: config.transport === 'mqtt' ? 60_000 : undefined });
    case 'load':
      return runLoad({
        ...common,
        rate: config.rate,
        durationMs: durationMs ?? 60_000,
        flushMs: config.flushMs,
      });
    case 'live':
      return runLive({ ...common, speed: config.speed, simStart: plan.simStart, durationMs });
  }
}

/** Runs a scenario from the command line; resolves to the exit code. */
export async function runScenarioCli(config: ScenarioCliConfig, io: CliIo = defaultIo): Promise<number> {
  const scenario = loadScenario(config.scenario);
  const seed = config.seed ?? scenario.seed;
  const plan = planRun(config, scenario, io.now());
  if (config.dryRun && !Number.isFinite(plan.days))
    throw new Error('--dry-run needs a length: --days or --months');
  const truthPath = config.truth ?? defaultTruthPath(scenario, config, seed, plan);
  const truth = new JsonlTruthFile(truthPath);
  const stream = new ScenarioStream(scenario, { start: plan.start, days: plan.days, seed, truth });
  if (config.dryRun) {
    await dryRun(stream, io);
    await truth.close();
    io.stderr.write(`${stream.generated} events; truth: ${truthPath} (${truth.records} records)\n`);
    return 0;
  }
  if (config.mode === 'live' && config.speed !== 1 && config.clockUrl === null)
    io.stderr.write(
      `simulated clock: ${new Date(plan.simStart).toISOString()} now, x${config.speed}; the platform must be told the ` +
        `simulated time, or it clamps timestamps more than 5 minutes ahead of its own clock\n`,
    );
  const { publisher, outbox } = await connect(config, io);
  const dispatcher = new Dispatcher(publisher, { maxInFlight: config.concurrency });
  const abort = new AbortController();
  const onSigint = (): void => abort.abort();
  process.once('SIGINT', onSigint);
  let report: RunReport;
  try {
    // Last step before playing: at high speed every real millisecond between the two starts is simulated drift.
    if (config.clockUrl !== null && config.clockKey !== null)
      await setPlatformClock(config.clockUrl, config.clockKey, new Date(plan.simStart), config.speed);
    report = await runMode(
      config,
      plan,
      { stream, outbox, dispatcher },
      abort.signal,
      progressPrinter(io, config.mode),
    );
  } finally {
    process.off('SIGINT', onSigint);
    await publisher.close(abort.signal.aborted);
    await truth.close();
  }
  if (io.stdout.isTTY) io.stdout.write('\n');
  io.stdout.write(
    formatRunSummary({
      scenario: scenario.name,
      seed,
      url: config.url,
      start: plan.start,
      days: plan.days,
      report,
      truthPath,
      truthRecords: truth.records,
      http: config.transport === 'http',
    }) + '\n',
  );
  return report.interrupted ? 130 : report.failed > 0 ? 1 : 0;
}
