/**
 * Collects items and writes them in one call once `delayMs` has passed since the first of them; each `add` resolves
 * when the write holding its items is done (or rejects with its error). Bookkeeping that nothing waits for urgently
 * (marking releases published) thus costs one statement per interval instead of one per batch, and a burst's marks
 * are written after its decisions instead of between them.
 */
export class DelayedBatch<T> {
  private items: T[] = [];
  private waiters: { resolve: () => void; reject: (error: unknown) => void }[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    private readonly delayMs: number,
  ) {}

  add(items: T[]): Promise<void> {
    if (items.length === 0) return Promise.resolve();
    this.items.push(...items);
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.timer ??= setTimeout(() => void this.flush(), this.delayMs);
    return done;
  }

  /** Writes what is waiting now (shutdown). */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const items = this.items;
    const waiters = this.waiters;
    this.items = [];
    this.waiters = [];
    if (items.length === 0) return;
    try {
      await this.write(items);
      waiters.forEach((w) => w.resolve());
    } catch (error) {
      waiters.forEach((w) => w.reject(error));
    }
  }
}
