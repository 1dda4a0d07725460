// The rest of the live bench's socket.io clients, in their own process: each connects to `/live` with a manager key,
// joins the site, and counts what it receives, so the bench can check that every client got every change.
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { io, Socket } from 'socket.io-client';
import type { BookingRelease, LiveBatch, OccupancyDelta } from '@cw/events';
import { CrowdPlan, FromCrowd, ToCrowd } from './protocol';

const send = (message: FromCrowd) => process.send?.(message);

const sockets: Socket[] = [];
let connected = 0;
let disconnects = 0;
let deltas = 0;
let stopping = false;
let snapshotBytes = 0;
/** resource id -> [deliveries of its `occupied` delta, first, last (epoch ms)] */
const occupied = new Map<string, [number, number, number]>();
const releases = new Map<string, [number, number]>();

const eld = monitorEventLoopDelay({ resolution: 10 });
eld.enable();
let peakRss = 0;
const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 200);
const cpu0 = process.cpuUsage();
const started = Date.now();

async function connectOne(plan: CrowdPlan, index: number): Promise<void> {
  const socket = io(`${plan.liveUrl}/live`, {
    auth: { token: plan.liveKey },
    transports: ['websocket'],
    reconnection: false,
    timeout: 30_000,
    forceNew: true,
  });
  sockets[index] = socket;
  socket.on('snapshot', (s: unknown) => {
    if (index === 0) snapshotBytes = JSON.stringify(s).length;
  });
  const onOccupancy = (delta: OccupancyDelta) => {
    deltas++;
    if (delta.state !== 'occupied') return;
    const now = Date.now();
    const seen = occupied.get(delta.resourceId);
    if (seen) {
      seen[0]++;
      seen[2] = now;
    } else occupied.set(delta.resourceId, [1, now, now]);
  };
  const onRelease = (release: BookingRelease) => {
    const now = Date.now();
    const seen = releases.get(release.bookingId);
    if (seen) {
      seen[0]++;
      seen[1] = now;
    } else releases.set(release.bookingId, [1, now]);
  };
  socket.on('occupancy', onOccupancy);
  socket.on('release', onRelease);
  socket.on('batch', ({ events }: LiveBatch) => {
    for (const e of events) {
      if (e.event === 'occupancy') onOccupancy(e.data);
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
    .timeout(60_000)
    .emitWithAck('join', { site: plan.siteId, batch: plan.batch })) as {
    ok: boolean;
    error?: string;
  };
  if (!reply.ok) throw new Error(`join refused: ${reply.error}`);
  connected++;
}

async function start(plan: CrowdPlan): Promise<void> {
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < plan.clients) await connectOne(plan, next++);
  };
  await Promise.all(Array.from({ length: Math.min(plan.connectConcurrency, plan.clients) }, worker));
  send({ type: 'ready', connected, joinMs: Math.round(performance.now() - t0), snapshotBytes });
}

function report(): void {
  const cpu = process.cpuUsage(cpu0);
  send({
    type: 'report',
    clients: sockets.length,
    connected,
    disconnects,
    occupied: [...occupied].map(([id, [n, first, last]]) => [id, n, first, last]),
    releases: [...releases].map(([id, [n, last]]) => [id, n, last]),
    deltas,
    eventLoopDelayP99Ms: Math.round(eld.percentile(99) / 1e4) / 100,
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    elapsedMs: Date.now() - started,
    peakRssMb: Math.round(peakRss / 1024 / 1024),
  });
}

function stop(): void {
  stopping = true;
  sockets.forEach((s) => s?.disconnect());
  clearInterval(rssTimer);
  setTimeout(() => process.exit(0), 100);
}

process.on('message', (message: ToCrowd) => {
  switch (message.type) {
    case 'start':
      start(message.plan).catch((error: Error) => send({ type: 'error', message: error.message }));
      break;
    case 'report':
      report();
      break;
    case 'stop':
      stop();
      break;
  }
});
process.on('disconnect', () => {
  stopping = true;
  setTimeout(() => process.exit(0), 1000).unref();
});
