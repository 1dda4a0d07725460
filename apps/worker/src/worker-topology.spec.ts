import { AppConfig, ConfigError, loadConfig } from '@cw/config';
import { checkWorkerConfig } from './worker-topology';

const production = {
  DATABASE_URL: 'postgres://postgres@db:5432/coworking',
  REDIS_URL: 'redis://redis:6379',
  MQTT_URL: 'mqtt://mosquitto:1883',
};
const check = (env: Record<string, string>) => () => checkWorkerConfig(new AppConfig(loadConfig(env)));

describe('checkWorkerConfig', () => {
  it('accepts the production topology', () => {
    expect(check(production)).not.toThrow();
  });

  it('names every missing server in one message, without printing a URL', () => {
    expect(check({})).toThrow(ConfigError);
    expect(check({})).toThrow(/set DATABASE_URL, REDIS_URL, MQTT_URL \(npm start runs everything/);
    const { REDIS_URL: _redis, ...withoutRedis } = production;
    expect(check(withoutRedis)).toThrow(/: set REDIS_URL \(/);
    let message = '';
    try {
      check(withoutRedis)();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).not.toContain('postgres://');
  });

  it('refuses a worker told to leave its jobs to others', () => {
    expect(check({ ...production, JOBS_PROCESS: 'none' })).toThrow(/JOBS_PROCESS must be all/);
  });
});
