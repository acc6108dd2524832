import type { Config, ProcessRole } from '../../platform/config/index.js';
import { UnreachableCaseError } from '../../platform/errors/index.js';

/** What a process of a role runs: derived from ROLE (and SIMULATOR for `all`) in one place. */
export interface RoleParts {
  role: ProcessRole;
  /** The projectors of every context of the registry, settling included. */
  projectors: boolean;
  /** The simulator's two feeds (live journeys and a week of backfill) into the event log. */
  simulator: boolean;
  /**
   * `gateway`: every route (contracts, catalog, admin, metrics, /health). `health`: `GET /health`
   * only, on HOST:PORT, so one probe (the image's HEALTHCHECK, a Kubernetes liveness probe) works
   * for every role; a worker has nothing else to serve, and its progress is read from the
   * database by the gateways (watermarks, lag and flow metrics).
   */
  http: 'gateway' | 'health';
}

export function roleParts(config: Pick<Config, 'role' | 'simulator'>): RoleParts {
  const { role } = config;
  switch (role) {
    case 'all':
      return { role, projectors: true, simulator: config.simulator.enabled, http: 'gateway' };
    case 'gateway':
      return { role, projectors: false, simulator: false, http: 'gateway' };
    case 'projector':
      return { role, projectors: true, simulator: false, http: 'health' };
    case 'simulator':
      return { role, projectors: false, simulator: true, http: 'health' };
    default:
      throw new UnreachableCaseError(role);
  }
}

/** One banner line saying what this process runs and what runs elsewhere. */
export function describeRole(parts: RoleParts): string {
  switch (parts.role) {
    case 'all':
      return 'role:      all (projectors, simulator and gateway in this process; ROLE=gateway, projector or simulator splits them)';
    case 'gateway':
      return 'role:      gateway (HTTP only; ROLE=projector processes keep the projections, a ROLE=simulator process produces demo traffic)';
    case 'projector':
      return 'role:      projector (every context; more ROLE=projector processes share the partitions through the consumer groups)';
    case 'simulator':
      return 'role:      simulator (produces simulated order journeys; ROLE=projector processes consume them)';
    default:
      throw new UnreachableCaseError(parts.role);
  }
}
