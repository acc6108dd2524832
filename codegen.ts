import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed resolvers for every subgraph version (parents are the projection's records), and types
// for contract `.ts` files. `npm run codegen` writes them; CI fails when they are stale.
const resolverConfig = {
  useTypeImports: true,
  enumsAsTypes: true,
  avoidOptionals: false,
  contextType: '../../projections/createOrderTimelineLoaders.js#OrderTimelineLoaders',
  mappers: {
    Order: '../../projections/createOrderTimelineLoaders.js#OrderRecord',
    OrderLine: '../../projections/createOrderTimelineLoaders.js#OrderLineRecord',
    OrderStatusChange: '../../projections/createOrderTimelineLoaders.js#StatusChangeRecord',
  },
  // Cursor: an opaque string (the change feed's position).
  scalars: { DateTime: 'Date | string', Cursor: 'string' },
};

const config: CodegenConfig = {
  overwrite: true,
  generates: {
    'subgraphs/orders/v1/generated/resolvers.ts': {
      schema: 'subgraphs/orders/v1/schema.graphql',
      plugins: ['typescript', 'typescript-resolvers'],
      config: resolverConfig,
    },
    'subgraphs/orders/v2/generated/resolvers.ts': {
      schema: 'subgraphs/orders/v2/schema.graphql',
      plugins: ['typescript', 'typescript-resolvers'],
      config: resolverConfig,
    },
    'subgraphs/fulfillment/v1/generated/resolvers.ts': {
      schema: 'subgraphs/fulfillment/v1/schema.graphql',
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        avoidOptionals: false,
        contextType: '../../projections/createShipmentTrackingLoaders.js#ShipmentTrackingLoaders',
        mappers: {
          Shipment: '../../projections/createShipmentTrackingLoaders.js#ShipmentRecord',
          ShipmentLine: '../../projections/createShipmentTrackingLoaders.js#ShipmentLineRecord',
          ShipmentStatusChange: '../../projections/createShipmentTrackingLoaders.js#ShipmentStatusChangeRecord',
          OrderFulfillment: '../../projections/createShipmentTrackingLoaders.js#OrderFulfillmentRecord',
        },
        scalars: { DateTime: 'Date | string' },
      },
    },
    'subgraphs/payments/v1/generated/resolvers.ts': {
      schema: 'subgraphs/payments/v1/schema.graphql',
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        avoidOptionals: false,
        contextType: '../../projections/createPaymentAttemptsLoaders.js#PaymentAttemptsLoaders',
        mappers: {
          Payment: '../../projections/createPaymentAttemptsLoaders.js#PaymentRecord',
          PaymentCard: '../../projections/createPaymentAttemptsLoaders.js#PaymentCardRecord',
          FraudCheck: '../../projections/createPaymentAttemptsLoaders.js#FraudCheckRecord',
          PaymentCapture: '../../projections/createPaymentAttemptsLoaders.js#PaymentCaptureRecord',
          PaymentRefund: '../../projections/createPaymentAttemptsLoaders.js#PaymentRefundRecord',
          PaymentStatusChange: '../../projections/createPaymentAttemptsLoaders.js#PaymentStatusChangeRecord',
          OrderPayments: '../../projections/createPaymentAttemptsLoaders.js#OrderPaymentsRecord',
        },
        scalars: { DateTime: 'Date | string' },
      },
    },
    'subgraphs/reconciliation/v1/generated/resolvers.ts': {
      schema: 'subgraphs/reconciliation/v1/schema.graphql',
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        avoidOptionals: false,
        contextType: '../../projections/createReconciliationLoaders.js#ReconciliationLoaders',
        mappers: {
          ReconciliationException: '../../projections/createReconciliationLoaders.js#ReconciliationExceptionRecord',
          ExceptionPage: '../../projections/createReconciliationLoaders.js#ExceptionPageRecord',
          ExceptionCount: '../../projections/createReconciliationLoaders.js#ExceptionCountRecord',
          Acknowledgement: '../../projections/createReconciliationLoaders.js#AcknowledgementRecord',
          OrderAgreement: '../../projections/createReconciliationLoaders.js#OrderAgreementRecord',
          LineAgreement: '../../projections/createReconciliationLoaders.js#LineAgreementRecord',
          EvidenceEvent: '../../projections/createReconciliationLoaders.js#EvidenceRecord',
        },
        scalars: { DateTime: 'Date | string' },
      },
    },
    'contracts/generated/customer_order_timeline_v1.ts': {
      schema: ['contracts/directives.graphql', 'contracts/customer_order_timeline/v1.graphql'],
      plugins: ['typescript'],
      config: { useTypeImports: true, enumsAsTypes: true, scalars: { DateTime: 'string' } },
    },
    'contracts/generated/customer_order_timeline_v2.ts': {
      schema: ['contracts/directives.graphql', 'contracts/customer_order_timeline/v2.graphql'],
      plugins: ['typescript'],
      config: { useTypeImports: true, enumsAsTypes: true, scalars: { DateTime: 'string' } },
    },
    'contracts/generated/finance_recognized_sale_v1.ts': {
      schema: ['contracts/directives.graphql', 'contracts/finance_recognized_sale/v1.graphql'],
      plugins: ['typescript'],
      config: { useTypeImports: true, enumsAsTypes: true, scalars: { DateTime: 'string' } },
    },
    'contracts/generated/reconciliation_exceptions_v1.ts': {
      schema: ['contracts/directives.graphql', 'contracts/reconciliation_exceptions/v1.graphql'],
      plugins: ['typescript'],
      config: { useTypeImports: true, enumsAsTypes: true, scalars: { DateTime: 'string' } },
    },
    'contracts/generated/order_journey_v1.ts': {
      schema: ['contracts/directives.graphql', 'contracts/order_journey/v1.graphql'],
      plugins: ['typescript'],
      config: { useTypeImports: true, enumsAsTypes: true, scalars: { DateTime: 'string' } },
    },
    'contracts/generated/partner_order_status_v1.ts': {
      schema: ['contracts/directives.graphql', 'contracts/partner_order_status/v1.graphql'],
      plugins: ['typescript'],
      config: { useTypeImports: true, enumsAsTypes: true, scalars: { DateTime: 'string', Cursor: 'string' } },
    },
    // The catalog web app's operations, typed against the catalog's schema (plucked from the
    // /* GraphQL */ strings of createCatalogSchema.ts): the browser code reads what exists.
    'gateway/catalog/app/generated/catalogOperations.ts': {
      schema: 'gateway/catalog/createCatalogSchema.ts',
      documents: 'gateway/catalog/app/catalogQueries.ts',
      plugins: ['typescript', 'typescript-operations'],
      config: { useTypeImports: true, enumsAsTypes: true, onlyOperationTypes: true, skipTypename: true, avoidOptionals: true, preResolveTypes: true },
    },
  },
  hooks: { afterAllFileWrite: [] },
};

export default config;
