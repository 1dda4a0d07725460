interface Entry<J, R> {
  job: J;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

export interface GroupedBatcherOptions {
  /** Most jobs handed to one run. */
  maxBatch: number;
  /** Most runs at once; the rest wait their turn in memory. */
  concurrency: number;
  /**
   * How long the first job of a quiet spell waits for others to join it. 0: those submitted in the same turn of the
   * event loop. Timers due at one instant do not all fire in one turn (a timer that fires a millisecond early by the
   * wall clock is re-armed), and the stragglers made a burst's last, separate batch wait for a slot.
   */
  gatherMs?: number;
}

/**
 * Collects jobs submitted in the same turn of the event loop into one run per group (a site), with a cap on the runs
 * in flight. A burst of 1,000 grace ends at one instant becomes a few set-based transactions instead of 1,000
 * transactions queued at the database at once.
 */
export class GroupedBatcher<J, R> {
  private readonly waiting = new Map<string, Entry<J, R>[]>();
  private running = 0;
  private scheduled = false;

  constructor(
    private readonly run: (group: string, jobs: J[]) => Promise<R[]>,
    private readonly options: GroupedBatcherOptions,
  ) {}

  get pending(): number {
    let n = 0;
    for (const list of this.waiting.values()) n += list.length;
    return n;
  }

  submit(group: string, job: J): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const list = this.waiting.get(group) ?? [];
      list.push({ job, resolve, reject });
      this.waiting.set(group, list);
      if (!this.scheduled) {
        this.scheduled = true;
        const go = () => {
          this.scheduled = false;
          this.pump();
        };
        if (this.options.gatherMs) setTimeout(go, this.options.gatherMs);
        else setImmediate(go);
      }
    });
  }

  private pump(): void {
    while (this.running < this.options.concurrency && this.waiting.size > 0) {
      const [group, list] = this.waiting.entries().next().value as [string, Entry<J, R>[]];
      const batch = list.splice(0, this.options.maxBatch);
      // What is left of this group goes to the back of the line, so a busy site does not starve the others.
      this.waiting.delete(group);
      if (list.length > 0) this.waiting.set(group, list);
      this.running++;
      void this.execute(group, batch);
    }
  }

  private async execute(group: string, batch: Entry<J, R>[]): Promise<void> {
    try {
      const results = await this.run(
        group,
        batch.map((e) => e.job),
      );
      batch.forEach((entry, i) => entry.resolve(results[i]));
    } catch (error) {
      batch.forEach((entry) => entry.reject(error));
    } finally {
      this.running--;
      this.pump();
    }
  }
}
