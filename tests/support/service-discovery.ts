import { request as httpRequest } from 'node:http';
import { Socket } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the tests get their real servers from. The order is fixed so a run is predictable:
 *   1. a URL from the environment (the operator said exactly what to use),
 *   2. the server on loopback at its standard port (this machine and `.ci/run`),
 *   3. a container started by Testcontainers (a laptop with Docker and no local servers),
 *   4. otherwise an error naming the service and the three ways to provide it. Tests never skip silently:
 *      a green run that tested nothing is worse than a red one.
 *
 * For `postgres` the answer is informational: the platform's database under test is the embedded TimescaleDB
 * (the loopback PostgreSQL has no timescaledb extension). Redis and MQTT are used for real.
 */

export type ServiceName = 'postgres' | 'redis' | 'mqtt';
export type ServiceSource = 'env' | 'local' | 'container' | 'missing';

export interface SourceFacts {
  /** The service's URL variable; an empty string counts as unset, as it does for `loadConfig`. */
  envUrl: string | undefined;
  localReachable: boolean;
  dockerAvailable: boolean;
}

export interface ServiceSpec {
  /** The same variable the platform reads, so one setting points both the tests and the apps at a server. */
  envVar: 'DATABASE_URL' | 'REDIS_URL' | 'MQTT_URL';
  localPort: number;
  localUrl: string;
  image: string;
}

export const SERVICES: Readonly<Record<ServiceName, ServiceSpec>> = {
  postgres: {
    envVar: 'DATABASE_URL',
    localPort: 5432,
    localUrl: 'postgres://postgres@127.0.0.1:5432/test',
    image: 'timescale/timescaledb:latest-pg15',
  },
  redis: { envVar: 'REDIS_URL', localPort: 6379, localUrl: 'redis://127.0.0.1:6379', image: 'redis:7' },
  mqtt: {
    envVar: 'MQTT_URL',
    localPort: 1883,
    localUrl: 'mqtt://127.0.0.1:1883',
    image: 'eclipse-mosquitto:2',
  },
};

export interface ResolvedService {
  name: ServiceName;
  source: Exclude<ServiceSource, 'missing'>;
  url: string;
  /** Stops a container this module started; a no-op for servers it did not start. */
  stop(): Promise<void>;
}

export class ServiceUnavailableError extends Error {
  constructor(
    readonly service: ServiceName,
    message: string,
  ) {
    super(message);
    this.name = 'ServiceUnavailableError';
  }
}

/** Pure, so the precedence rules are tested without sockets or Docker. */
export function chooseSource(facts: SourceFacts): ServiceSource {
  if (facts.envUrl !== undefined && facts.envUrl !== '') return 'env';
  if (facts.localReachable) return 'local';
  if (facts.dockerAvailable) return 'container';
  return 'missing';
}

export function missingServiceMessage(name: ServiceName, ci: boolean): string {
  const spec = SERVICES[name];
  const lead = ci
    ? `CI=true and ${name} is not available, so the tests cannot run.`
    : `${name} is not available for the tests (they never skip silently).`;
  return (
    `${lead} Provide it one of three ways: ` +
    `(1) set ${spec.envVar} to a reachable server; ` +
    `(2) run a local server on 127.0.0.1:${spec.localPort} (.ci/run starts one); ` +
    `(3) start a Docker engine so Testcontainers can run ${spec.image}.`
  );
}

/** True when a TCP connection opens within the timeout; nothing is sent, so any server type can be probed. */
export function probeTcp(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const finish = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs);
    socket.once('connect', () => finish(true));
    socket.once('timeout', () => finish(false));
    socket.once('error', () => finish(false));
    socket.connect(port, host);
  });
}

export type DockerEndpoint = { socketPath: string } | { host: string; port: number } | 'assume-available';

/** The places Testcontainers itself looks: DOCKER_HOST, then the rootful and the common rootless sockets. */
export function dockerEndpoints(env: NodeJS.ProcessEnv = process.env): DockerEndpoint[] {
  const dockerHost = env.DOCKER_HOST;
  if (dockerHost) {
    if (dockerHost.startsWith('unix://')) return [{ socketPath: dockerHost.slice('unix://'.length) }];
    if (dockerHost.startsWith('tcp://')) {
      // A TLS daemon needs client certificates this probe does not load; let Testcontainers report it.
      if (env.DOCKER_TLS_VERIFY === '1') return ['assume-available'];
      const target = new URL(dockerHost.replace(/^tcp:/, 'http:'));
      return [{ host: target.hostname, port: Number(target.port || 2375) }];
    }
    return ['assume-available'];
  }
  const sockets = [
    '/var/run/docker.sock',
    join(homedir(), '.docker/run/docker.sock'),
    join(homedir(), '.docker/desktop/docker.sock'),
  ];
  if (env.XDG_RUNTIME_DIR) sockets.push(join(env.XDG_RUNTIME_DIR, 'docker.sock'));
  return sockets.map((socketPath) => ({ socketPath }));
}

function pingDocker(
  endpoint: Exclude<DockerEndpoint, 'assume-available'>,
  timeoutMs: number,
): Promise<boolean> {
  return new Promise((resolve) => {
    const req = httpRequest({ ...endpoint, path: '/_ping', method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(false));
    req.end();
  });
}

/** A socket file may exist while its daemon is stopped, so only an answered `/_ping` counts. */
export async function dockerAvailable(
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 1000,
): Promise<boolean> {
  for (const endpoint of dockerEndpoints(env)) {
    if (endpoint === 'assume-available') return true;
    if (await pingDocker(endpoint, timeoutMs)) return true;
  }
  return false;
}

const MOSQUITTO_CONF = 'listener 1883\nallow_anonymous true\n';

/** Kept minimal on purpose: it cannot run on the CI machine, which has no Docker engine. */
export async function startContainer(name: ServiceName): Promise<ResolvedService> {
  // Loaded here so test files that never need a container do not pay for (or depend on) testcontainers.
  const { GenericContainer, Wait } = await import('testcontainers');
  const spec = SERVICES[name];
  const port = spec.localPort;
  let container = new GenericContainer(spec.image).withExposedPorts(port).withStartupTimeout(120_000);
  if (name === 'postgres') {
    container = container
      .withEnvironment({ POSTGRES_PASSWORD: 'postgres', POSTGRES_DB: 'test' })
      // The image logs readiness once for its init server and once for the real one.
      .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2));
  } else if (name === 'redis') {
    container = container.withWaitStrategy(Wait.forLogMessage(/Ready to accept connections/));
  } else {
    // Mosquitto 2 only listens on loopback without a config, which is unreachable through a port mapping.
    container = container
      .withCopyContentToContainer([{ content: MOSQUITTO_CONF, target: '/mosquitto/config/mosquitto.conf' }])
      .withWaitStrategy(Wait.forListeningPorts());
  }
  const started = await container.start();
  const host = started.getHost();
  const mapped = started.getMappedPort(port);
  const url =
    name === 'postgres'
      ? `postgres://postgres:postgres@${host}:${mapped}/test`
      : `${name === 'redis' ? 'redis' : 'mqtt'}://${host}:${mapped}`;
  return {
    name,
    source: 'container',
    url,
    stop: async () => {
      await started.stop();
    },
  };
}

export interface ResolveOptions {
  env?: NodeJS.ProcessEnv;
  probeLocal?: (port: number) => Promise<boolean>;
  probeDocker?: () => Promise<boolean>;
  startContainer?: (name: ServiceName) => Promise<ResolvedService>;
}

const noop = (): Promise<void> => Promise.resolve();

export async function resolveService(
  name: ServiceName,
  options: ResolveOptions = {},
): Promise<ResolvedService> {
  const env = options.env ?? process.env;
  const spec = SERVICES[name];
  const envUrl = env[spec.envVar] || undefined;
  // Facts are gathered lazily: a probe whose answer cannot change the choice is never run (a Docker ping
  // costs up to a second per socket), and an unprobed fact is passed as false.
  const localReachable =
    envUrl === undefined &&
    (await (options.probeLocal ?? ((p: number) => probeTcp('127.0.0.1', p)))(spec.localPort));
  const docker =
    envUrl === undefined &&
    !localReachable &&
    (await (options.probeDocker ?? (() => dockerAvailable(env)))());
  const source = chooseSource({ envUrl, localReachable, dockerAvailable: docker });
  switch (source) {
    case 'env':
      return { name, source, url: envUrl as string, stop: noop };
    case 'local':
      return { name, source, url: spec.localUrl, stop: noop };
    case 'container':
      return (options.startContainer ?? startContainer)(name);
    case 'missing':
      throw new ServiceUnavailableError(name, missingServiceMessage(name, env.CI === 'true'));
  }
}

/** Resolves in parallel so containers start together; any missing service fails the whole call. */
export async function resolveServices<N extends ServiceName>(
  names: readonly N[],
  options: ResolveOptions = {},
): Promise<Record<N, ResolvedService>> {
  const settled = await Promise.allSettled(names.map((name) => resolveService(name, options)));
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) {
    // Containers that did start would otherwise outlive the failed setup until the reaper notices.
    await Promise.all(
      settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value.stop().catch(() => undefined)] : [])),
    );
    throw failure.reason;
  }
  const resolved = settled.map((s) => (s as PromiseFulfilledResult<ResolvedService>).value);
  return Object.fromEntries(resolved.map((service) => [service.name, service])) as Record<N, ResolvedService>;
}
