/** Messages between the bench process and its children (publisher, raw-ceiling), over the fork IPC channel. */

export interface FloodPlan {
  mode: 'flood';
  url: string;
  key: string;
  siteId: string;
  sensors: string[];
  /** MQTT connections, each with `inflight` QoS 1 publishes awaiting PUBACK at any time. */
  connections: number;
  inflight: number;
  /** Events per message (the contract allows one event or an array). */
  perMessage: number;
  /** Share of presence readings with value 1 (the rest are 0): a 1 is check-in evidence the engines look up. */
  presenceOnes: number;
  idPrefix: string;
  /** Hard bounds: the child stops by itself past either. */
  maxEvents: number;
  maxMs: number;
}

export interface PacedPlan {
  mode: 'paced';
  url: string;
  key: string;
  siteId: string;
  sensors: string[];
  connections: number;
  /** Events per second, one event per message. */
  rate: number;
  /** Share of presence readings with value 1 (check-in evidence), spread evenly. */
  presenceOnes: number;
  idPrefix: string;
  durationMs: number;
}

export type PublisherPlan = FloodPlan | PacedPlan;

export type ToPublisher = { type: 'start'; plan: PublisherPlan } | { type: 'go' } | { type: 'stop' };

export interface PublisherDone {
  type: 'done';
  published: number;
  acked: number;
  failed: number;
  firstError?: string;
  elapsedMs: number;
  cpuMs: number;
  peakRssMb: number;
}

export type FromPublisher =
  | { type: 'connected' }
  | { type: 'progress'; published: number; acked: number }
  /** Paced mode: ids and publish times (ms since epoch) of the events just published. */
  | { type: 'sent'; items: [string, number][] }
  | PublisherDone
  | { type: 'error'; message: string };

export interface RawPlan {
  storage: 'disk' | 'memory';
  rows: number;
  unnestBatch: number;
  copyBatch: number;
  repoBatch: number;
  sensors: number;
}

export interface RawResult {
  type: 'raw';
  unnest: { rows: number; seconds: number; eps: number; batch: number };
  copy: { rows: number; seconds: number; eps: number; batch: number } | { error: string };
  repository: { rows: number; seconds: number; eps: number; batch: number };
  /** unnest on the PGlite opened directly for COPY: the same statement without the worker-thread port. */
  unnestDirect?: { rows: number; seconds: number; eps: number; batch: number };
  peakRssMb: number;
}

export type FromRaw = RawResult | { type: 'error'; message: string } | { type: 'log'; message: string };
