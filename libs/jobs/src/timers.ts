/** The clock and timers the in-process queue runs on; injected so unit tests drive time by hand. */
export interface JobTimers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * The real clock. Globals are looked up on each call (not captured at import), so jest's fake timers also work.
 * The timer is unref'd: a pending delayed job alone must not keep a process (or a test run) alive.
 */
export const systemTimers: JobTimers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    (handle as { unref?: () => void }).unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
