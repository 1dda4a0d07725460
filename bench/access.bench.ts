// Access decisions alone: `npx ts-node -r tsconfig-paths/register --transpile-only bench/access.bench.ts` writes
// bench/results/access.json. The figures are those bench/billing.bench.ts reports as access_rps and access_p99_ms.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { runAccessBenchDetailed } from './access-decisions';
import { round } from './ingest/util';

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: join(__dirname, '..'),
      encoding: 'utf8',
    }).trim();
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  const { config, details, ...metrics } = await runAccessBenchDetailed();
  const result = {
    name: 'access',
    at: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      memory_gb: round(totalmem() / 2 ** 30, 1),
      node: process.version,
      cpu_model: cpus()[0]?.model.split(' ').slice(0, 2).join(' '),
    },
    config: { ...config, git: gitCommit() },
    targets: { access_p99_ms: 20, access_rps: 200 },
    metrics,
    details,
  };
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(join(__dirname, 'results', 'access.json'), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(metrics)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
