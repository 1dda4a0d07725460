import { Rng } from '../random';
import { isoTime } from './iso-time';

describe('isoTime', () => {
  it('formats whole milliseconds exactly as toISOString does', () => {
    const rng = new Rng(3);
    const samples = [0, Date.parse('2026-03-29T00:59:59.999Z'), Date.parse('2024-02-29T23:59:59.000Z')];
    for (let i = 0; i < 5000; i++) samples.push(Math.floor(rng.uniform(0, 4_102_444_800_000)));
    for (const ms of samples) expect(isoTime(ms)).toBe(new Date(ms).toISOString());
  });
});
