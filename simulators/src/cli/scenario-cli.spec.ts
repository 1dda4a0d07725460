import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { serializeScenarioEvent } from '../engine/scenario-event';
import { runScenario, scenarioWith, SCENARIOS_DIR } from '../testing/scenario-fixtures';
import { CliIo, runScenarioCli } from './scenario-cli';
import { parseScenarioArgs } from './scenario-args';

const SMALL = join(SCENARIOS_DIR, 'small-test.yaml');

function capture(): { io: CliIo; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { out: [] as string[], err: [] as string[] };
  stdout.on('data', (c: Buffer) => chunks.out.push(c.toString()));
  stderr.on('data', (c: Buffer) => chunks.err.push(c.toString()));
  return {
    io: { stdout, stderr, now: () => new Date('2026-11-21T10:00:00Z') },
    out: () => chunks.out.join(''),
    err: () => chunks.err.join(''),
  };
}

describe('runScenarioCli', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sim-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the stream with --dry-run and writes the same truth as the library', async () => {
    const truth = join(dir, 'dry.truth.jsonl');
    const { io, out, err } = capture();
    const code = await runScenarioCli(
      parseScenarioArgs(['--scenario', SMALL, '--dry-run', '--truth', truth]),
      io,
    );
    expect(code).toBe(0);
    const expected = runScenario(scenarioWith(), '2026-03-02', 7);
    expect(out()).toBe(expected.events.map((e) => serializeScenarioEvent(e) + '\n').join(''));
    expect(readFileSync(truth, 'utf8')).toBe(expected.serialized);
    expect(err()).toContain(`truth: ${truth}`);
  });

  // network: a loopback HTTP server standing in for the platform, to exercise the real fetch path
  describe('backfill over HTTP', () => {
    let server: Server;
    const received: { auth: string[]; items: number } = { auth: [], items: 0 };
    beforeAll(async () => {
      server = createServer((req, res) => {
        const body: Buffer[] = [];
        req.on('data', (c: Buffer) => body.push(c));
        req.on('end', () => {
          received.auth.push(req.headers.authorization ?? '');
          const items = (JSON.parse(Buffer.concat(body).toString()) as unknown[]).length;
          received.items += items;
          res.writeHead(202, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ accepted: items, duplicates: 0, rejected: [] }));
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('sends the week and prints a summary with the totals and the truth file', async () => {
      const { port } = server.address() as AddressInfo;
      const truth = join(dir, 'http.truth.jsonl');
      const { io, out } = capture();
      const argv = [
        '--scenario',
        SMALL,
        '--mode',
        'backfill',
        '--days',
        '7',
        '--url',
        `http://127.0.0.1:${port}`,
        '--key',
        'sekret',
        '--truth',
        truth,
      ];
      const code = await runScenarioCli(parseScenarioArgs(argv), io);
      expect(code).toBe(0);
      const events = runScenario(scenarioWith(), '2026-03-02', 7).events.length;
      expect(received.items).toBe(events);
      expect(new Set(received.auth)).toEqual(new Set(['Bearer sekret']));
      const summary = out();
      expect(summary).not.toContain('\r');
      expect(summary).toContain('backfill of scenario small-test (seed 7), 7 days from 2026-03-02');
      expect(summary).toMatch(/sensor:presence +\d/);
      expect(summary).toContain(
        `platform: accepted ${events.toLocaleString('en-US')}, duplicates 0, rejected 0; retries 0`,
      );
      expect(summary).toContain('errors: none');
      expect(summary).toContain(`truth: ${truth}`);
    });
  });
});
