import type {
  ContractPageQuery,
  ContractPageQueryVariables,
  DeprecationsQuery,
  DeprecationsQueryVariables,
  FieldPageQuery,
  FieldPageQueryVariables,
  FlowsQuery,
  FlowsQueryVariables,
  LineageImpactQuery,
  LineageImpactQueryVariables,
  SearchQuery,
  SearchQueryVariables,
  ViewerQuery,
  ViewerQueryVariables,
} from './generated/catalogOperations.js';

/**
 * An operation on the catalog API with the types of its result and variables, which
 * `npm run codegen` generates from these documents and the catalog's schema
 * (gateway/catalog/createCatalogSchema.ts): a field the app reads exists, with the type it has.
 */
export interface CatalogOperation<TData, TVariables> {
  readonly source: string;
  /** Never set: carries the types. */
  readonly types?: (variables: TVariables) => TData;
}

const operation = <TData, TVariables>(source: string): CatalogOperation<TData, TVariables> => ({ source });

export const viewerOperation = operation<ViewerQuery, ViewerQueryVariables>(/* GraphQL */ `
  query Viewer {
    viewer {
      name
      audience
      operator
    }
  }
`);

export const searchOperation = operation<SearchQuery, SearchQueryVariables>(/* GraphQL */ `
  query Search($text: String!, $filters: [SearchFilter!]!, $first: Int!) {
    search(text: $text, filters: $filters, first: $first) {
      total
      contracts
      fields
      hits {
        matchedOn
        contract {
          name
          version
          owner
          audience
          tier
          status
          description
        }
        field {
          coordinate
          type
          description
          classification
          deprecation {
            sunset
          }
        }
      }
      facets {
        facet
        values {
          value
          count
          selected
        }
      }
    }
  }
`);

export const contractPageOperation = operation<ContractPageQuery, ContractPageQueryVariables>(/* GraphQL */ `
  query ContractPage($name: String!, $version: Int!) {
    viewer {
      audience
    }
    contract(name: $name, version: $version) {
      name
      version
      path
      owner
      audience
      consumers
      tier
      description
      changePolicy
      deliveryGuarantee
      latencyProfile
      freshnessSlaSeconds
      status
      sunset
      sdl
      freshnessBinds
      maxSourceSilenceSeconds
      freshness {
        projection
        measuredAt
        asOfEventTime
        lastAppliedAt
        lagEvents
        lagMs
        dataAgeMs
        slaSeconds
        binds
        maxSourceSilenceSeconds
        status
        staleBecause
        unavailable
        sources {
          topic
          newestEventTime
          silentForMs
        }
      }
      freshnessHistory {
        projection
        slaSeconds
        binds
        maxSourceSilenceSeconds
        samples {
          at
          lagEvents
          lagMs
          dataAgeMs
          status
          staleBecause
          unavailable
        }
      }
      usage {
        client
        kind
        today
        last7Days
        last30Days
        lastSeenAt
      }
      fields {
        coordinate
        type
        description
        classification
        derived
        lineageWithheld
        redactions {
          audience
          strategy
          mask
        }
        deprecation {
          reason
          sunset
          deprecatedOn
          replacement
        }
        usage {
          client
          kind
          today
          last7Days
          last30Days
          lastSeenAt
        }
      }
      diffFromPrevious {
        previousVersion
        changes {
          type
          criticality
          path
          message
          reason
          before
          after
        }
      }
    }
  }
`);

export const fieldPageOperation = operation<FieldPageQuery, FieldPageQueryVariables>(/* GraphQL */ `
  query FieldPage($name: String!, $version: Int!, $coordinate: String!) {
    contract(name: $name, version: $version) {
      name
      version
      owner
      field(coordinate: $coordinate) {
        coordinate
        type
        description
        classification
        derived
        lineageWithheld
        redactions {
          audience
          strategy
          mask
        }
        deprecation {
          reason
          sunset
          replacement
        }
        lineageVia {
          parent
          lineage {
            projection
            columns
            topics {
              topic
            }
            via
          }
        }
        lineageGraph {
          nodes {
            id
            kind
            label
            detail
            contractField {
              contract
              version
              coordinate
            }
          }
          edges {
            from
            to
          }
        }
      }
    }
  }
`);

export const lineageImpactOperation = operation<LineageImpactQuery, LineageImpactQueryVariables>(/* GraphQL */ `
  query LineageImpact($node: ID!) {
    lineageImpact(node: $node) {
      nodes {
        id
        kind
        label
        detail
        contractField {
          contract
          version
          coordinate
        }
      }
      edges {
        from
        to
      }
    }
  }
`);

export const deprecationsOperation = operation<DeprecationsQuery, DeprecationsQueryVariables>(/* GraphQL */ `
  query Deprecations {
    viewer {
      audience
    }
    deprecations {
      kind
      sunset
      reason
      replacement
      contract {
        name
        version
        status
        usage {
          client
          kind
          last30Days
          lastSeenAt
        }
      }
      field {
        coordinate
        usage {
          client
          kind
          last30Days
          lastSeenAt
        }
      }
      subgraph {
        id
        path
      }
    }
  }
`);

export const flowsOperation = operation<FlowsQuery, FlowsQueryVariables>(/* GraphQL */ `
  query Flows {
    contexts {
      context
      owner
      description
      quarantine {
        projection
        reasonCode
        state
        entries
      }
      summaries {
        title
        labels
        rows {
          labels
          value
        }
      }
    }
  }
`);
