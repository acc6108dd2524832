export type { SubgraphContextOptions, SubgraphStatus, SubgraphVersion, TopicLineage } from './SubgraphVersion.js';
export type { RowScope, RowScopeDimension } from './RowScope.js';
export { SubgraphError, SubgraphErrorCode, isSubgraphError } from './SubgraphError.js';
export { validateRowScope } from './validateRowScope.js';
export { subgraphDirectivesSdl } from './subgraphDirectives.js';
export { fieldLineage, typeModel } from './readSubgraphLineage.js';
export type { FieldLineage } from './readSubgraphLineage.js';
export type { ChangeFeedRowsPage, ChangeFeedRowsPlanner, ChangeFeedRowsRequest, RowSelectionField } from './ChangeFeedRows.js';
