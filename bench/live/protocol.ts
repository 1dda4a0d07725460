/** Messages between the live bench and its children (probe, crowd, hook receiver), over the fork IPC channel. */

export interface ProbePlan {
  mqttUrl: string;
  mqttKey: string;
  liveUrl: string;
  liveKey: string;
  siteId: string;
  /** socket.io clients in the probe process whose receive times are the measured ones. */
  observers: number;
  /** Join with `batch: true` (as the floor map does) and unpack `batch` events, or take one event per change. */
  batch: boolean;
  connections: number;
  idPrefix: string;
  background: BackgroundMix;
}

/** Readings per second of each kind in the background traffic; none of them changes a resource's state. */
export interface BackgroundMix {
  /** presence=1 re-reports of desks already occupied (check-in evidence the no-show engine looks up). */
  busyOnesPerS: number;
  busySensors: string[];
  /** presence=0 of desks that are free and stay free. */
  idleZerosPerS: number;
  idleSensors: string[];
  /** co2, temperature, humidity, noise, light, battery of sensors serving no resource. */
  envPerS: number;
  envSensors: string[];
}

/** One presence=1 per sensor, paced at `ratePerS`; each must turn its resource from free to occupied. */
export interface ChangeRun {
  tag: string;
  sensors: string[];
  resources: string[];
  ratePerS: number;
  /** After the last publish, how long to wait for the observers to see the last deltas. */
  settleMs: number;
}

export type ToProbe =
  | { type: 'start'; plan: ProbePlan }
  | { type: 'occupy'; sensors: string[] }
  | { type: 'background'; on: boolean }
  | { type: 'changes'; run: ChangeRun }
  | { type: 'report' }
  | { type: 'stop' };

/** A measured change: when it was published and when each observer got its `occupancy` delta (epoch ms). */
export interface ChangeSample {
  resourceId: string;
  publishedAt: number;
  /** The same instant with sub-millisecond precision (performance.timeOrigin + now), to compare with the app's marks. */
  publishedEpochMs: number;
  /** performance.now() latency per observer, ms (null: not received). */
  latencyMs: (number | null)[];
  acked: boolean;
}

export interface ProbeReport {
  type: 'report';
  published: number;
  acked: number;
  failed: number;
  firstError?: string;
  backgroundPublished: number;
  backgroundMs: number;
  /** Release events seen by the observers: booking id -> first receive time (epoch ms). */
  releases: [string, number][];
  /** occupancy deltas received per observer, and those that were not measured changes. */
  deltasPerObserver: number[];
  /** Deltas by `previous->state` at the first observer. */
  transitions: Record<string, number>;
  disconnects: number;
  eventLoopDelayP99Ms: number;
  cpuMs: number;
  elapsedMs: number;
  peakRssMb: number;
}

export type FromProbe =
  | { type: 'ready'; snapshotResources: number; joinMs: number }
  | { type: 'occupied'; count: number }
  | { type: 'changes-done'; tag: string; samples: ChangeSample[]; publishMs: number }
  | ProbeReport
  | { type: 'error'; message: string }
  | { type: 'log'; message: string };

export interface CrowdPlan {
  liveUrl: string;
  liveKey: string;
  siteId: string;
  clients: number;
  batch: boolean;
  /** Handshakes + joins in flight at once while connecting. */
  connectConcurrency: number;
}

export interface CrowdReport {
  type: 'report';
  clients: number;
  connected: number;
  disconnects: number;
  /** resource id -> [deliveries of its `occupied` delta, first receive, last receive (epoch ms)] */
  occupied: [string, number, number, number][];
  /** booking id -> [deliveries of its `release` event, last receive (epoch ms)] */
  releases: [string, number, number][];
  deltas: number;
  eventLoopDelayP99Ms: number;
  cpuMs: number;
  elapsedMs: number;
  peakRssMb: number;
}

export type ToCrowd = { type: 'start'; plan: CrowdPlan } | { type: 'report' } | { type: 'stop' };

export type FromCrowd =
  | { type: 'ready'; connected: number; joinMs: number; snapshotBytes: number }
  | CrowdReport
  | { type: 'error'; message: string }
  | { type: 'log'; message: string };

export interface HookReceipt {
  webhookId: string;
  bookingId: string;
  receivedAt: number;
}

export interface HookReport {
  type: 'report';
  requests: number;
  receipts: HookReceipt[];
  badRequests: number;
  peakRssMb: number;
}

export type ToHook = { type: 'start' } | { type: 'report' } | { type: 'stop' };

export type FromHook =
  | { type: 'ready'; url: string }
  | HookReport
  | { type: 'error'; message: string }
  | { type: 'log'; message: string };
