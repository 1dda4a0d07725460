import { checkInWindow, decideGhost, decideNoShow, DEFAULT_POLICY, NoShowPolicy } from './noshow.rules';

const at = (hhmm: string, day = '2026-03-10') => new Date(`${day}T${hhmm}:00Z`);
const booking = { start: at('10:00'), end: at('11:00') };
const policy = DEFAULT_POLICY;

describe('checkInWindow', () => {
  it('spans start minus early to start plus grace', () => {
    expect(checkInWindow(booking, policy)).toEqual({ from: at('09:45'), to: at('10:15') });
  });

  it('never extends past the end of a short booking', () => {
    expect(checkInWindow({ start: at('10:00'), end: at('10:10') }, policy).to).toEqual(at('10:10'));
  });

  it('honours per-kind policies', () => {
    const phone: NoShowPolicy = { ...policy, earlyMs: 0, graceMs: 5 * 60_000 };
    expect(checkInWindow(booking, phone)).toEqual({ from: at('10:00'), to: at('10:05') });
  });
});

describe('decideNoShow', () => {
  it.each([
    ['explicit check-in at start', [at('10:00')], { kind: 'keep', checkedInAt: at('10:00') }],
    ['presence in the early window', [at('09:46')], { kind: 'keep', checkedInAt: at('09:46') }],
    ['presence at the last instant of grace', [at('10:15')], { kind: 'keep', checkedInAt: at('10:15') }],
    [
      'earliest of several pieces of evidence',
      [at('10:10'), at('09:50')],
      { kind: 'keep', checkedInAt: at('09:50') },
    ],
    [
      'presence before the early window only (the previous meeting)',
      [at('09:30')],
      { kind: 'release', decidedAt: at('10:15') },
    ],
    ['presence after grace only', [at('10:16')], { kind: 'release', decidedAt: at('10:15') }],
    ['no evidence at all', [], { kind: 'release', decidedAt: at('10:15') }],
  ])('%s', (_name, evidence, expected) => {
    expect(decideNoShow(booking, evidence, policy, at('10:20'))).toEqual(expected);
  });

  it('waits until grace ends when nothing has come yet', () => {
    expect(decideNoShow(booking, [], policy, at('10:05'))).toEqual({ kind: 'wait', until: at('10:15') });
  });

  it('gives the same answer whenever it is asked after grace (replay and live agree)', () => {
    const live = decideNoShow(booking, [], policy, at('10:15'));
    const replayed = decideNoShow(booking, [], policy, at('23:59'));
    expect(replayed).toEqual(live);
  });

  it('a booking moved later gets its window from the new start', () => {
    const moved = { start: at('12:00'), end: at('13:00') };
    expect(decideNoShow(moved, [at('10:05')], policy, at('12:20'))).toEqual({
      kind: 'release',
      decidedAt: at('12:15'),
    });
    expect(decideNoShow(moved, [at('11:50')], policy, at('12:20'))).toEqual({
      kind: 'keep',
      checkedInAt: at('11:50'),
    });
  });

  it('works across a DST change (event times are instants)', () => {
    // Europe/Madrid springs forward at 01:00 UTC on 2026-03-29; the window stays 30 real minutes wide.
    const dst = { start: new Date('2026-03-29T00:50:00Z'), end: new Date('2026-03-29T02:00:00Z') };
    expect(checkInWindow(dst, policy)).toEqual({
      from: new Date('2026-03-29T00:35:00Z'),
      to: new Date('2026-03-29T01:05:00Z'),
    });
    expect(
      decideNoShow(dst, [new Date('2026-03-29T01:04:00Z')], policy, new Date('2026-03-29T01:10:00Z')).kind,
    ).toBe('keep');
  });
});

describe('decideGhost', () => {
  const ghost = { ...policy, ghostEnabled: true };

  it('does nothing unless the site opted in', () => {
    expect(decideGhost(booking, at('10:05'), policy, at('10:59'))).toEqual({ kind: 'keep' });
  });

  it('releases the rest once the room has been empty for the configured time', () => {
    expect(decideGhost(booking, at('10:05'), ghost, at('10:20'))).toEqual({
      kind: 'wait',
      until: at('10:25'),
    });
    expect(decideGhost(booking, at('10:05'), ghost, at('10:26'))).toEqual({
      kind: 'release',
      decidedAt: at('10:25'),
    });
  });

  it('keeps a booking whose empty period would outlast its end, and an occupied room', () => {
    expect(decideGhost(booking, at('10:45'), ghost, at('10:59'))).toEqual({ kind: 'keep' });
    expect(decideGhost(booking, null, ghost, at('10:59'))).toEqual({ kind: 'keep' });
  });
});
