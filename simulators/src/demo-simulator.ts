import { SiteDocument, SiteDocumentInput, siteDocumentSchema } from '@cw/sites';
import { generateDay, SimDay } from './demo-day.generator';
import { EventSink, LivePlayer, SimClock, systemTimers, Timers } from './live-player';
import { connectMqttSink } from './mqtt-publisher';
import { DEFAULT_MEMBER_COUNT, generateRoster } from './roster';
import { addDays, localDate } from './zoned-time';

export interface DemoSimulatorOptions {
  mqttUrl: string;
  /** An API key the broker accepts as the password. */
  token: string;
  siteId: string;
  site: SiteDocument | SiteDocumentInput;
  /** Fixed by default, so a restarted demo replays the same day with the same event ids (deduplicated). */
  seed?: number;
  /** Simulated ms per wall ms; default 1 (real time). */
  speed?: number;
  /** Where the simulated clock starts; default the wall clock. */
  now?: () => Date;
  members?: number;
  username?: string;
  /** Failed publishes and connection errors; default a process warning, so nothing fails silently. */
  onError?: (error: Error) => void;
  /** Called with each simulated day as it is generated (ground truth included). */
  onDay?: (day: SimDay) => void;
}

export interface DemoSimulator {
  stop(): Promise<void>;
}

export const DEFAULT_DEMO_SEED = 42;
/** Generate the next day a minute before this one ends, so its first events are queued in time. */
const ROLLOVER_LEAD_MS = 60_000;

export type DemoRunOptions = Omit<DemoSimulatorOptions, 'mqttUrl' | 'token' | 'username'> & {
  timers?: Timers;
};

/**
 * The demo's simulated clock starts at `now` and the whole current day is generated: what happened earlier today is
 * published at once with its own times (people already at their desks, meetings under way), the rest as it happens.
 */
export function runDemoSimulator(sink: EventSink, options: DemoRunOptions): DemoSimulator {
  const site = siteDocumentSchema.parse(options.site);
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const timers = options.timers ?? systemTimers;
  const now = options.now?.() ?? new Date(timers.now());
  const clock: SimClock = { simStart: now.getTime(), wallStart: timers.now(), speed: options.speed ?? 1 };
  const roster = generateRoster(
    seed,
    options.members ?? DEFAULT_MEMBER_COUNT,
    site.floors.map((f) => f.id),
  );
  const onError = options.onError ?? ((error: Error) => process.emitWarning(error));
  const player = new LivePlayer(sink, clock, {
    timers,
    onError: (error, event) =>
      onError(new Error(`publishing ${event.payload.id} failed: ${error.message}`, { cause: error })),
  });

  const play = (date: string): void => {
    try {
      const day = generateDay({ site, siteId: options.siteId, seed, date, roster });
      options.onDay?.(day);
      player.enqueue(day.events);
      player.at(day.end.getTime() - ROLLOVER_LEAD_MS, () => play(addDays(date, 1)));
    } catch (error) {
      onError(error instanceof Error ? error : new Error(String(error)));
    }
  };
  play(localDate(now, site.timeZone));

  let stopping: Promise<void> | null = null;
  return {
    stop: () => {
      stopping ??= (async () => {
        await player.stop();
        await sink.close();
      })();
      return stopping;
    },
  };
}

/** DEMO=on: feeds the platform through its MQTT broker, exactly as real devices would. */
export async function startDemoSimulator(options: DemoSimulatorOptions): Promise<DemoSimulator> {
  const sink = await connectMqttSink({
    url: options.mqttUrl,
    username: options.username ?? 'demo-simulator',
    password: options.token,
    onError: options.onError ?? ((error) => process.emitWarning(error)),
  });
  // forced: publishes still unacknowledged after the player's grace period must not hold shutdown
  return runDemoSimulator(
    { publish: (event) => sink.publish(event), close: () => sink.close(true) },
    options,
  );
}
