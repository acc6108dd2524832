export type { SubgraphStatus, SubgraphVersion, TopicLineage } from './SubgraphVersion.js';
export { subgraphDirectivesSdl } from './subgraphDirectives.js';
export { fieldLineage, typeModel } from './readSubgraphLineage.js';
export type { FieldLineage } from './readSubgraphLineage.js';
