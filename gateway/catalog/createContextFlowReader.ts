import type { ContextModule } from '../../platform/context/index.js';
import { summarize } from '../../platform/context/index.js';
import type { Queryable } from '../../platform/database/index.js';
import { isMissingRelation } from '../../platform/database/index.js';
import type { QuarantineCount } from '../../platform/projection/index.js';
import { countQuarantine } from '../../platform/projection/index.js';
import { logUnexpected } from '../errors/index.js';

/** A context's flow summary as the catalog shows it (see ContextFlowMetrics.summaries); `rows` null when it could not be read now. */
export interface CatalogFlowTable {
  context: string;
  title: string;
  labels: readonly string[];
  rows: Array<{ labels: Record<string, string>; value: number }> | null;
}

/** How one bounded context's flow stands now, for stewards: what it set aside, and its own summaries. */
export interface ContextFlow {
  context: string;
  owner: string;
  description: string;
  /** Quarantine entries per projection, reason and state; null when they could not be read now. */
  quarantine: QuarantineCount[] | null;
  summaries: CatalogFlowTable[];
}

/** A context served by this gateway and the schema its tables live in. */
export interface FlowContext {
  context: Pick<ContextModule, 'name' | 'owner' | 'description' | 'flowMetrics'>;
  schema: string;
}

/** Reads every context's flow now; never fails as a whole. */
export type ContextFlowReader = () => Promise<ContextFlow[]>;

/**
 * Quarantine counts (the aggregate `/admin/quarantine` lists entry by entry) and each context's
 * flow summaries (e.g. open exceptions per owner), read when asked. A context whose projector
 * never ran against this database has no tables yet, so nothing quarantined; one that cannot be
 * read shows as unavailable (logged here), never a failed page.
 */
export function createContextFlowReader(deps: { db: Queryable }, contexts: readonly FlowContext[]): ContextFlowReader {
  const quarantineOf = async ({ context, schema }: FlowContext): Promise<QuarantineCount[] | null> => {
    try {
      return await countQuarantine(deps.db, schema);
    } catch (error) {
      if (isMissingRelation(error)) return [];
      logUnexpected(`catalog: quarantine counts of ${context.name}`, error);
      return null;
    }
  };
  const summariesOf = async ({ context, schema }: FlowContext): Promise<CatalogFlowTable[]> => {
    const flow = context.flowMetrics;
    if (!flow?.summaries?.length) return [];
    const samples = await flow.collect({ db: deps.db, schema }).catch((error: unknown) => {
      if (!isMissingRelation(error)) logUnexpected(`catalog: flow summaries of ${context.name}`, error);
      return null;
    });
    return flow.summaries.map((summary) => ({ context: context.name, title: summary.title, labels: summary.by, rows: samples === null ? null : summarize(samples, summary) }));
  };
  return () =>
    Promise.all(
      contexts.map(async (entry) => ({
        context: entry.context.name,
        owner: entry.context.owner,
        description: entry.context.description,
        quarantine: await quarantineOf(entry),
        summaries: await summariesOf(entry),
      })),
    );
}
