import { connectAsync, IClientOptions, MqttClient } from 'mqtt';
import { EventSink, LivePlayer, SimClock, Timers } from './live-player';
import { SimEvent } from './sim-event';

export interface MqttSinkOptions {
  url: string;
  /** Names the integration to the broker; the platform authenticates the password. */
  username?: string;
  /** An API key. */
  password: string;
  clientId?: string;
  /** Errors the connection reports after it is up (refused reconnects, protocol errors). */
  onError?: (error: Error) => void;
}

type PublishingClient = Pick<MqttClient, 'publishAsync' | 'endAsync'>;

/** QoS 1: the broker acknowledges each event, and the platform drops the duplicates a resend may cause by event id. */
export class MqttEventSink implements EventSink {
  constructor(private readonly client: PublishingClient) {}

  async publish(event: SimEvent): Promise<void> {
    await this.client.publishAsync(event.topic, JSON.stringify(event.payload), { qos: 1 });
  }

  /** Forced when asked: unacknowledged publishes would otherwise hold the close forever on a dead connection. */
  async close(force = false): Promise<void> {
    await this.client.endAsync(force);
  }
}

/**
 * The first connection fails fast, so a wrong URL or key is reported at start; once connected, the client
 * reconnects by itself and resends unacknowledged publishes.
 */
export async function connectMqttSink(options: MqttSinkOptions): Promise<MqttEventSink> {
  const clientOptions: IClientOptions = {
    username: options.username ?? 'simulator',
    password: options.password,
    clientId: options.clientId ?? `simulator-${process.pid}-${Date.now().toString(36)}`,
    connectTimeout: 10_000,
    reconnectPeriod: 1000,
  };
  const client = await connectAsync(options.url, clientOptions, false);
  // an 'error' event with no listener would throw and take the host process down
  client.on('error', (error) => (options.onError ?? (() => undefined))(error));
  return new MqttEventSink(client);
}

export interface PublishOptions {
  /** Simulated ms per wall ms; Infinity publishes as fast as the broker acknowledges. Default 1. */
  speed?: number;
  /** The simulated instant that maps to `wallStart`; default the first event's time. */
  simStart?: Date;
  /** Wall time at which `simStart` plays; default now. */
  wallStart?: number;
  maxInFlight?: number;
  timers?: Timers;
  onPublished?: (event: SimEvent) => void;
  onError?: (error: Error, event: SimEvent) => void;
}

export interface PublishRun {
  /** Resolves when every event has been published and acknowledged (or has failed). */
  done: Promise<void>;
  player: LivePlayer;
}

/**
 * Plays a list of events: in live mode each at its simulated time mapped to wall time, so at speed 60 a simulated
 * minute takes a second. Events before `simStart` go out at once.
 */
export function publishEvents(
  sink: EventSink,
  events: readonly SimEvent[],
  options: PublishOptions = {},
): PublishRun {
  const speed = options.speed ?? 1;
  if (!(speed > 0)) throw new Error(`speed must be positive, got ${speed}`);
  const clock: SimClock = {
    simStart: options.simStart?.getTime() ?? events[0]?.at.getTime() ?? 0,
    wallStart: options.wallStart ?? options.timers?.now() ?? Date.now(),
    speed,
  };
  const player = new LivePlayer(sink, clock, options);
  player.enqueue(events);
  return { done: player.idle(), player };
}
