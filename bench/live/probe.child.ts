// The live bench's probe, in its own process so neither its publishing nor its clients run on the app's event loop
// (both still share the machine's cores). It publishes every MQTT reading of the bench (paced background traffic,
// and the measured state changes) and hosts the designated socket.io observers, so a change's publish time and its
// receive time come from the same clock (performance.now()) in the same process.
import { connectAsync, MqttClient } from 'mqtt';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { io, Socket } from 'socket.io-client';
import type { BookingRelease, LiveBatch, OccupancyDelta } from '@cw/events';
import { ChangeRun, ChangeSample, FromProbe, ProbePlan, ToProbe } from './protocol';

const send = (message: FromProbe) => process.send?.(message);
const log = (message: string) => send({ type: 'log', message });

let plan: ProbePlan;
let mqtt: MqttClient[] = [];
let observers: Socket[] = [];
let seq = 0;
let stopping = false;
const counters = { published: 0, acked: 0, failed: 0, firstError: undefined as string | undefined };
const background = {
  on: false,
  published: 0,
  since: 0,
  ms: 0,
  timer: undefined as NodeJS.Timeout | undefined,
};
const releases = new Map<string, number>();
let deltasPerObserver: number[] = [];
/** `previous->state` -> deltas of that transition seen by the first observer. */
const transitions = new Map<string, number>();
let disconnects = 0;
/** resource id -> the measured change waiting for its deltas. */
const waiting = new Map<
  string,
  { publishedAt: number; t0: number; latency: (number | null)[]; acked: boolean }
>();
/** One callback per change run in progress (runs may overlap: each has its own resources). */
const onSeen = new Set<() => void>();

const eld = monitorEventLoopDelay({ resolution: 10 });
eld.enable();
let peakRss = 0;
const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 200);
const cpu0 = process.cpuUsage();
const started = Date.now();

function publish(sensor: string, kind: string, value: number, done?: (ok: boolean) => void): void {
  const n = seq++;
  const client = mqtt[n % mqtt.length];
  const body = JSON.stringify({ id: `${plan.idPrefix}-${n}`, ts: new Date().toISOString(), kind, value });
  counters.published++;
  client.publish(`cw/${plan.siteId}/sensor/${sensor}`, body, { qos: 1 }, (error) => {
    if (error) {
      counters.failed++;
      counters.firstError ??= error.message;
    } else counters.acked++;
    done?.(!error);
  });
}

async function connectObserver(index: number): Promise<{ resources: number; ms: number }> {
  const t0 = performance.now();
  const socket = io(`${plan.liveUrl}/live`, {
    auth: { token: plan.liveKey },
    transports: ['websocket'],
    reconnection: false,
    timeout: 20_000,
  });
  observers[index] = socket;
  let resources = 0;
  socket.on('snapshot', (s: { resources: unknown[] }) => (resources = s.resources.length));
  const onOccupancy = (delta: OccupancyDelta, t: number) => {
    deltasPerObserver[index]++;
    if (index === 0) {
      const key = `${delta.previous}->${delta.state}`;
      transitions.set(key, (transitions.get(key) ?? 0) + 1);
    }
    if (delta.state !== 'occupied') return;
    const w = waiting.get(delta.resourceId);
    if (!w || w.latency[index] !== null) return;
    w.latency[index] = t - w.t0;
    onSeen.forEach((f) => f());
  };
  const onRelease = (release: BookingRelease) => {
    if (!releases.has(release.bookingId)) releases.set(release.bookingId, Date.now());
  };
  socket.on('occupancy', (delta: OccupancyDelta) => onOccupancy(delta, performance.now()));
  socket.on('release', onRelease);
  socket.on('batch', ({ events }: LiveBatch) => {
    // One receive time for the whole batch: every change in it reached the client at that moment.
    const t = performance.now();
    for (const e of events) {
      if (e.event === 'occupancy') onOccupancy(e.data, t);
      else if (e.event === 'release') onRelease(e.data);
    }
  });
  socket.on('disconnect', () => {
    if (!stopping) disconnects++;
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });
  const reply = (await socket
    .timeout(30_000)
    .emitWithAck('join', { site: plan.siteId, batch: plan.batch })) as {
    ok: boolean;
    error?: string;
  };
  if (!reply.ok) throw new Error(`join refused: ${reply.error}`);
  // The snapshot is emitted before the ack.
  return { resources, ms: performance.now() - t0 };
}

async function start(p: ProbePlan): Promise<void> {
  plan = p;
  mqtt = await Promise.all(
    Array.from({ length: p.connections }, (_, i) =>
      connectAsync(p.mqttUrl, {
        username: `live-probe-${i}`,
        password: p.mqttKey,
        clientId: `live-probe-${process.pid}-${i}`,
        reconnectPeriod: 500,
        connectTimeout: 10_000,
        keepalive: 60,
      }),
    ),
  );
  deltasPerObserver = Array.from({ length: p.observers }, () => 0);
  observers = new Array<Socket>(p.observers);
  const joined = [];
  for (let i = 0; i < p.observers; i++) joined.push(await connectObserver(i));
  send({
    type: 'ready',
    snapshotResources: joined[0]?.resources ?? 0,
    joinMs: Math.round(Math.max(...joined.map((j) => j.ms))),
  });
}

/** Paced background traffic: every 5 ms, publish what is due of each kind, sensors in turn. */
function backgroundOn(on: boolean): void {
  if (on === background.on) return;
  background.on = on;
  if (!on) {
    if (background.timer) clearInterval(background.timer);
    background.ms += Date.now() - background.since;
    return;
  }
  const mix = plan.background;
  const t0 = Date.now();
  background.since = t0;
  const sent = { busy: 0, idle: 0, env: 0 };
  const envKinds: [string, () => number][] = [
    ['co2', () => 420 + Math.round(Math.random() * 600)],
    ['temperature', () => Math.round((20 + Math.random() * 5) * 10) / 10],
    ['humidity', () => Math.round(35 + Math.random() * 20)],
    ['noise', () => Math.round(30 + Math.random() * 30)],
    ['light', () => Math.round(200 + Math.random() * 300)],
    ['battery', () => Math.round(60 + Math.random() * 40)],
  ];
  background.timer = setInterval(() => {
    const s = (Date.now() - t0) / 1000;
    const due = (rate: number, done: number) => Math.floor(s * rate) - done;
    for (let n = due(mix.busyOnesPerS, sent.busy); n > 0; n--, sent.busy++)
      publish(mix.busySensors[sent.busy % mix.busySensors.length], 'presence', 1);
    for (let n = due(mix.idleZerosPerS, sent.idle); n > 0; n--, sent.idle++)
      publish(mix.idleSensors[sent.idle % mix.idleSensors.length], 'presence', 0);
    for (let n = due(mix.envPerS, sent.env); n > 0; n--, sent.env++) {
      const [kind, value] = envKinds[sent.env % envKinds.length];
      publish(mix.envSensors[Math.floor(sent.env / envKinds.length) % mix.envSensors.length], kind, value());
    }
    background.published = sent.busy + sent.idle + sent.env;
  }, 5);
}

async function occupy(sensors: string[]): Promise<void> {
  let acked = 0;
  await new Promise<void>((resolve) => {
    for (const sensor of sensors)
      publish(sensor, 'presence', 1, () => {
        if (++acked === sensors.length) resolve();
      });
  });
  send({ type: 'occupied', count: sensors.length });
}

async function changes(run: ChangeRun): Promise<void> {
  const samples: ChangeSample[] = [];
  const t0 = Date.now();
  const intervalMs = 1000 / run.ratePerS;
  let i = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      if (stopping) return resolve();
      const due = Math.min(run.sensors.length, Math.floor((Date.now() - t0) / intervalMs) + 1);
      for (; i < due; i++) {
        const resourceId = run.resources[i];
        const entry = {
          publishedAt: Date.now(),
          t0: performance.now(),
          latency: observers.map((): number | null => null),
          acked: false,
        };
        waiting.set(resourceId, entry);
        publish(run.sensors[i], 'presence', 1, (ok) => (entry.acked = ok));
      }
      if (i >= run.sensors.length) resolve();
      else setTimeout(tick, Math.max(1, Math.min(intervalMs, t0 + i * intervalMs - Date.now())));
    };
    tick();
  });
  const publishMs = Date.now() - t0;
  const unseen = (id: string) => waiting.get(id)?.latency.some((l) => l === null) ?? false;
  let left = run.resources.filter(unseen);
  await new Promise<void>((resolve) => {
    const timer = setTimeout(finish, run.settleMs);
    const check = () => {
      left = left.filter(unseen);
      if (left.length === 0) finish();
    };
    function finish() {
      clearTimeout(timer);
      onSeen.delete(check);
      resolve();
    }
    onSeen.add(check);
    check();
  });
  for (const resourceId of run.resources) {
    const w = waiting.get(resourceId);
    if (!w) continue;
    samples.push({
      resourceId,
      publishedAt: w.publishedAt,
      publishedEpochMs: performance.timeOrigin + w.t0,
      latencyMs: w.latency,
      acked: w.acked,
    });
    waiting.delete(resourceId);
  }
  send({ type: 'changes-done', tag: run.tag, samples, publishMs });
}

function report(): void {
  const cpu = process.cpuUsage(cpu0);
  send({
    type: 'report',
    published: counters.published,
    acked: counters.acked,
    failed: counters.failed,
    firstError: counters.firstError,
    backgroundPublished: background.published,
    backgroundMs: background.ms + (background.on ? Date.now() - background.since : 0),
    releases: [...releases],
    deltasPerObserver,
    transitions: Object.fromEntries(transitions),
    disconnects,
    eventLoopDelayP99Ms: Math.round(eld.percentile(99) / 1e4) / 100,
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    elapsedMs: Date.now() - started,
    peakRssMb: Math.round(peakRss / 1024 / 1024),
  });
}

async function stop(): Promise<void> {
  stopping = true;
  backgroundOn(false);
  observers.forEach((s) => s?.disconnect());
  await Promise.all(mqtt.map((c) => c.endAsync(true).catch(() => undefined)));
  clearInterval(rssTimer);
  setTimeout(() => process.exit(0), 100);
}

const fail = (error: Error) => send({ type: 'error', message: error.message });

process.on('message', (message: ToProbe) => {
  switch (message.type) {
    case 'start':
      start(message.plan).catch(fail);
      break;
    case 'occupy':
      occupy(message.sensors).catch(fail);
      break;
    case 'background':
      backgroundOn(message.on);
      break;
    case 'changes':
      changes(message.run).catch(fail);
      break;
    case 'report':
      report();
      break;
    case 'stop':
      void stop();
      break;
  }
});
process.on('disconnect', () => {
  stopping = true;
  setTimeout(() => process.exit(0), 1000).unref();
});
log(`probe ${process.pid} up`);
