import { createServer as createHttpServer, Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  chooseSource,
  dockerAvailable,
  missingServiceMessage,
  probeTcp,
  ResolvedService,
  resolveService,
  resolveServices,
  ServiceName,
  ServiceSource,
  ServiceUnavailableError,
  SourceFacts,
} from './service-discovery';

describe('chooseSource', () => {
  const url = 'redis://elsewhere:6379';
  const cases: Array<[SourceFacts, ServiceSource]> = [
    [{ envUrl: url, localReachable: true, dockerAvailable: true }, 'env'],
    [{ envUrl: url, localReachable: true, dockerAvailable: false }, 'env'],
    [{ envUrl: url, localReachable: false, dockerAvailable: true }, 'env'],
    [{ envUrl: url, localReachable: false, dockerAvailable: false }, 'env'],
    [{ envUrl: undefined, localReachable: true, dockerAvailable: true }, 'local'],
    [{ envUrl: undefined, localReachable: true, dockerAvailable: false }, 'local'],
    [{ envUrl: undefined, localReachable: false, dockerAvailable: true }, 'container'],
    [{ envUrl: undefined, localReachable: false, dockerAvailable: false }, 'missing'],
    // An empty variable means unset, as in loadConfig, so `REDIS_URL= npm test` does not pick a blank URL.
    [{ envUrl: '', localReachable: true, dockerAvailable: true }, 'local'],
    [{ envUrl: '', localReachable: false, dockerAvailable: true }, 'container'],
    [{ envUrl: '', localReachable: false, dockerAvailable: false }, 'missing'],
  ];
  it.each(cases)('%j -> %s', (facts, expected) => {
    expect(chooseSource(facts)).toBe(expected);
  });
});

describe('missingServiceMessage', () => {
  it.each<[ServiceName, string, number, string]>([
    ['postgres', 'DATABASE_URL', 5432, 'timescale/timescaledb:latest-pg15'],
    ['redis', 'REDIS_URL', 6379, 'redis:7'],
    ['mqtt', 'MQTT_URL', 1883, 'eclipse-mosquitto:2'],
  ])('in CI names %s and the three ways to provide it', (name, envVar, port, image) => {
    const message = missingServiceMessage(name, true);
    expect(message).toContain('CI=true');
    expect(message).toContain(`${name} is not available`);
    expect(message).toContain(`set ${envVar}`);
    expect(message).toContain(`127.0.0.1:${port}`);
    expect(message).toContain(`Testcontainers can run ${image}`);
  });

  it('outside CI still names the service and says tests do not skip', () => {
    const message = missingServiceMessage('redis', false);
    expect(message).not.toContain('CI=true');
    expect(message).toContain('redis is not available');
    expect(message).toContain('never skip silently');
  });
});

describe('resolveService', () => {
  const fakeContainer = (name: ServiceName): Promise<ResolvedService> =>
    Promise.resolve({
      name,
      source: 'container',
      url: `${name}://container:1`,
      stop: () => Promise.resolve(),
    });

  it('takes the environment URL without probing anything', async () => {
    const probeLocal = jest.fn(() => Promise.resolve(true));
    const probeDocker = jest.fn(() => Promise.resolve(true));
    const service = await resolveService('redis', {
      env: { REDIS_URL: 'redis://cache.internal:6380' },
      probeLocal,
      probeDocker,
    });
    expect(service).toMatchObject({ name: 'redis', source: 'env', url: 'redis://cache.internal:6380' });
    expect(probeLocal).not.toHaveBeenCalled();
    expect(probeDocker).not.toHaveBeenCalled();
  });

  it('takes the loopback server on its standard port without pinging Docker', async () => {
    const probeLocal = jest.fn((_port: number) => Promise.resolve(true));
    const probeDocker = jest.fn(() => Promise.resolve(true));
    const service = await resolveService('mqtt', { env: {}, probeLocal, probeDocker });
    expect(service).toMatchObject({ source: 'local', url: 'mqtt://127.0.0.1:1883' });
    expect(probeLocal).toHaveBeenCalledWith(1883);
    expect(probeDocker).not.toHaveBeenCalled();
  });

  it('starts a container when only Docker is there', async () => {
    const startContainer = jest.fn(fakeContainer);
    const service = await resolveService('postgres', {
      env: { DATABASE_URL: '' },
      probeLocal: () => Promise.resolve(false),
      probeDocker: () => Promise.resolve(true),
      startContainer,
    });
    expect(service).toMatchObject({ source: 'container', url: 'postgres://container:1' });
    expect(startContainer).toHaveBeenCalledWith('postgres');
  });

  it.each([['true'], [undefined]])('throws when nothing provides the service (CI=%s)', async (ci) => {
    const attempt = resolveService('redis', {
      env: { CI: ci },
      probeLocal: () => Promise.resolve(false),
      probeDocker: () => Promise.resolve(false),
    });
    await expect(attempt).rejects.toThrow(ServiceUnavailableError);
    await expect(attempt).rejects.toThrow(missingServiceMessage('redis', ci === 'true'));
  });

  it('resolveServices keys results by name', async () => {
    const probeLocal = (port: number): Promise<boolean> => Promise.resolve(port !== 1883);
    const both = await resolveServices(['postgres', 'redis'], { env: {}, probeLocal });
    expect(both.postgres.url).toBe('postgres://postgres@127.0.0.1:5432/test');
    expect(both.redis.url).toBe('redis://127.0.0.1:6379');
  });

  it('resolveServices stops the containers it started when another service is missing', async () => {
    const stop = jest.fn(() => Promise.resolve());
    await expect(
      resolveServices(['redis', 'mqtt'], {
        env: { CI: 'true' },
        probeLocal: () => Promise.resolve(false),
        // Docker answers for the first probe only, so redis gets a container and mqtt is missing.
        probeDocker: jest.fn().mockResolvedValueOnce(true).mockResolvedValue(false),
        startContainer: (name) => fakeContainer(name).then((s) => ({ ...s, stop })),
      }),
    ).rejects.toThrow('mqtt is not available');
    expect(stop).toHaveBeenCalledTimes(1);
  });
});

describe('probeTcp (real sockets)', () => {
  it('sees the local Redis on 127.0.0.1:6379', async () => {
    await expect(probeTcp('127.0.0.1', 6379)).resolves.toBe(true);
  });

  it('resolveService with the real probes finds the loopback Redis and Mosquitto', async () => {
    // env is emptied so a REDIS_URL/MQTT_URL set on the runner cannot mask the probe under test.
    const found = await resolveServices(['redis', 'mqtt'], { env: {} });
    expect(found.redis).toMatchObject({ source: 'local', url: 'redis://127.0.0.1:6379' });
    expect(found.mqtt).toMatchObject({ source: 'local', url: 'mqtt://127.0.0.1:1883' });
  });

  it('reports a closed port as unreachable', async () => {
    // A port the kernel just handed out and we then released is closed, unlike a guessed number.
    const server = createTcpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    await expect(probeTcp('127.0.0.1', port)).resolves.toBe(false);
  });
});

describe('dockerAvailable (real sockets, fake daemon)', () => {
  let dir: string;
  let server: HttpServer | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'docker-probe-'));
  });

  afterEach(async () => {
    if (server) await new Promise<void>((resolve) => server?.close(() => resolve()));
    server = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const fakeDaemon = (status: number): HttpServer =>
    createHttpServer((req, res) => {
      res.statusCode = req.url === '/_ping' ? status : 404;
      res.end('OK');
    });

  it('is true when the DOCKER_HOST unix socket answers /_ping', async () => {
    const socketPath = join(dir, 'docker.sock');
    server = fakeDaemon(200);
    await new Promise<void>((resolve) => server?.listen(socketPath, resolve));
    await expect(dockerAvailable({ DOCKER_HOST: `unix://${socketPath}` })).resolves.toBe(true);
  });

  it('is true when a tcp:// DOCKER_HOST answers /_ping', async () => {
    server = fakeDaemon(200);
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await expect(dockerAvailable({ DOCKER_HOST: `tcp://127.0.0.1:${port}` })).resolves.toBe(true);
  });

  it('is false when the daemon answers with an error', async () => {
    const socketPath = join(dir, 'docker.sock');
    server = fakeDaemon(500);
    await new Promise<void>((resolve) => server?.listen(socketPath, resolve));
    await expect(dockerAvailable({ DOCKER_HOST: `unix://${socketPath}` })).resolves.toBe(false);
  });

  it('is false when the DOCKER_HOST socket does not exist', async () => {
    await expect(dockerAvailable({ DOCKER_HOST: `unix://${join(dir, 'absent.sock')}` })).resolves.toBe(false);
  });
});
