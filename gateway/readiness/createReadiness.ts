import type { Database } from '../../platform/database/index.js';
import type { Logger } from '../../platform/logging/index.js';
import type { ProjectorReadiness } from '../../platform/projection/index.js';

export interface ReadinessOptions {
  /**
   * The projectors this process runs: each must be running with every consumer assigned (see
   * ConsumerState). Default none: a process that only serves queries is ready with its database.
   */
  projectors?: ReadonlyArray<{ readiness(): ProjectorReadiness }>;
  /**
   * How long the database may take to answer `select 1`. Default 1000 ms: Kubernetes' default
   * probe timeout is 1 s, and a database slower than that cannot serve a page in time anyway.
   */
  databaseTimeoutMs?: number;
}

export interface ReadinessCheck {
  name: string;
  ready: boolean;
  /** Says what is not ready in words that reveal nothing: no host, no error text, no data. */
  detail: string;
}

export interface ReadinessReport {
  ready: boolean;
  checks: ReadinessCheck[];
}

export interface Readiness {
  check(): Promise<ReadinessReport>;
}

/**
 * `/ready`: may traffic be sent here? The database answers, and the projectors this process runs
 * have joined their consumer groups. Liveness (`/health`) checks none of this: a database outage
 * must take replicas out of the load balancer, not get them restarted.
 */
export function createReadiness(deps: { db: Pick<Database, 'query'> }, options: ReadinessOptions = {}, logger?: Logger): Readiness {
  const timeoutMs = options.databaseTimeoutMs ?? 1000;
  const projectors = options.projectors ?? [];
  // A failing check is logged when it starts failing and when it recovers, not at every probe.
  let lastReady: boolean | null = null;

  const database = async (): Promise<ReadinessCheck> => {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      const answer = await Promise.race([deps.db.query('select 1').then(() => 'answered' as const), timeout]);
      if (answer === 'timeout') return { name: 'database', ready: false, detail: `did not answer select 1 within ${timeoutMs} ms` };
      return { name: 'database', ready: true, detail: `answered select 1 in ${Math.round(performance.now() - started)} ms` };
    } catch (error) {
      logger?.warn({ err: error }, 'readiness: the database query failed');
      return { name: 'database', ready: false, detail: 'select 1 failed (see the server log)' };
    } finally {
      clearTimeout(timer);
    }
  };

  const projector = (readiness: ProjectorReadiness): ReadinessCheck => {
    const waiting = readiness.consumers.filter((c) => c.state !== 'assigned');
    const detail =
      readiness.phase !== 'running' ? `projector ${readiness.phase}` : waiting.length === 0 ? `${readiness.consumers.length} consumer(s) assigned` : waiting.map((c) => `${c.projection} ${c.state}`).join(', ');
    return { name: `projector ${readiness.schema}`, ready: readiness.ready, detail };
  };

  return {
    async check() {
      const checks = [await database(), ...projectors.map((p) => projector(p.readiness()))];
      const ready = checks.every((c) => c.ready);
      if (ready !== lastReady) {
        if (ready) logger?.info({ checks: checks.map((c) => c.name) }, 'ready');
        else logger?.warn({ notReady: checks.filter((c) => !c.ready) }, 'not ready');
        lastReady = ready;
      }
      return { ready, checks };
    },
  };
}
