import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'on', 'off', 'yes', 'no'])
  .transform((v) => ['true', '1', 'on', 'yes'].includes(v));

const url = (protocols: string[]) =>
  z
    .string()
    .url()
    .refine((v) => protocols.some((p) => v.startsWith(`${p}://`)), {
      message: `must start with ${protocols.map((p) => `${p}://`).join(' or ')}`,
    });

/**
 * Every environment variable the platform reads, in one place. Unset optional URLs select the embedded
 * default (PGlite + aedes + in-process queue); set ones select the production topology.
 */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: url(['postgres', 'postgresql']).optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** Largest wire message the `pg` path may send; pglite-socket crashes above 64 KiB, so it needs a limit. */
  DATABASE_MAX_MESSAGE_KB: z.coerce.number().int().min(8).optional(),
  MQTT_URL: url(['mqtt', 'mqtts', 'tcp', 'ws', 'wss']).optional(),
  MQTT_PORT: z.coerce.number().int().min(0).max(65535).default(1883),
  MQTT_TOPIC_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9_-]+$/, 'letters, digits, _ or - only')
    .default('cw'),
  /** Shared-subscription group used against an external broker, so several ingest processes split the load. */
  MQTT_SHARE_GROUP: z
    .string()
    .regex(/^[a-zA-Z0-9_-]+$/)
    .default('ingest'),
  /** Stable per ingest instance, so its persistent session (and unacknowledged messages) survive a reconnect. */
  MQTT_CLIENT_ID: z
    .string()
    .regex(/^[a-zA-Z0-9_-]{1,64}$/)
    .optional(),
  REDIS_URL: url(['redis', 'rediss']).optional(),
  /** BullMQ key prefix: deployments (or parallel test runs) sharing one Redis keep their jobs apart. */
  JOBS_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9_-]{1,64}$/, 'letters, digits, _ or - only')
    .default('cw'),
  /**
   * Which job handlers this process runs. `all`: every one its modules register (the embedded default, a lone api).
   * `none`: background jobs are queued for apps/worker; only the timers the app keeps beside its live engines still
   * run here (the api keeps the no-show decisions). Needs REDIS_URL, where the worker takes the jobs from.
   */
  JOBS_PROCESS: z.enum(['all', 'none']).default('all'),
  DEMO: bool.default('off'),
  ADMIN_API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  WEBHOOK_ALLOW_PRIVATE: bool.default('false'),
  /** Each delivery attempt is abandoned after this long, so a dead receiver holds a worker slot for a bounded time. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60000).default(5000),
  /** Attempts per delivery (first try included) before it is marked failed. */
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8),
  /** Delay before the first retry; each further retry waits 5 times longer (5 s, 25 s, 2 min, 10 min...), capped at 6 h. */
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(1).max(3600000).default(5000),
  /**
   * Deliveries in flight at once per process; slow receivers then only delay each other beyond this many. Each
   * attempt waits on database round trips, so 16 delivered a burst of 1,000 releases at ~125/s in bench:live.
   */
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(64),
  /** Lets a simulator set and accelerate the platform's clock (PUT /v1/clock). Refused when NODE_ENV=production. */
  CLOCK_CONTROL: bool.default('off'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  INGEST_BATCH_SIZE: z.coerce.number().int().min(1).max(50000).default(2000),
  INGEST_FLUSH_MS: z.coerce.number().int().min(1).max(60000).default(10),
  /** Events held in memory waiting for the database; past this, producers wait (backpressure). */
  INGEST_MAX_PENDING: z.coerce.number().int().min(1).default(50000),
  INGEST_MAX_FUTURE_SKEW_S: z.coerce.number().int().min(0).default(300),
  INGEST_MAX_AGE_DAYS: z.coerce.number().int().min(1).default(400),
  HTTP_MAX_BATCH: z.coerce.number().int().min(1).default(5000),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Parses the environment once; the message names the bad variable on one line so boot failures are obvious. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema
    .refine((c) => !(c.CLOCK_CONTROL && c.NODE_ENV === 'production'), {
      path: ['CLOCK_CONTROL'],
      message: 'the clock can only be controlled outside production',
    })
    .refine((c) => c.JOBS_PROCESS === 'all' || c.REDIS_URL !== undefined, {
      path: ['JOBS_PROCESS'],
      message: 'none needs REDIS_URL: with the in-process queue no other process can take the jobs',
    })
    .safeParse(cleaned);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const name = first.path.join('.');
    const shown =
      name.includes('KEY') || name.includes('URL') ? '(value hidden)' : JSON.stringify(cleaned[name]);
    throw new ConfigError(`Invalid environment variable ${name}=${shown}: ${first.message}`);
  }
  return parsed.data;
}
