import { parseCliArgs } from './cli-args';

const base = ['--site-file', 'simulators/scenarios/demo-site.json', '--site', 'demo'];

describe('parseCliArgs', () => {
  it('applies the documented defaults', () => {
    expect(parseCliArgs([...base, '--key', 'k'])).toEqual({
      siteFile: 'simulators/scenarios/demo-site.json',
      siteId: 'demo',
      url: 'mqtt://127.0.0.1:1883',
      key: 'k',
      username: 'simulator',
      speed: 60,
      seed: 42,
      members: 60,
      date: null,
      days: 1,
      start: null,
      noShowRate: 0.15,
      truth: null,
      dryRun: false,
    });
  });

  it('reads every option', () => {
    const config = parseCliArgs([
      ...base,
      ...['--url', 'mqtt://broker:1884', '--key', 'k', '--username', 'sim', '--speed', '3600', '--seed', '7'],
      ...[
        '--members',
        '120',
        '--date',
        '2026-03-04',
        '--days',
        '5',
        '--start',
        '10:30',
        '--no-show',
        '0.2',
        '--truth',
        't.jsonl',
      ],
    ]);
    expect(config).toMatchObject({
      url: 'mqtt://broker:1884',
      username: 'sim',
      speed: 3600,
      seed: 7,
      members: 120,
    });
    expect(config).toMatchObject({
      date: '2026-03-04',
      days: 5,
      start: '10:30',
      noShowRate: 0.2,
      truth: 't.jsonl',
    });
  });

  it('publishes at infinite speed in burst mode and needs no key for a dry run', () => {
    expect(parseCliArgs([...base, '--key', 'k', '--mode', 'burst']).speed).toBe(Infinity);
    expect(parseCliArgs([...base, '--dry-run'])).toMatchObject({ dryRun: true, key: null });
  });

  it.each([
    [[...base], '--key is required'],
    [['--site', 'demo', '--dry-run'], '--site-file is required'],
    [[...base, '--dry-run', '--speed', '0'], '--speed'],
    [[...base, '--dry-run', '--speed', 'fast'], '--speed'],
    [[...base, '--dry-run', '--seed', '-3'], '--seed'],
    [[...base, '--dry-run', '--mode', 'replay'], '--mode'],
    [[...base, '--dry-run', '--date', '04/03/2026'], '--date'],
    [[...base, '--dry-run', '--start', '9am'], '--start'],
    [[...base, '--dry-run', '--no-show', '1.5'], '--no-show'],
    [[...base, '--dry-run', '--bogus'], 'bogus'],
  ])('rejects %j naming the option', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});
