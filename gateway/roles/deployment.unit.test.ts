import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Config, ProcessRole } from '../../platform/config/index.js';
import { loadConfig } from '../../platform/config/index.js';
import { repositoryRoot } from '../../test/support/startRoleProcess.js';
import { roleParts } from './index.js';

// There is no Docker engine on the machines that run the tests: the image definition and the
// compose topology are checked by reading them, against what the code accepts (loadConfig, the
// roles) and what the build produces (tsconfig.build.json, package.json scripts).

interface ComposeService {
  image?: string;
  build?: { context?: string; dockerfile?: string } | string;
  environment?: Record<string, string | number>;
  healthcheck?: { test: string[] | string };
  depends_on?: Record<string, { condition: string }>;
  deploy?: { replicas?: number };
  ports?: string[];
  volumes?: string[];
}
interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

const read = (path: string) => readFileSync(join(repositoryRoot, path), 'utf8');
const compose = parse(read('docker-compose.yml'), { merge: true }) as ComposeFile;
const packageJson = JSON.parse(read('package.json')) as { scripts: Record<string, string>; engines: { node: string } };

/** A value as compose would pass it: `${NAME:?message}` must be set by whoever runs it, so the test sets it. */
const REQUIRED_VALUE = 'x'.repeat(48);
function interpolate(environment: Record<string, string | number>): { env: Record<string, string>; required: string[] } {
  const required: string[] = [];
  const env = Object.fromEntries(
    Object.entries(environment).map(([name, value]) => [
      name,
      String(value).replace(/\$\{([A-Z0-9_]+)(:\?[^}]*)?\}/g, (_, variable: string, mandatory?: string) => {
        if (mandatory) required.push(variable);
        return REQUIRED_VALUE;
      }),
    ]),
  );
  return { env, required };
}

/** loadConfig on `env`, and the names it read: every setting compose passes must be one it knows. */
function loadTracing(env: Record<string, string>): { config: Config; readNames: Set<string> } {
  const readNames = new Set<string>();
  const traced = new Proxy(env, {
    get(target, name) {
      if (typeof name === 'string') readNames.add(name);
      return Reflect.get(target, name);
    },
  });
  return { config: loadConfig(traced), readNames };
}

/** Instructions of each stage of a Dockerfile, continuation lines joined, comments dropped. */
function dockerfileStages(text: string): Array<{ from: string; name: string | null; instructions: Array<{ op: string; args: string }> }> {
  const lines = text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const stages: ReturnType<typeof dockerfileStages> = [];
  const args = new Map<string, string>();
  for (const line of lines) {
    const [, op = '', rest = ''] = /^(\S+)\s+(.*)$/.exec(line) ?? [];
    if (op.toUpperCase() === 'ARG' && stages.length === 0) {
      const [name, value = ''] = rest.split('=');
      args.set(name!, value);
    } else if (op.toUpperCase() === 'FROM') {
      const [image = '', , name = null] = rest.replace(/\$\{(\w+)\}/g, (_, n: string) => args.get(n) ?? '').split(/\s+/);
      stages.push({ from: image, name, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push({ op: op.toUpperCase(), args: rest });
    }
  }
  return stages;
}

const APP_SERVICES: Record<string, ProcessRole> = { gateway: 'gateway', projector: 'projector', simulator: 'simulator' };

describe('docker-compose.yml: the scaled topology', () => {
  it('runs each role as its own service of one image, built once from the Dockerfile', () => {
    const roles = Object.fromEntries(Object.entries(compose.services).filter(([, s]) => s.environment?.ROLE !== undefined).map(([name, s]) => [name, s.environment!.ROLE]));
    expect(roles).toEqual(APP_SERVICES);
    const images = new Set(Object.keys(APP_SERVICES).map((name) => compose.services[name]!.image));
    expect(images.size).toBe(1);
    for (const name of Object.keys(APP_SERVICES)) {
      const build = compose.services[name]!.build;
      expect(build, name).toEqual({ context: '.', dockerfile: 'Dockerfile' });
    }
    expect(existsSync(join(repositoryRoot, 'Dockerfile'))).toBe(true);
  });

  it('gives every role only settings loadConfig knows, and the ones its role needs', () => {
    for (const [name, role] of Object.entries(APP_SERVICES)) {
      const { env, required } = interpolate(compose.services[name]!.environment ?? {});
      const { config, readNames } = loadTracing(env);
      expect(config.role, name).toBe(role);
      expect(Object.keys(env).filter((setting) => !readNames.has(setting)), `${name}: settings loadConfig never reads`).toEqual([]);
      const parts = roleParts(config);
      if (parts.http === 'gateway') {
        // main.ts refuses to serve a shared database without it; compose must refuse to start without it too.
        expect(required, name).toContain('TOKENIZATION_SECRET');
        expect(config.cache.kind, `${name}: replicas share rate limits and sessions through Redis`).toBe('redis');
        // With Redis there, the response cache is shared too: a HIT stored by one replica is served by the other.
        expect(config.responseCache.kind, `${name}: response cache`).toBe('on');
      }
    }
  });

  it('starts each role after the services it uses are healthy, and the gateways after the projectors', () => {
    for (const name of Object.keys(APP_SERVICES)) {
      const service = compose.services[name]!;
      const { config } = loadTracing(interpolate(service.environment ?? {}).env);
      const parts = roleParts(config);
      const hosts = [
        ...(config.eventLog.kind === 'kafka' ? config.eventLog.brokers.map((b) => b.split(':')[0]!) : []),
        ...(config.database.kind === 'postgres' && (parts.projectors || parts.http === 'gateway') ? [new URL(config.database.url).hostname] : []),
        ...(config.cache.kind === 'redis' ? [new URL(config.cache.url).hostname] : []),
        ...(parts.http === 'gateway' ? ['projector'] : []),
      ];
      for (const host of hosts) {
        expect(compose.services[host], `${name} uses ${host}, which is not a service`).toBeDefined();
        expect(service.depends_on?.[host], `${name} depends on ${host}`).toEqual({ condition: 'service_healthy' });
        // Infrastructure declares its check here; the app services inherit the image's HEALTHCHECK.
        if (!(host in APP_SERVICES)) expect(compose.services[host]!.healthcheck, `${host} healthcheck`).toBeDefined();
      }
    }
  });

  it('scales gateways and projectors to two replicas each, within what the topics and host ports allow', () => {
    const replicas = (name: string) => compose.services[name]!.deploy?.replicas ?? 1;
    expect(replicas('gateway')).toBeGreaterThanOrEqual(2);
    expect(replicas('projector')).toBeGreaterThanOrEqual(2);
    // Two simulators would produce the same journeys twice.
    expect(replicas('simulator')).toBe(1);
    const partitions = Number(compose.services.projector!.environment!.TOPIC_PARTITIONS);
    expect(Number(compose.services.kafka!.environment!.KAFKA_NUM_PARTITIONS)).toBe(partitions);
    expect(replicas('projector'), 'a projector replica beyond the partition count would idle').toBeLessThanOrEqual(partitions);
    // Each gateway replica needs a host port of its own.
    const [, from, to] = /^(\d+)-(\d+):4000$/.exec(compose.services.gateway!.ports?.[0] ?? '') ?? [];
    expect(Number(to) - Number(from) + 1).toBeGreaterThanOrEqual(replicas('gateway'));
  });

  it('puts export files on a volume every gateway replica shares', () => {
    const gateway = compose.services.gateway!;
    const directory = String(gateway.environment!.EXPORT_DIRECTORY);
    const mount = gateway.volumes?.find((v) => v.endsWith(`:${directory}`));
    expect(mount).toBeDefined();
    expect(Object.keys(compose.volumes ?? {})).toContain(mount!.split(':')[0]);
    // The image creates it owned by its non-root user, so the fresh volume is writable.
    expect(read('Dockerfile')).toContain(`mkdir -p ${directory}`);
  });
});

describe('Dockerfile: a multi-stage build, compiled output run by Node as a non-root user', () => {
  const stages = dockerfileStages(read('Dockerfile'));
  const [build, runtime] = [stages[0]!, stages.at(-1)!];
  const runs = (stage: typeof build) => stage.instructions.filter((i) => i.op === 'RUN').map((i) => i.args);

  it('compiles in a build stage that has the dev dependencies', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(build.name).toBe('build');
    expect(runs(build).some((r) => /npm ci(?!.*--omit=dev)/.test(r))).toBe(true);
    expect(runs(build).some((r) => r.includes('npm run build'))).toBe(true);
  });

  it('runs with production dependencies and the compiled output only', () => {
    expect(runtime.from).toMatch(/^node:\d+-.*slim$/);
    expect(Number(/^node:(\d+)/.exec(runtime.from)![1])).toBeGreaterThanOrEqual(Number(/(\d+)/.exec(packageJson.engines.node)![1]));
    expect(runs(runtime).some((r) => r.includes('npm ci --omit=dev'))).toBe(true);
    const fromBuild = runtime.instructions.filter((i) => i.op === 'COPY' && i.args.startsWith('--from=build'));
    expect(fromBuild.map((i) => i.args)).toEqual(['--from=build /app/dist ./dist']);
    const user = runtime.instructions.filter((i) => i.op === 'USER').at(-1)?.args;
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user!.split(':')[0]);
    expect(read('.dockerignore').split('\n')).toEqual(expect.arrayContaining(['node_modules', 'dist']));
  });

  it('starts the entry `npm start` runs, and checks health with node (no curl in a slim image)', () => {
    const cmd = JSON.parse(runtime.instructions.filter((i) => i.op === 'CMD').at(-1)!.args) as string[];
    expect(cmd).toEqual(['node', 'dist/gateway/main.js']);
    expect(packageJson.scripts.start).toBe(`npm run build && ${cmd.join(' ')}`);
    // The entry is the build output of gateway/main.ts (tsconfig.build.json: outDir dist, rootDir .).
    const buildConfig = read('tsconfig.build.json');
    expect(buildConfig).toMatch(/"outDir":\s*"dist"/);
    expect(existsSync(join(repositoryRoot, cmd[1]!.replace(/^dist\//, '').replace(/\.js$/, '.ts')))).toBe(true);
    const healthcheck = runtime.instructions.find((i) => i.op === 'HEALTHCHECK')?.args ?? '';
    expect(healthcheck).toMatch(/CMD \["node", "-e", ".*\/health/);
    expect(healthcheck).not.toMatch(/curl|wget/);
  });
});
