import { Config } from './config.schema';

export interface ProcessDuties {
  /**
   * Whether this process re-emits the events other processes stored to its own listeners (StoredEventsFeed). True
   * for the api; the worker turns it off: its modules bring listeners (external bookings, KPI dirty days) that the
   * api already runs, and a second copy would apply every external booking twice.
   */
  relayStoredEvents: boolean;
}

/** Typed, read-only view of the validated configuration; the only thing services inject. */
export class AppConfig {
  constructor(
    private readonly values: Config,
    private readonly duties: ProcessDuties = { relayStoredEvents: true },
  ) {}

  get<K extends keyof Config>(key: K): Config[K] {
    return this.values[key];
  }

  get embeddedDatabase(): boolean {
    return this.values.DATABASE_URL === undefined;
  }

  get embeddedBroker(): boolean {
    return this.values.MQTT_URL === undefined;
  }

  get embeddedQueue(): boolean {
    return this.values.REDIS_URL === undefined;
  }

  get relaysStoredEvents(): boolean {
    return this.duties.relayStoredEvents;
  }

  /** The same values for a process with other duties (set by the app that composes it, not by the environment). */
  withDuties(duties: Partial<ProcessDuties>): AppConfig {
    return new AppConfig(this.values, { ...this.duties, ...duties });
  }
}
