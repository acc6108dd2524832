import type { Logger } from '../../platform/logging/index.js';

export interface StartAnnouncement {
  url: string;
  paths: readonly string[];
  /** One line per port saying which adapter runs (describeServices). */
  services: readonly string[];
}

/**
 * Says the process is up. A log pipeline gets one JSON line (address, paths, adapters; never a
 * credential). The banner (endpoints, demo keys, ready curl lines) is for a person: printed as
 * plain text when stdout is a terminal, or when it holds the only copy of the demo keys (embedded
 * defaults, which are for trying the gateway out, not for a deployment).
 */
export function announceStart(logger: Logger, announcement: StartAnnouncement, banner: string, options: { demoKeys: boolean; isTTY?: boolean }): void {
  logger.info({ url: announcement.url, paths: announcement.paths, services: announcement.services }, 'gateway listening');
  if (options.demoKeys || (options.isTTY ?? Boolean(process.stdout.isTTY))) process.stdout.write(`${banner}\n`);
}
