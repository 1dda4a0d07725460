// The access bench's load generator, in its own process so its CPU never runs on the app's event loop: POSTs
// /v1/access/decide at a fixed rate over keep-alive connections and times every answer.
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { FromLoad, LoadPlan, LoadReport } from './protocol';

const send = (message: FromLoad) => process.send?.(message);

function post(
  agent: Agent,
  url: URL,
  token: string,
  body: string,
): Promise<{ status: number; reason: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: '/v1/access/decide',
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          let reason: string | undefined;
          try {
            reason = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { reason?: string }).reason;
          } catch {
            reason = undefined;
          }
          resolve({ status: res.statusCode ?? 0, reason });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function run(plan: LoadPlan): Promise<LoadReport> {
  const agent = new Agent({ keepAlive: true, maxSockets: plan.connections });
  const url = new URL(plan.url);
  const interval = 1000 / plan.rate;
  const warmup = Math.round(plan.warmupMs / interval);
  const total = warmup + Math.round(plan.durationMs / interval);
  const report: LoadReport = {
    type: 'report',
    latenciesMs: [],
    dueLatenciesMs: [],
    spanMs: 0,
    sent: 0,
    warmupSent: 0,
    errors: 0,
    statuses: {},
    reasons: {},
  };
  const start = performance.now() + 50;
  let lastAnswer = start;
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; i < total; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const measured = i >= warmup;
    const body = JSON.stringify(plan.bodies[i % plan.bodies.length]);
    const sentAt = performance.now();
    const work = post(agent, url, plan.token, body).then(
      ({ status, reason }) => {
        const done = performance.now();
        if (!measured) return;
        report.statuses[status] = (report.statuses[status] ?? 0) + 1;
        if (reason) report.reasons[reason] = (report.reasons[reason] ?? 0) + 1;
        if (status !== 200) report.errors++;
        report.latenciesMs.push(done - sentAt);
        report.dueLatenciesMs.push(done - due);
        lastAnswer = Math.max(lastAnswer, done);
      },
      () => {
        if (measured) report.errors++;
      },
    );
    const tracked = work.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    if (measured) report.sent++;
    else report.warmupSent++;
  }
  await Promise.all(inFlight);
  agent.destroy();
  report.spanMs = lastAnswer - (start + warmup * interval);
  return report;
}

process.on('message', (message: LoadPlan) => {
  if (message.type !== 'run') return;
  run(message).then(
    (report) => send(report),
    (error: Error) => send({ type: 'error', message: error.message }),
  );
});
send({ type: 'ready' });
// The bench disconnects once it has the report; nothing keeps this process after that.
process.on('disconnect', () => process.exit(0));
