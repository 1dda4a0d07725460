import { AppConfig, ConfigError } from '@cw/config';

/**
 * The worker takes its jobs from BullMQ and writes to the database the api reads, so it exists only in the
 * production topology; the embedded default runs every job inside `npm start`. MQTT_URL is needed because grants
 * are published on the broker (an unset one would start a private embedded broker nobody listens to).
 */
export function checkWorkerConfig(config: AppConfig): void {
  const missing = (['DATABASE_URL', 'REDIS_URL', 'MQTT_URL'] as const).filter(
    (name) => config.get(name) === undefined,
  );
  if (missing.length > 0)
    throw new ConfigError(
      `apps/worker runs in the production topology: set ${missing.join(', ')} ` +
        '(npm start runs everything, jobs included, in one process)',
    );
  if (config.get('JOBS_PROCESS') !== 'all')
    throw new ConfigError('apps/worker runs the background jobs: JOBS_PROCESS must be all (or unset) here');
}
