import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { configSchema, loadConfig } from '@cw/config';

/**
 * docker-compose.yml cannot be brought up on the CI machine (no Docker engine), so this is what keeps it honest:
 * a removed service, a misspelt variable or a URL pointing at the wrong host fails here instead of at deploy time.
 */

const ROOT = join(__dirname, '..', '..');
const INFRA = ['timescaledb', 'redis', 'mosquitto'] as const;
const APPS = ['api', 'ingest', 'worker'] as const;
type InfraName = (typeof INFRA)[number];

/** Which compose service each platform URL must point at, and on which port. */
const URL_TARGETS: Record<'DATABASE_URL' | 'REDIS_URL' | 'MQTT_URL', { service: InfraName; port: string }> = {
  DATABASE_URL: { service: 'timescaledb', port: '5432' },
  REDIS_URL: { service: 'redis', port: '6379' },
  MQTT_URL: { service: 'mosquitto', port: '1883' },
};

/** Values the operator would put in .env; URL-safe so they survive being spliced into DATABASE_URL. */
const SAMPLE_VARS: Record<string, string> = {
  ADMIN_API_KEY: 'sample-admin-key-0123456789abcdef',
  POSTGRES_PASSWORD: 'sample-db-password',
};

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
// Compose accepts both the map and the list spelling; normalising both keeps the test about content, not style.
const serviceSchema = z
  .object({
    image: z.string().optional(),
    build: z.unknown().optional(),
    command: z.union([z.string(), z.array(z.string())]).optional(),
    environment: z.union([z.record(scalar), z.array(z.string())]).optional(),
    depends_on: z
      .union([z.array(z.string()), z.record(z.object({ condition: z.string().optional() }).passthrough())])
      .optional(),
    healthcheck: z
      .object({ test: z.union([z.string(), z.array(z.string())]) })
      .passthrough()
      .optional(),
    ports: z.array(z.union([z.string(), z.number()])).optional(),
    volumes: z.array(z.string()).optional(),
    deploy: z.object({ replicas: z.number().optional() }).passthrough().optional(),
  })
  .passthrough();
const composeSchema = z.object({ services: z.record(serviceSchema) }).passthrough();
type Service = z.infer<typeof serviceSchema>;

function envOf(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((entry) => [entry.split('=')[0], entry.slice(entry.indexOf('=') + 1)]));
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

function dependsOn(service: Service): Record<string, string | undefined> {
  const deps = service.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d) => [d, undefined]));
  return Object.fromEntries(Object.entries(deps).map(([k, v]) => [k, v.condition]));
}

const VAR = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** The subset of Compose interpolation the file may use: ${V}, ${V:-d}, ${V-d}, ${V:?e}, ${V?e}, $V and $$. */
function interpolate(value: string, vars: Record<string, string>): string {
  return value.replace(VAR, (match, braced?: string, op?: string, arg?: string, bare?: string) => {
    if (match === '$$') return '$';
    const name = braced ?? bare ?? '';
    const v = vars[name];
    const emptyIsUnset = op?.startsWith(':') ?? false;
    const missing = v === undefined || (emptyIsUnset && v === '');
    if (op?.endsWith('-')) return missing ? (arg ?? '') : v;
    if (op?.endsWith('?') && missing) throw new Error(`required variable ${name} is missing: ${arg ?? ''}`);
    return v ?? '';
  });
}

/** Compose interpolates values only (not keys, not comments), so the parsed document is walked, not the text. */
function referencedVars(node: unknown): string[] {
  if (typeof node === 'string') {
    return [...node.matchAll(VAR)].map((m) => m[1] ?? m[4]).filter((n): n is string => n !== undefined);
  }
  if (Array.isArray(node)) return node.flatMap(referencedVars);
  if (node !== null && typeof node === 'object') return Object.values(node).flatMap(referencedVars);
  return [];
}

function parseDotenv(text: string): Record<string, string> {
  const entries = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const eq = line.indexOf('=');
      if (eq <= 0) throw new Error(`.env.example: not NAME=value: ${line}`);
      return [line.slice(0, eq), line.slice(eq + 1)] as const;
    });
  return Object.fromEntries(entries);
}

const composeText = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
const composeDocument: unknown = parse(composeText);
const compose = composeSchema.parse(composeDocument);
const schemaKeys = Object.keys(configSchema.shape);
const envExample = parseDotenv(readFileSync(join(ROOT, '.env.example'), 'utf8'));

function service(name: string): Service {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}

function appEnvInterpolated(app: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(envOf(service(app))).map(([k, v]) => [k, interpolate(v, SAMPLE_VARS)]),
  );
}

describe('docker-compose.yml', () => {
  it('has the infrastructure and the three apps', () => {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining([...INFRA, ...APPS]));
  });

  it.each<[InfraName, string]>([
    ['timescaledb', 'timescale/timescaledb:latest-pg15'],
    ['redis', 'redis:7-alpine'],
    ['mosquitto', 'eclipse-mosquitto:2'],
  ])('%s runs %s with a healthcheck', (name, image) => {
    expect(service(name).image).toBe(image);
    expect(service(name).healthcheck).toBeDefined();
  });

  it('mounts the broker config from docker/mosquitto', () => {
    const mounts = service('mosquitto').volumes ?? [];
    expect(
      mounts.some((m) => m.startsWith('./docker/mosquitto/mosquitto.conf:/mosquitto/config/mosquitto.conf')),
    ).toBe(true);
    expect(readFileSync(join(ROOT, 'docker/mosquitto/mosquitto.conf'), 'utf8')).toMatch(/^listener 1883/m);
  });

  describe.each(APPS)('%s', (app) => {
    it('is built from the repo Dockerfile and runs its own entry point', () => {
      expect(service(app).build).toBeDefined();
      const command = service(app).command;
      const argv = Array.isArray(command) ? command : (command ?? '').split(/\s+/);
      expect(argv).toContain(`apps/${app}/src/main.ts`);
      expect(argv).toContain('tsconfig-paths/register');
    });

    it('probes its own /health on its PORT', () => {
      const test = service(app).healthcheck?.test ?? [];
      const probe = Array.isArray(test) ? test.join(' ') : test;
      expect(probe).toContain(`127.0.0.1:${appEnvInterpolated(app).PORT}/health`);
    });

    it('sets only variables the platform knows', () => {
      const unknown = Object.keys(envOf(service(app))).filter((k) => !schemaKeys.includes(k));
      expect(unknown).toEqual([]);
    });

    it('points every URL at the compose service on its port', () => {
      const env = appEnvInterpolated(app);
      for (const [variable, target] of Object.entries(URL_TARGETS)) {
        // An unset URL would not fail: the app would silently fall back to an embedded, single-process piece.
        expect({ variable, set: env[variable] !== undefined }).toEqual({ variable, set: true });
        const url = new URL(env[variable]);
        expect({ variable, host: url.hostname, port: url.port }).toEqual({
          variable,
          host: target.service,
          port: target.port,
        });
      }
    });

    it('reaches the database with the credentials the timescaledb service is created with', () => {
      const db = Object.fromEntries(
        Object.entries(envOf(service('timescaledb'))).map(([k, v]) => [k, interpolate(v, SAMPLE_VARS)]),
      );
      const url = new URL(appEnvInterpolated(app).DATABASE_URL);
      expect({ user: url.username, password: url.password, database: url.pathname.slice(1) }).toEqual({
        user: db.POSTGRES_USER,
        password: db.POSTGRES_PASSWORD,
        database: db.POSTGRES_DB,
      });
    });

    it('waits for the health of the infrastructure it uses', () => {
      const env = envOf(service(app));
      const used = Object.entries(URL_TARGETS)
        .filter(([variable]) => env[variable] !== undefined)
        .map(([, target]) => target.service);
      const deps = dependsOn(service(app));
      for (const infra of used) {
        expect({ infra, condition: deps[infra] }).toEqual({ infra, condition: 'service_healthy' });
      }
    });

    it('passes loadConfig once ${...} is substituted', () => {
      const config = loadConfig(appEnvInterpolated(app));
      expect(config.NODE_ENV).toBe('production');
    });
  });

  it('publishes the api on its PORT and no infrastructure port', () => {
    const port = appEnvInterpolated('api').PORT;
    expect(service('api').ports).toContainEqual(`${port}:${port}`);
    for (const infra of INFRA) expect(service(infra).ports).toBeUndefined();
  });

  it('scales ingest out only behind an external broker, with a shared-subscription group and per-replica client ids', () => {
    const replicas = service('ingest').deploy?.replicas ?? 1;
    const config = loadConfig(appEnvInterpolated('ingest'));
    if (replicas > 1) {
      expect(config.MQTT_URL).toBeDefined();
      expect(config.MQTT_SHARE_GROUP).toMatch(/\S/);
      // One fixed client id across replicas makes the broker disconnect them in turn.
      expect(config.MQTT_CLIENT_ID).toBeUndefined();
    }
  });

  it('refuses to interpolate without the required secrets', () => {
    const api = envOf(service('api'));
    expect(() => interpolate(api.ADMIN_API_KEY, {})).toThrow('required variable ADMIN_API_KEY');
    expect(() => interpolate(api.DATABASE_URL, { ADMIN_API_KEY: 'x' })).toThrow(
      'required variable POSTGRES_PASSWORD',
    );
  });
});

describe('.env.example', () => {
  it('lists every variable of the config schema', () => {
    expect(schemaKeys.filter((k) => !(k in envExample))).toEqual([]);
  });

  it('lists every variable docker-compose.yml interpolates', () => {
    const used = [...new Set(referencedVars(composeDocument))];
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((k) => !(k in envExample))).toEqual([]);
  });

  it('lists nothing the platform or docker-compose.yml does not read', () => {
    const known = new Set([...schemaKeys, ...referencedVars(composeDocument)]);
    expect(Object.keys(envExample).filter((k) => !known.has(k))).toEqual([]);
  });

  it('passes loadConfig as it stands, and carries no secret', () => {
    expect(() => loadConfig(envExample)).not.toThrow();
    expect(envExample.ADMIN_API_KEY).toBe('');
    expect(envExample.POSTGRES_PASSWORD).toBe('');
  });
});

describe('compose interpolation helper', () => {
  it.each<[string, Record<string, string>, string]>([
    ['${A}', { A: 'x' }, 'x'],
    ['${A:-d}', {}, 'd'],
    ['${A:-d}', { A: '' }, 'd'],
    ['${A-d}', { A: '' }, ''],
    ['${A:?boom}', { A: 'x' }, 'x'],
    ['$A/$$B', { A: 'x' }, 'x/$B'],
  ])('%s with %j -> %s', (input, vars, expected) => {
    expect(interpolate(input, vars)).toBe(expected);
  });
});
