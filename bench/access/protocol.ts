/** Messages between the access bench and its load child. */

export interface LoadPlan {
  type: 'run';
  url: string;
  token: string;
  /** Requests per second, paced open-loop: a request goes at its time whether or not earlier ones answered. */
  rate: number;
  warmupMs: number;
  durationMs: number;
  /** Bodies to send, picked round-robin in a shuffled order (site comes from the device key). */
  bodies: { credential: string; door: string }[];
  connections: number;
}

export interface LoadReport {
  type: 'report';
  /** Measured requests only (after the warm-up): latency from the moment each was sent to its full answer, ms. */
  latenciesMs: number[];
  /** The same from the moment it was due (includes any lateness of the load child itself). */
  dueLatenciesMs: number[];
  /** Span from the first measured request's due time to the last measured answer. */
  spanMs: number;
  sent: number;
  warmupSent: number;
  errors: number;
  statuses: Record<string, number>;
  reasons: Record<string, number>;
}

export type FromLoad = { type: 'ready' } | LoadReport | { type: 'error'; message: string };
