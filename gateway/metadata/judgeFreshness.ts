import type { FreshnessBinding } from '../contracts/index.js';
import type { FreshnessBasis, FreshnessStatus, FreshnessTerms, FreshnessVerdict } from './Freshness.js';

/**
 * Judges a measure against a contract's terms. UNKNOWN when nothing can be vouched for (the
 * watermarks could not be read, or the projection has applied nothing and nothing waits).
 * STALE when the processing lag passes the SLA, or, where the SLA binds DATA_AGE, when the
 * newest fact is older than the sources may be silent. FRESH otherwise.
 */
export function judgeFreshness<M extends FreshnessBasis>(measure: M, terms: FreshnessTerms | number): M & FreshnessVerdict {
  const { freshnessSlaSeconds: slaSeconds, freshnessBinds: binds = 'PROCESSING_LAG', maxSourceSilenceSeconds = null } = typeof terms === 'number' ? { freshnessSlaSeconds: terms } : terms;
  const silence = binds === 'DATA_AGE' ? maxSourceSilenceSeconds : null;
  const unknown = measure.unavailable !== undefined || (measure.lastAppliedAt === null && measure.lagEvents === 0);
  const staleBecause: FreshnessBinding[] = [];
  if (!unknown && measure.lagMs > slaSeconds * 1000) staleBecause.push('PROCESSING_LAG');
  if (!unknown && silence !== null && measure.dataAgeMs !== null && measure.dataAgeMs > silence * 1000) staleBecause.push('DATA_AGE');
  const status: FreshnessStatus = unknown ? 'UNKNOWN' : staleBecause.length > 0 ? 'STALE' : 'FRESH';
  return { ...measure, slaSeconds, binds, maxSourceSilenceSeconds: silence, status, staleBecause };
}
