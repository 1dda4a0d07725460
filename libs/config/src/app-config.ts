import { Config } from './config.schema';

/** Typed, read-only view of the validated configuration; the only thing services inject. */
export class AppConfig {
  constructor(private readonly values: Config) {}

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
}
