/** Directives every subgraph SDL declares (and the gateway reads) to state its lineage. */
export const subgraphDirectivesSdl = /* GraphQL */ `
  "Where a field's value comes from: projection, its columns, and the event fields that set them."
  directive @lineage(projection: String!, columns: [String!]!, events: [String!]!) on FIELD_DEFINITION
  "The record an object type resolves from; types of different versions sharing one can be mixed."
  directive @model(name: String!) on OBJECT
`;
