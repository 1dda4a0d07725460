import { parseScenarioArgs } from './scenario-args';

const scenario = ['--scenario', 'simulators/scenarios/small-test.yaml'];

describe('parseScenarioArgs', () => {
  it('defaults to a backfill over HTTP, which needs a key', () => {
    expect(parseScenarioArgs([...scenario, '--key', 'k'])).toEqual({
      scenario: 'simulators/scenarios/small-test.yaml',
      mode: 'backfill',
      url: 'http://127.0.0.1:3000',
      transport: 'http',
      key: 'k',
      username: 'simulator',
      seed: null,
      start: null,
      days: null,
      months: null,
      speed: 1,
      rate: 20_000,
      durationS: null,
      connections: 1,
      concurrency: 4,
      batch: 5000,
      flushMs: 1000,
      truth: null,
      dryRun: false,
      clockUrl: null,
      clockKey: null,
    });
  });

  it('sets the platform clock in live mode only, with an admin key', () => {
    expect(
      parseScenarioArgs([
        ...scenario,
        '--mode',
        'live',
        '--speed',
        '60',
        '--clock-url',
        'http://127.0.0.1:3000',
        '--clock-key',
        'admin',
      ]),
    ).toMatchObject({
      clockUrl: 'http://127.0.0.1:3000',
      clockKey: 'admin',
      speed: 60,
    });
    expect(() =>
      parseScenarioArgs([...scenario, '--mode', 'live', '--clock-url', 'http://127.0.0.1:3000']),
    ).toThrow('--clock-key is required');
    expect(() =>
      parseScenarioArgs([
        ...scenario,
        '--key',
        'k',
        '--clock-url',
        'http://127.0.0.1:3000',
        '--clock-key',
        'a',
      ]),
    ).toThrow('--clock-url: only live mode plays against the clock');
    expect(() =>
      parseScenarioArgs([...scenario, '--mode', 'live', '--clock-url', 'mqtt://x:1883', '--clock-key', 'a']),
    ).toThrow('--clock-url: expected');
  });

  it('defaults live and load to MQTT, load to 20 000 events/s for 60 s over 4 connections', () => {
    expect(parseScenarioArgs([...scenario, '--mode', 'load'])).toMatchObject({
      transport: 'mqtt',
      url: 'mqtt://127.0.0.1:1883',
      rate: 20_000,
      durationS: 60,
      connections: 4,
      concurrency: 256,
      batch: 100,
      key: null,
    });
    expect(parseScenarioArgs([...scenario, '--mode', 'load', '--rate', 'max']).rate).toBe(Infinity);
    expect(
      parseScenarioArgs([...scenario, '--mode', 'live', '--speed', '60', '--start', '2026-03-04T08:00:00Z']),
    ).toMatchObject({
      mode: 'live',
      speed: 60,
      start: '2026-03-04T08:00:00Z',
      durationS: null,
    });
  });

  it('reads the example of the issue', () => {
    const argv = [
      ...scenario,
      '--mode',
      'backfill',
      '--days',
      '7',
      '--url',
      'http://127.0.0.1:3000',
      '--key',
      'abc',
    ];
    expect(parseScenarioArgs(argv)).toMatchObject({
      mode: 'backfill',
      days: 7,
      transport: 'http',
      key: 'abc',
    });
  });

  it.each([
    [['--mode', 'load'], '--scenario is required'],
    [[...scenario], '--key is required over HTTP'],
    [[...scenario, '--mode', 'replay'], '--mode'],
    [[...scenario, '--url', 'ftp://x', '--key', 'k'], '--url'],
    [[...scenario, '--key', 'k', '--days', '0'], '--days'],
    [[...scenario, '--key', 'k', '--days', '2', '--months', '1'], '--days and --months'],
    [[...scenario, '--key', 'k', '--batch', '5001'], 'at most 5000'],
    [[...scenario, '--mode', 'live', '--speed', '-1'], '--speed'],
    [[...scenario, '--mode', 'load', '--rate', 'fast'], '--rate'],
    [[...scenario, '--key', 'k', '--start', 'yesterday'], '--start'],
    [[...scenario, '--key', 'k', '--bogus'], 'bogus'],
  ])('rejects %j naming the option', (argv, message) => {
    expect(() => parseScenarioArgs(argv)).toThrow(message);
  });
});
