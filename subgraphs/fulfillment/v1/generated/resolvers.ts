import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { ShipmentRecord, ShipmentLineRecord, ShipmentStatusChangeRecord, OrderFulfillmentRecord, ShipmentTrackingLoaders } from '../../projections/createShipmentTrackingLoaders.js';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** RFC 3339 timestamp, UTC, milliseconds. */
  DateTime: { input: Date | string; output: Date | string; }
};

export type Carrier =
  | 'COLISSIMO'
  | 'DHL'
  | 'ROYAL_MAIL'
  | 'UPS';

/** What fulfillment knows of one order: its release to the warehouse and its shipments. */
export type OrderFulfillment = {
  __typename?: 'OrderFulfillment';
  orderId: Scalars['ID']['output'];
  /** When the order was released to the warehouse, awaiting a shipment wave (event time); null if it was not, or no system reported it. */
  releasedToWarehouseAt?: Maybe<Scalars['DateTime']['output']>;
  /** The order's shipments, oldest first; empty when none was created. An order may ship in several (split shipments), from several warehouses. */
  shipments: Array<Shipment>;
};

export type Query = {
  __typename?: 'Query';
  /**
   * What fulfillment knows of each order, one entry per id given and in that order, even when it
   * knows nothing yet (no release, no shipments): shipments can be reported before the order is
   * known anywhere else. At most 1000 ids.
   */
  fulfillmentByOrderIds: Array<OrderFulfillment>;
  /**
   * Ids of the orders with at least one shipment dispatched (ShipmentDispatched, by event time) in
   * [from, until), each once, in id order; empty when none. For views by business date that must
   * find their orders without reading every shipment: one indexed statement. The window is at most
   * 31 days, and `until` is not before `from`.
   */
  orderIdsDispatchedBetween: Array<Scalars['ID']['output']>;
  /** One shipment by id, or null when unknown. */
  shipment?: Maybe<Shipment>;
  /** Batch lookup by key, in the order of the ids given; null where unknown. At most 1000 ids. */
  shipmentsByIds: Array<Maybe<Shipment>>;
};


export type QueryFulfillmentByOrderIdsArgs = {
  orderIds: Array<Scalars['ID']['input']>;
};


export type QueryOrderIdsDispatchedBetweenArgs = {
  from: Scalars['DateTime']['input'];
  until: Scalars['DateTime']['input'];
};


export type QueryShipmentArgs = {
  shipmentId: Scalars['ID']['input'];
};


export type QueryShipmentsByIdsArgs = {
  shipmentIds: Array<Scalars['ID']['input']>;
};

/** A delivery address. Personal data, every field. */
export type ShipTo = {
  __typename?: 'ShipTo';
  city: Scalars['String']['output'];
  /** ISO 3166-1 alpha-2. */
  country: Scalars['String']['output'];
  line1: Scalars['String']['output'];
  name: Scalars['String']['output'];
  postalCode: Scalars['String']['output'];
};

/** One shipment: some of an order's lines, from one warehouse. */
export type Shipment = {
  __typename?: 'Shipment';
  cancellationReason?: Maybe<ShipmentCancellationReason>;
  cancelledAt?: Maybe<Scalars['DateTime']['output']>;
  /** Null until dispatched. */
  carrier?: Maybe<Carrier>;
  /** When the warehouse accepted the fulfillment task (event time). */
  createdAt: Scalars['DateTime']['output'];
  deliveredAt?: Maybe<Scalars['DateTime']['output']>;
  /** When the parcel was handed to the carrier (event time); null until then. */
  dispatchedAt?: Maybe<Scalars['DateTime']['output']>;
  /** The order lines this shipment covers, by lineId. A lineId the order lacks is kept: shipped against an ordered quantity of 0. */
  lines: Array<ShipmentLine>;
  orderId: Scalars['ID']['output'];
  pickedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Where the parcel goes. Personal data. */
  shipTo: ShipTo;
  shipmentId: Scalars['ID']['output'];
  shipmentStatus: ShipmentStatus;
  /** Who signed for the delivery; null until delivered, or when nobody signed. Personal data. */
  signedBy?: Maybe<Scalars['String']['output']>;
  /** Every status the shipment reached, oldest first, with its event time. */
  statusHistory: Array<ShipmentStatusChange>;
  /** Null until dispatched. */
  trackingNumber?: Maybe<Scalars['String']['output']>;
  warehouseId: Scalars['String']['output'];
  /** The picking wave the shipment was planned in, e.g. 2026-11-02-W2. */
  wave: Scalars['String']['output'];
};

export type ShipmentCancellationReason =
  | 'ADDRESS_INVALID'
  | 'ORDER_CANCELLED'
  | 'OUT_OF_STOCK';

export type ShipmentLine = {
  __typename?: 'ShipmentLine';
  lineId: Scalars['ID']['output'];
  /** Quantity shipped (not ordered). */
  quantity: Scalars['Int']['output'];
  sku: Scalars['String']['output'];
};

/** Where a shipment stands: CREATED → PICKED → DISPATCHED → DELIVERED; CANCELLED from CREATED or PICKED. */
export type ShipmentStatus =
  | 'CANCELLED'
  /** The warehouse accepted the fulfillment task; no parcel has moved yet. */
  | 'CREATED'
  | 'DELIVERED'
  /** Handed to the carrier. */
  | 'DISPATCHED'
  | 'PICKED';

export type ShipmentStatusChange = {
  __typename?: 'ShipmentStatusChange';
  /** When the shipment reached this status (event time). */
  occurredAt: Scalars['DateTime']['output'];
  sequence: Scalars['Int']['output'];
  shipmentStatus: ShipmentStatus;
};



export type ResolverTypeWrapper<T> = Promise<T> | T;


export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = {}, TContext = {}, TArgs = {}> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = {}, TContext = {}, TArgs = {}> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = {}, TContext = {}> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = {}, TContext = {}> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = {}, TParent = {}, TContext = {}, TArgs = {}> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Carrier: Carrier;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  OrderFulfillment: ResolverTypeWrapper<OrderFulfillmentRecord>;
  Query: ResolverTypeWrapper<{}>;
  ShipTo: ResolverTypeWrapper<ShipTo>;
  Shipment: ResolverTypeWrapper<ShipmentRecord>;
  ShipmentCancellationReason: ShipmentCancellationReason;
  ShipmentLine: ResolverTypeWrapper<ShipmentLineRecord>;
  ShipmentStatus: ShipmentStatus;
  ShipmentStatusChange: ResolverTypeWrapper<ShipmentStatusChangeRecord>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  Boolean: Scalars['Boolean']['output'];
  DateTime: Scalars['DateTime']['output'];
  ID: Scalars['ID']['output'];
  Int: Scalars['Int']['output'];
  OrderFulfillment: OrderFulfillmentRecord;
  Query: {};
  ShipTo: ShipTo;
  Shipment: ShipmentRecord;
  ShipmentLine: ShipmentLineRecord;
  ShipmentStatusChange: ShipmentStatusChangeRecord;
  String: Scalars['String']['output'];
};

export type LineageDirectiveArgs = {
  columns: Array<Scalars['String']['input']>;
  events: Array<Scalars['String']['input']>;
  projection: Scalars['String']['input'];
};

export type LineageDirectiveResolver<Result, Parent, ContextType = ShipmentTrackingLoaders, Args = LineageDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type ModelDirectiveArgs = {
  name: Scalars['String']['input'];
};

export type ModelDirectiveResolver<Result, Parent, ContextType = ShipmentTrackingLoaders, Args = ModelDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type OrderFulfillmentResolvers<ContextType = ShipmentTrackingLoaders, ParentType extends ResolversParentTypes['OrderFulfillment'] = ResolversParentTypes['OrderFulfillment']> = {
  orderId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  releasedToWarehouseAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  shipments?: Resolver<Array<ResolversTypes['Shipment']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type QueryResolvers<ContextType = ShipmentTrackingLoaders, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  fulfillmentByOrderIds?: Resolver<Array<ResolversTypes['OrderFulfillment']>, ParentType, ContextType, RequireFields<QueryFulfillmentByOrderIdsArgs, 'orderIds'>>;
  orderIdsDispatchedBetween?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType, RequireFields<QueryOrderIdsDispatchedBetweenArgs, 'from' | 'until'>>;
  shipment?: Resolver<Maybe<ResolversTypes['Shipment']>, ParentType, ContextType, RequireFields<QueryShipmentArgs, 'shipmentId'>>;
  shipmentsByIds?: Resolver<Array<Maybe<ResolversTypes['Shipment']>>, ParentType, ContextType, RequireFields<QueryShipmentsByIdsArgs, 'shipmentIds'>>;
};

export type ShipToResolvers<ContextType = ShipmentTrackingLoaders, ParentType extends ResolversParentTypes['ShipTo'] = ResolversParentTypes['ShipTo']> = {
  city?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  country?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  line1?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  postalCode?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type ShipmentResolvers<ContextType = ShipmentTrackingLoaders, ParentType extends ResolversParentTypes['Shipment'] = ResolversParentTypes['Shipment']> = {
  cancellationReason?: Resolver<Maybe<ResolversTypes['ShipmentCancellationReason']>, ParentType, ContextType>;
  cancelledAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  carrier?: Resolver<Maybe<ResolversTypes['Carrier']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  deliveredAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  dispatchedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  lines?: Resolver<Array<ResolversTypes['ShipmentLine']>, ParentType, ContextType>;
  orderId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  pickedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  shipTo?: Resolver<ResolversTypes['ShipTo'], ParentType, ContextType>;
  shipmentId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  shipmentStatus?: Resolver<ResolversTypes['ShipmentStatus'], ParentType, ContextType>;
  signedBy?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  statusHistory?: Resolver<Array<ResolversTypes['ShipmentStatusChange']>, ParentType, ContextType>;
  trackingNumber?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  warehouseId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  wave?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type ShipmentLineResolvers<ContextType = ShipmentTrackingLoaders, ParentType extends ResolversParentTypes['ShipmentLine'] = ResolversParentTypes['ShipmentLine']> = {
  lineId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type ShipmentStatusChangeResolvers<ContextType = ShipmentTrackingLoaders, ParentType extends ResolversParentTypes['ShipmentStatusChange'] = ResolversParentTypes['ShipmentStatusChange']> = {
  occurredAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  sequence?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  shipmentStatus?: Resolver<ResolversTypes['ShipmentStatus'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type Resolvers<ContextType = ShipmentTrackingLoaders> = {
  DateTime?: GraphQLScalarType;
  OrderFulfillment?: OrderFulfillmentResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  ShipTo?: ShipToResolvers<ContextType>;
  Shipment?: ShipmentResolvers<ContextType>;
  ShipmentLine?: ShipmentLineResolvers<ContextType>;
  ShipmentStatusChange?: ShipmentStatusChangeResolvers<ContextType>;
};

export type DirectiveResolvers<ContextType = ShipmentTrackingLoaders> = {
  lineage?: LineageDirectiveResolver<any, any, ContextType>;
  model?: ModelDirectiveResolver<any, any, ContextType>;
};
