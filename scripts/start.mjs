// `npm start`: the embedded default with the demo site, unless the environment says otherwise.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const env = {
  ...process.env,
  DEMO: process.env.DEMO ?? 'on',
  NODE_ENV: process.env.NODE_ENV ?? 'development',
};
const child = spawn(
  process.execPath,
  [
    require.resolve('ts-node/dist/bin.js'),
    '--transpile-only',
    '-r',
    'tsconfig-paths/register',
    'apps/api/src/main.ts',
  ],
  { env, stdio: 'inherit' },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
