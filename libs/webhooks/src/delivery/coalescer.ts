interface Waiting<K, R> {
  key: K;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Turns the calls made in one turn of the event loop into one call with all their keys: the concurrent attempts of
 * a burst of webhooks read their work and record their outcomes in one statement each instead of one per attempt.
 */
export class Coalescer<K, R> {
  private waiting: Waiting<K, R>[] = [];

  constructor(
    private readonly many: (keys: K[]) => Promise<R[]>,
    private readonly maxBatch = 500,
  ) {}

  call(key: K): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      if (this.waiting.length === 0) setImmediate(() => this.flush());
      this.waiting.push({ key, resolve, reject });
    });
  }

  private flush(): void {
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatch);
      this.many(batch.map((w) => w.key)).then(
        (results) => batch.forEach((w, i) => w.resolve(results[i])),
        (error: unknown) => batch.forEach((w) => w.reject(error)),
      );
    }
  }
}
