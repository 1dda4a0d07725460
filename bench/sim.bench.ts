// `npm run bench:sim`: how fast the simulator's load mode generates and publishes, written to bench/results/sim.json.
//   generate_eps  - load mode at an unbounded rate into a null sink: scenario generation + MQTT array serialization
//   load_eps      - load mode at an unbounded rate into the machine's Mosquitto (QoS 1, array payloads): achieved
//                   publish rate, acknowledged by the broker
//   paced         - load mode at the 20 000 events/s target into Mosquitto: achieved rate and ack latency
// The broker only acknowledges; nothing subscribes, so the figures are the simulator's, not a platform's.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  connectMqttPublisher,
  Dispatcher,
  HttpOutbox,
  LARGE_LOAD_SCENARIO_FILE,
  loadScenario,
  MqttOutbox,
  NullPublisher,
  Outbox,
  Publisher,
  RunReport,
  runLoad,
  ScenarioStream,
} from '@cw/simulators';

const env = (name: string, fallback: number): number =>
  process.env[name] ? Number(process.env[name]) : fallback;
const round = (value: number, digits = 0): number => Math.round(value * 10 ** digits) / 10 ** digits;
const log = (message: string): void => console.log(`[bench:sim] ${message}`);

const config = {
  scenario: 'simulators/scenarios/large-load.yaml',
  start: '2025-06-02',
  window_ms: env('BENCH_SIM_WINDOW_MS', 10_000),
  warmup_ms: 2000,
  mqtt: {
    url: process.env.BENCH_MQTT_URL ?? 'mqtt://127.0.0.1:1883',
    connections: env('BENCH_SIM_CONNECTIONS', 4),
    qos: 1,
    array_size: env('BENCH_SIM_ARRAY', 100),
    flush_ms: 1000,
    max_in_flight: 256,
  },
  http_batch: 5000,
  paced_rate_eps: 20_000,
  target_eps: 20_000,
};

const scenario = loadScenario(LARGE_LOAD_SCENARIO_FILE);
const stream = (): ScenarioStream => new ScenarioStream(scenario, { start: config.start, days: Infinity });

async function loadRun(
  publisher: Publisher,
  outbox: Outbox,
  rate: number,
  durationMs: number,
): Promise<RunReport> {
  const dispatcher = new Dispatcher(publisher, { maxInFlight: config.mqtt.max_in_flight });
  return runLoad({ source: stream(), outbox, dispatcher, rate, durationMs, flushMs: config.mqtt.flush_ms });
}

/** Generation alone, no serialization: the ceiling the other figures sit under. */
function generateOnly(durationMs: number): number {
  const s = stream();
  const started = performance.now();
  let events = 0;
  while (performance.now() - started < durationMs) events += s.take(5000).length;
  return (events * 1000) / (performance.now() - started);
}

async function nullSink(
  outbox: Outbox,
  durationMs: number,
): Promise<{ eps: number; bytes_per_event: number; messages: number }> {
  const publisher = new NullPublisher();
  const report = await loadRun(publisher, outbox, Infinity, durationMs);
  return {
    eps: report.rate,
    bytes_per_event: round(publisher.bytes / report.events, 1),
    messages: publisher.messages,
  };
}

async function mosquitto(rate: number): Promise<RunReport> {
  const publisher = await connectMqttPublisher({
    url: config.mqtt.url,
    connections: config.mqtt.connections,
    clientIdPrefix: `bench-sim-${process.pid}`,
    onError: (error) => log(`mqtt: ${error.message}`),
  });
  try {
    return await loadRun(publisher, new MqttOutbox(config.mqtt.array_size), rate, config.window_ms);
  } finally {
    await publisher.close();
  }
}

async function main(): Promise<void> {
  const machine = {
    cpus: cpus().length,
    memory_gb: round(totalmem() / 1024 ** 3, 1),
    node: process.version,
    cpu_model: cpus()[0]?.model ?? 'unknown',
  };
  const loadAtStart = loadavg().map((v) => round(v, 2));
  if (loadAtStart[0] > machine.cpus * 0.5)
    log(
      `warning: load average ${loadAtStart[0]} at start: other work on this machine will lower the figures`,
    );

  log('warm-up ...');
  await nullSink(new MqttOutbox(config.mqtt.array_size), config.warmup_ms);
  log('generation only ...');
  const generateOnlyEps = generateOnly(config.window_ms);
  log('null sink, MQTT arrays ...');
  const nullMqtt = await nullSink(new MqttOutbox(config.mqtt.array_size), config.window_ms);
  log('null sink, HTTP batches ...');
  const nullHttp = await nullSink(new HttpOutbox(config.http_batch), config.window_ms);

  let unbounded: RunReport | null = null;
  let paced: RunReport | null = null;
  let brokerError: string | null = null;
  try {
    log(`Mosquitto ${config.mqtt.url}, unbounded rate ...`);
    unbounded = await mosquitto(Infinity);
    log(`Mosquitto, paced at ${config.paced_rate_eps} events/s ...`);
    paced = await mosquitto(config.paced_rate_eps);
  } catch (error) {
    brokerError = error instanceof Error ? error.message : String(error);
    log(`broker unavailable: ${brokerError}`);
  }

  const metrics = {
    load_eps: unbounded?.rate ?? null,
    generate_eps: nullMqtt.eps,
    generate_http_eps: nullHttp.eps,
    generate_only_eps: round(generateOnlyEps),
    bytes_per_event_mqtt: nullMqtt.bytes_per_event,
    events_per_mqtt_message: unbounded ? round(unbounded.acked / Math.max(1, unbounded.messages), 1) : null,
    load_ack_p50_ms: unbounded?.ackP50Ms ?? null,
    load_ack_p99_ms: unbounded?.ackP99Ms ?? null,
    load_errors: unbounded ? unbounded.failed : null,
    paced_target_eps: config.paced_rate_eps,
    paced_achieved_eps: paced?.rate ?? null,
    paced_ack_p50_ms: paced?.ackP50Ms ?? null,
    paced_ack_p99_ms: paced?.ackP99Ms ?? null,
    paced_errors: paced ? paced.failed : null,
    peak_rss_mb: round(process.resourceUsage().maxRSS / 1024),
  };
  const result = {
    name: 'sim',
    at: new Date().toISOString(),
    machine,
    config: {
      ...config,
      host_load_avg_at_start: loadAtStart,
      host_load_avg_at_end: loadavg().map((v) => round(v, 2)),
      scenario_size: {
        sites: scenario.sites.length,
        devices: scenario.sites.reduce((n, s) => n + s.document.devices.length, 0),
        members: scenario.sites.reduce((n, s) => n + (s.population.members ?? 0), 0),
      },
      note: 'one process, generation on the same thread as publishing; rates are acknowledged events per second of the run (drain included); generate_* use a null sink that only serializes',
      broker_error: brokerError,
    },
    metrics,
    targets: {
      load_generation_eps: {
        target: `>= ${config.target_eps}`,
        value: nullMqtt.eps,
        met: nullMqtt.eps >= config.target_eps,
      },
      load_publish_eps: {
        target: `>= ${config.target_eps}`,
        value: unbounded?.rate ?? null,
        met: unbounded ? unbounded.rate >= config.target_eps : null,
      },
    },
  };
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'sim.json'), JSON.stringify(result, null, 2) + '\n');
  log(JSON.stringify(metrics));
  log(`written to ${join(dir, 'sim.json')}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
