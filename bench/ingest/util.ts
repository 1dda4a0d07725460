import { ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Forks a TypeScript entry point of the bench with the same loaders `npm run bench:*` uses. */
export function forkTs(file: string): ChildProcess {
  return fork(file, [], {
    cwd: join(__dirname, '..', '..'),
    execArgv: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'],
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** Resolves with the first message that satisfies `match`, or rejects after `timeoutMs` or if the child exits. */
export function nextMessage<M>(child: ChildProcess, match: (m: M) => boolean, timeoutMs: number): Promise<M> {
  return new Promise<M>((resolve, reject) => {
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const onMessage = (message: unknown) => {
      const m = message as M & { type?: string; message?: string };
      if (m.type === 'error' && !match(m)) {
        cleanup();
        reject(new Error(`child failed: ${m.message}`));
      } else if (match(m)) {
        cleanup();
        resolve(m);
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`child exited (code ${code}) before the expected message`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for a child message`));
    }, timeoutMs);
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Ends a child we started: waits for it to exit by itself, then SIGKILLs it by pid. */
export async function reap(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export const round = (value: number, digits = 0) => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

export const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);

/** Samples the process RSS (main thread plus worker threads, so PGlite's WASM heap too) at a fixed interval. */
export class RssSampler {
  peak = 0;
  /** Peak of each phase named with `phase()`, in MB. */
  readonly phases: Record<string, number> = {};
  private phasePeak = 0;
  private phaseName: string | undefined;
  private readonly timer: ReturnType<typeof setInterval>;
  constructor(intervalMs: number) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }
  sample(): number {
    const rss = process.memoryUsage.rss();
    if (rss > this.peak) this.peak = rss;
    if (rss > this.phasePeak) this.phasePeak = rss;
    return rss;
  }
  /** Closes the current phase (recording its peak) and starts the next one. */
  phase(name: string | undefined): void {
    this.sample();
    if (this.phaseName) this.phases[this.phaseName] = mb(this.phasePeak);
    this.phaseName = name;
    this.phasePeak = 0;
  }
  stop(): void {
    clearInterval(this.timer);
    this.phase(undefined);
  }
}

/** Busy CPU time of the whole machine and of some processes, from /proc (Linux); undefined elsewhere. */
export function cpuSnapshot(pids: number[]): { hostMs: number; pidsMs: number } | undefined {
  try {
    const tick = 10; // USER_HZ is 100 on Linux: one jiffy = 10 ms
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal: busy = all but idle and iowait
    const busy = cpu.slice(0, 8).reduce((sum, v, i) => (i === 3 || i === 4 ? sum : sum + v), 0);
    let pidsJiffies = 0;
    for (const pid of pids) {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      pidsJiffies += Number(fields[11]) + Number(fields[12]); // utime, stime
    }
    return { hostMs: busy * tick, pidsMs: pidsJiffies * tick };
  } catch {
    return undefined;
  }
}

/** Cores used, over `ms`, by processes other than `pids` (other work on the machine contending with the bench). */
export function otherCores(
  before: ReturnType<typeof cpuSnapshot>,
  after: ReturnType<typeof cpuSnapshot>,
  ms: number,
): number | undefined {
  if (!before || !after) return undefined;
  return round((after.hostMs - before.hostMs - (after.pidsMs - before.pidsMs)) / ms, 2);
}
