// Publisher of the ingest bench, in its own process so its CPU never runs on the app's event loop (both still
// share the machine's cores). Plain mqtt.js clients with an API key, QoS 1: each publish resolves on PUBACK,
// which the embedded broker sends only after the event is stored.
import { connectAsync, MqttClient } from 'mqtt';
import { FloodPlan, FromPublisher, PacedPlan, PublisherPlan, ToPublisher } from './protocol';

const send = (message: FromPublisher) => process.send?.(message);

let stopRequested = false;
let go: () => void = () => undefined;
const started = new Promise<void>((resolve) => (go = resolve));
let peakRss = 0;
const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 200);

const counters = { published: 0, acked: 0, failed: 0, firstError: undefined as string | undefined };
const fail = (error: unknown, events: number) => {
  counters.failed += events;
  counters.firstError ??= (error as Error).message;
};

/** Evenly spread ones: event n is a 1 when the running share of ones would otherwise fall behind `share`. */
const isOne = (n: number, share: number) => Math.floor((n + 1) * share) > Math.floor(n * share);

async function connectAll(plan: PublisherPlan): Promise<MqttClient[]> {
  return Promise.all(
    Array.from({ length: plan.connections }, (_, i) =>
      connectAsync(plan.url, {
        username: `bench-${i}`,
        password: plan.key,
        clientId: `bench-${process.pid}-${i}`,
        reconnectPeriod: 500,
        connectTimeout: 5000,
        keepalive: 60,
      }),
    ),
  );
}

async function flood(plan: FloodPlan, clients: MqttClient[]): Promise<void> {
  const t0 = Date.now();
  const budgetLeft = () =>
    counters.published < plan.maxEvents && Date.now() - t0 < plan.maxMs && !stopRequested;
  let message = 0;
  const slot = async (client: MqttClient, conn: number) => {
    while (budgetLeft()) {
      const m = message++;
      const sensor = plan.sensors[m % plan.sensors.length];
      const ts = new Date().toISOString();
      const events = Array.from({ length: plan.perMessage }, (_, k) => ({
        id: `${plan.idPrefix}-${conn}-${m}-${k}`,
        ts,
        kind: 'presence',
        value: isOne(m * plan.perMessage + k, plan.presenceOnes) ? 1 : 0,
      }));
      counters.published += events.length;
      try {
        await client.publishAsync(`cw/${plan.siteId}/sensor/${sensor}`, JSON.stringify(events), { qos: 1 });
        counters.acked += events.length;
      } catch (error) {
        fail(error, events.length);
      }
    }
  };
  const progress = setInterval(
    () => send({ type: 'progress', published: counters.published, acked: counters.acked }),
    500,
  );
  try {
    await Promise.all(
      clients.flatMap((client, conn) => Array.from({ length: plan.inflight }, () => slot(client, conn))),
    );
  } finally {
    clearInterval(progress);
  }
}

async function paced(plan: PacedPlan, clients: MqttClient[]): Promise<void> {
  const t0 = Date.now();
  const total = Math.round((plan.rate * plan.durationMs) / 1000);
  let seq = 0;
  let outstanding = 0;
  let settle: () => void = () => undefined;
  const allAcked = new Promise<void>((resolve) => (settle = resolve));
  const publishOne = () => {
    const n = seq++;
    const client = clients[n % clients.length];
    const sensor = plan.sensors[n % plan.sensors.length];
    const id = `${plan.idPrefix}-${String(n).padStart(7, '0')}`;
    const t = Date.now();
    const body = JSON.stringify({
      id,
      ts: new Date(t).toISOString(),
      kind: 'presence',
      value: isOne(n, plan.presenceOnes) ? 1 : 0,
    });
    counters.published++;
    outstanding++;
    client.publish(`cw/${plan.siteId}/sensor/${sensor}`, body, { qos: 1 }, (error) => {
      if (error) fail(error, 1);
      else counters.acked++;
      if (--outstanding === 0 && seq >= total) settle();
    });
    return [id, t] as [string, number];
  };
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsed = Date.now() - t0;
      const due = Math.min(total, Math.floor((elapsed * plan.rate) / 1000)) - seq;
      const items: [string, number][] = [];
      for (let i = 0; i < due; i++) items.push(publishOne());
      if (items.length) send({ type: 'sent', items });
      if (seq >= total || stopRequested) {
        clearInterval(timer);
        resolve();
      }
    }, 2);
  });
  if (outstanding > 0) await Promise.race([allAcked, new Promise((resolve) => setTimeout(resolve, 10_000))]);
}

async function run(plan: PublisherPlan): Promise<void> {
  const clients = await connectAll(plan);
  send({ type: 'connected' });
  await started;
  const cpu0 = process.cpuUsage();
  const t0 = Date.now();
  // Every loop above is bounded in events and time; this only guards a broker that stops answering.
  const guard = new Promise<void>((resolve) =>
    setTimeout(resolve, (plan.mode === 'flood' ? plan.maxMs : plan.durationMs) + 20_000),
  );
  await Promise.race([plan.mode === 'flood' ? flood(plan, clients) : paced(plan, clients), guard]);
  const cpu = process.cpuUsage(cpu0);
  send({
    type: 'done',
    published: counters.published,
    acked: counters.acked,
    failed: counters.failed,
    firstError: counters.firstError,
    elapsedMs: Date.now() - t0,
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    peakRssMb: Math.round(peakRss / 1024 / 1024),
  });
  await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
}

process.on('message', (message: ToPublisher) => {
  if (message.type === 'start') {
    run(message.plan).then(
      () => finish(0),
      (error: Error) => {
        send({ type: 'error', message: error.message });
        finish(1);
      },
    );
  } else if (message.type === 'go') go();
  else if (message.type === 'stop') stopRequested = true;
});
process.on('disconnect', () => {
  stopRequested = true;
  go();
  setTimeout(() => process.exit(0), 2000).unref();
});

function finish(code: number): void {
  clearInterval(rssTimer);
  // Let the last IPC message flush, then leave.
  setTimeout(() => process.exit(code), 100);
}
