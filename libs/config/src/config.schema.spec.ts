import { loadConfig } from './config.schema';

describe('loadConfig', () => {
  it('selects the embedded defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DATA_DIR).toBe('./data');
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.MQTT_PORT).toBe(1883);
    expect(config.DEMO).toBe(false);
  });

  it('names the bad variable in a one-line error', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/^Invalid environment variable PORT="eighty": /);
    expect(() => loadConfig({ MQTT_PORT: '70000' })).toThrow(/MQTT_PORT/);
  });

  it('never prints the value of a secret or URL', () => {
    let message = '';
    try {
      loadConfig({ DATABASE_URL: 'mysql://user:s3cret@host/db' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('DATABASE_URL');
    expect(message).not.toContain('s3cret');
    expect(message.split('\n')).toHaveLength(1);
  });

  it('treats empty strings as unset and parses booleans', () => {
    const config = loadConfig({ DATABASE_URL: '', DEMO: 'on', WEBHOOK_ALLOW_PRIVATE: 'true' });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.DEMO).toBe(true);
    expect(config.WEBHOOK_ALLOW_PRIVATE).toBe(true);
  });

  it('processes every job by default, and leaves them to workers only where a queue is shared', () => {
    expect(loadConfig({}).JOBS_PROCESS).toBe('all');
    expect(loadConfig({ REDIS_URL: 'redis://r:6379', JOBS_PROCESS: 'none' }).JOBS_PROCESS).toBe('none');
    expect(() => loadConfig({ JOBS_PROCESS: 'none' })).toThrow(
      /^Invalid environment variable JOBS_PROCESS="none": none needs REDIS_URL/,
    );
    expect(() => loadConfig({ JOBS_PROCESS: 'some' })).toThrow(/JOBS_PROCESS/);
  });
});
