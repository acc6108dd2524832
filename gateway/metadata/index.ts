export { collectSelectedFields } from './collectSelectedFields.js';
export { createFreshnessReader } from './createFreshnessReader.js';
export type { Freshness, FreshnessReader, FreshnessReaderOptions, FreshnessStatus } from './createFreshnessReader.js';
export { useDeprecationNotices } from './useDeprecationNotices.js';
export { useFreshness } from './useFreshness.js';
export { useLineageRefs } from './useLineageRefs.js';
export { useSubgraphDeprecation } from './useSubgraphDeprecation.js';
export { useRedactionNotices } from './useRedactionNotices.js';
