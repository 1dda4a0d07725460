import { z } from 'zod';
import { assertJobId, defineJob, JobPayloadError } from './job-definition';

describe('defineJob', () => {
  const job = defineJob('noshow.check', z.object({ bookingId: z.string(), at: z.coerce.date() }));

  it('parses a payload to its typed value', () => {
    expect(job.parse({ bookingId: 'b1', at: '2026-03-10T12:00:00Z' })).toEqual({
      bookingId: 'b1',
      at: new Date('2026-03-10T12:00:00Z'),
    });
  });

  it('names each bad field', () => {
    expect(() => job.parse({ at: 'soon' })).toThrow(JobPayloadError);
    try {
      job.parse({ at: 'soon' });
    } catch (error) {
      expect((error as JobPayloadError).errors.map((e) => e.path)).toEqual(['bookingId', 'at']);
      expect((error as JobPayloadError).message).toMatch(
        /^invalid payload for job noshow.check: bookingId: required/,
      );
    }
  });

  it('refuses names and ids a Redis key cannot hold safely', () => {
    expect(() => defineJob('a:b', z.unknown())).toThrow(/job name/);
    expect(() => assertJobId('whd_1.2')).not.toThrow();
    expect(() => assertJobId('')).toThrow();
    expect(() => assertJobId('7')).toThrow(/not all digits/);
    expect(() => assertJobId('delayed')).toThrow(/queue key name/);
  });
});
