import { CliConfig, parseCliArgs, USAGE } from './cli-args';
import { runScenarioCli } from './cli/scenario-cli';
import { parseScenarioArgs, ScenarioCliConfig, SCENARIO_USAGE } from './cli/scenario-args';
import { generateDays } from './demo-day.generator';
import { connectMqttSink, publishEvents } from './mqtt-publisher';
import { countByKind, formatProgress, formatSummary } from './run-summary';
import { serializeEvent } from './sim-event';
import { loadSiteFile } from './site-file';
import { mergeTruth, writeTruth } from './truth';
import { localDate, zonedInstant } from './zoned-time';

function progressPrinter(total: number): (published: number) => void {
  const tty = process.stderr.isTTY;
  let lastAt = 0;
  let lastDecile = -1;
  return (published) => {
    const now = Date.now();
    if (tty) {
      if (now - lastAt < 200 && published < total) return;
      lastAt = now;
      process.stderr.write(`\r${formatProgress(published, total)}`);
      return;
    }
    const decile = Math.floor((10 * published) / Math.max(1, total));
    if (decile === lastDecile) return;
    lastDecile = decile;
    process.stderr.write(`${formatProgress(published, total)}\n`);
  };
}

async function run(config: CliConfig): Promise<number> {
  const site = loadSiteFile(config.siteFile);
  const date = config.date ?? localDate(new Date(), site.timeZone);
  const days = generateDays({
    site,
    siteId: config.siteId,
    seed: config.seed,
    date,
    days: config.days,
    members: config.members,
    noShowRate: config.noShowRate,
  });
  const events = days.flatMap((d) => d.events);
  if (config.truth) await writeTruth(config.truth, mergeTruth(days.map((d) => d.truth)));
  const counts = countByKind(events);

  if (config.dryRun) {
    for (const day of days) process.stdout.write(day.events.map((e) => serializeEvent(e) + '\n').join(''));
    process.stderr.write(
      `${formatSummary(counts, { total: events.length, published: 0, failed: 0, elapsedMs: 0 })}\n`,
    );
    return 0;
  }

  const sink = await connectMqttSink({
    url: config.url,
    username: config.username,
    password: config.key ?? '',
    onError: (error) => process.stderr.write(`\nmqtt: ${error.message}\n`),
  });
  const startedAt = Date.now();
  const progress = progressPrinter(events.length);
  const { done, player } = publishEvents(sink, events, {
    speed: config.speed,
    simStart: config.start ? new Date(zonedInstant(date, minutesOf(config.start), site.timeZone)) : undefined,
    onPublished: () => progress(player.published),
    onError: (error, event) => {
      if (player.failed <= 5)
        process.stderr.write(`\npublishing ${event.payload.id} failed: ${error.message}\n`);
    },
  });
  let interrupted = false;
  let onSigint = (): void => undefined;
  const interruption = new Promise<void>((resolve) => {
    onSigint = () => {
      interrupted = true;
      resolve();
    };
  });
  process.once('SIGINT', onSigint);
  await Promise.race([done, interruption]);
  process.off('SIGINT', onSigint);
  await player.stop();
  await sink.close(interrupted);
  if (process.stderr.isTTY) process.stderr.write('\n');
  const stats = {
    total: events.length,
    published: player.published,
    failed: player.failed,
    elapsedMs: Date.now() - startedAt,
  };
  process.stdout.write(`${formatSummary(counts, stats)}${interrupted ? '\ninterrupted' : ''}\n`);
  return interrupted ? 130 : player.failed > 0 ? 1 : 0;
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

const failed = (error: unknown): void => {
  process.stderr.write(`sim: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
};

/** `--scenario` selects the scenario runner (backfill, live, load); without it, the single-site demo publisher. */
function mainScenario(argv: string[]): void {
  let config: ScenarioCliConfig;
  try {
    config = parseScenarioArgs(argv);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${SCENARIO_USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  runScenarioCli(config).then((code) => {
    process.exitCode = code;
  }, failed);
}

function main(): void {
  // `--dry-run | head` closes the pipe early; that is the reader's choice, not a failure
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(0);
  });
  const argv = process.argv.slice(2);
  if (argv.some((arg) => arg === '--scenario' || arg.startsWith('--scenario='))) {
    mainScenario(argv);
    return;
  }
  let config: CliConfig;
  try {
    config = parseCliArgs(argv);
  } catch (error) {
    process.stderr.write(
      `${error instanceof Error ? error.message : String(error)}\n${USAGE}\n\n${SCENARIO_USAGE}\n`,
    );
    process.exitCode = 2;
    return;
  }
  run(config).then((code) => {
    process.exitCode = code;
  }, failed);
}

main();
