import { Timers } from '../live-player';

/** Sleeps on the injected timers, waking early when the run is interrupted. */
export function sleep(timers: Timers, ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const wake = (): void => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    const handle = timers.setTimeout(wake, Math.max(0, ms));
    const onAbort = (): void => {
      timers.clearTimeout(handle);
      wake();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Waits for `promise`, at most `ms`: a dead broker must not hold the end of a run forever. */
export async function within(timers: Timers, promise: Promise<void>, ms: number): Promise<boolean> {
  let handle: unknown = null;
  const timeout = new Promise<boolean>((resolve) => (handle = timers.setTimeout(() => resolve(false), ms)));
  const done = await Promise.race([promise.then(() => true), timeout]);
  timers.clearTimeout(handle);
  return done;
}
