import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mergeTruth, serializeTruth, Truth, writeTruth } from './truth';

const truth: Truth = {
  bookings: [
    {
      type: 'booking',
      booking: 'bk-1',
      resource: 'atlas',
      member: 'm-001',
      start: '2026-03-04T09:00:00.000Z',
      end: '2026-03-04T10:00:00.000Z',
      outcome: 'no_show',
      evidenceAt: null,
    },
  ],
  presence: [
    {
      type: 'presence',
      resource: 'desk-0-01',
      member: 'm-002',
      from: '2026-03-04T08:03:00.000Z',
      to: '2026-03-04T12:00:00.000Z',
    },
  ],
  visits: [
    { type: 'visit', member: 'm-002', from: '2026-03-04T08:00:00.000Z', to: '2026-03-04T12:01:00.000Z' },
  ],
};

describe('truth', () => {
  it('serializes one JSON record per line, each tagged with its type', () => {
    const lines = serializeTruth(truth).trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l) as { type: string }).map((r) => r.type)).toEqual([
      'booking',
      'presence',
      'visit',
    ]);
    expect(JSON.parse(lines[0])).toEqual(truth.bookings[0]);
    expect(serializeTruth(mergeTruth([]))).toBe('');
  });

  it('writes the JSONL file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-truth-'));
    try {
      const path = join(dir, 'truth.jsonl');
      await writeTruth(path, mergeTruth([truth, truth]));
      expect(readFileSync(path, 'utf8').trimEnd().split('\n')).toHaveLength(6);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
