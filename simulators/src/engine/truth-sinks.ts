import { createWriteStream, mkdirSync, WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { TruthRecord, TruthSink } from './truth-records';

/** Keeps the records; tests read them back. */
export class MemoryTruth implements TruthSink {
  readonly records: TruthRecord[] = [];
  write(record: TruthRecord): void {
    this.records.push(record);
  }
  serialize(): string {
    return this.records.map((r) => JSON.stringify(r) + '\n').join('');
  }
}

/** Lines are gathered into chunks of this size: one stream write per record would cost more than generating it. */
const CHUNK_CHARS = 1 << 16;

/** JSONL on disk, written as the run goes, so a long backfill never holds its truth in memory. */
export class JsonlTruthFile implements TruthSink {
  private readonly stream: WriteStream;
  private buffer: string[] = [];
  private size = 0;
  private failure: Error | null = null;
  records = 0;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.stream = createWriteStream(path, { encoding: 'utf8' });
    this.stream.on('error', (error) => (this.failure = error));
  }

  write(record: TruthRecord): void {
    const line = JSON.stringify(record) + '\n';
    this.buffer.push(line);
    this.size += line.length;
    this.records++;
    if (this.size >= CHUNK_CHARS) this.flush();
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    this.stream.write(this.buffer.join(''));
    this.buffer = [];
    this.size = 0;
  }

  async close(): Promise<void> {
    this.flush();
    await new Promise<void>((resolve, reject) => {
      this.stream.end((error?: Error | null) => (error ? reject(error) : resolve()));
    });
    if (this.failure)
      throw new Error(`writing ${this.path} failed: ${this.failure.message}`, { cause: this.failure });
  }
}
