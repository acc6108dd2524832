import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { OrderRecord, OrderLineRecord, StatusChangeRecord, OrderTimelineLoaders } from '../../projections/createOrderTimelineLoaders.js';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** Opaque position in the order change feed: pass back an `endCursor` received, never build one. */
  Cursor: { input: string; output: string; }
  /** RFC 3339 timestamp, UTC, milliseconds. */
  DateTime: { input: Date | string; output: Date | string; }
};

export type CancellationReason =
  | 'CUSTOMER_REQUEST'
  | 'FRAUD'
  | 'OUT_OF_STOCK'
  | 'PAYMENT_FAILED';

/** An exact amount: a decimal string with two fractional digits, and an ISO 4217 currency. */
export type Money = {
  __typename?: 'Money';
  amount: Scalars['String']['output'];
  currency: Scalars['String']['output'];
};

export type Order = {
  __typename?: 'Order';
  cancellationReason?: Maybe<CancellationReason>;
  cancelledAt?: Maybe<Scalars['DateTime']['output']>;
  /** When the commercial commitment became binding; null until confirmed. */
  confirmedAt?: Maybe<Scalars['DateTime']['output']>;
  customerEmail: Scalars['String']['output'];
  customerId: Scalars['ID']['output'];
  lifecycleState: OrderLifecycleState;
  lines: Array<OrderLine>;
  orderId: Scalars['ID']['output'];
  /** Sum of quantity × unit price over current lines. */
  orderTotal: Money;
  placedAt: Scalars['DateTime']['output'];
  salesChannel: SalesChannel;
  shippingCity: Scalars['String']['output'];
  shippingCountry: Scalars['String']['output'];
  shippingPostalCode: Scalars['String']['output'];
  /**
   * The producing system that entered the order: the envelope `source` of its OrderPlaced
   * (`web-checkout`, `store-pos`, `marketplace-bridge`; `legacy-oms` for an order entered in the
   * legacy OMS and translated from its change stream). Provenance, not part of the order's business
   * state. Null for an order applied before the projection recorded it (a rebuild fills it).
   */
  sourceSystem?: Maybe<Scalars['String']['output']>;
  statusHistory: Array<OrderStatusChange>;
};

/** One page of the order change feed. */
export type OrderChangePage = {
  __typename?: 'OrderChangePage';
  /** Where the next page starts: the last order's position, else the `since` given; null only when nothing was ever delivered. */
  endCursor?: Maybe<Scalars['Cursor']['output']>;
  /** True when more changes are readable now; false means caught up (ask again later). */
  hasMore: Scalars['Boolean']['output'];
  /** The changed orders, in feed order. */
  orders: Array<Order>;
};

/** Where an order stands commercially. Fulfillment states (released, on hold) are not orders facts. */
export type OrderLifecycleState =
  | 'CANCELLED'
  | 'CONFIRMED'
  | 'PLACED';

export type OrderLine = {
  __typename?: 'OrderLine';
  /** Quantity × unit price, in the order's currency. */
  lineAmount: Money;
  lineId: Scalars['ID']['output'];
  quantity: Scalars['Int']['output'];
  sku: Scalars['String']['output'];
  /** The line's currency is the order's (orders.currency). */
  unitPrice: Money;
};

export type OrderStatusChange = {
  __typename?: 'OrderStatusChange';
  cancellationReason?: Maybe<CancellationReason>;
  lifecycleState: OrderLifecycleState;
  occurredAt: Scalars['DateTime']['output'];
  sequence: Scalars['Int']['output'];
};

export type Query = {
  __typename?: 'Query';
  order?: Maybe<Order>;
  /**
   * Orders changed since `since` (null: from the beginning), oldest change first, each in its
   * current state; an order appears again when it changes again. Stable across pages: paging on
   * with `endCursor` misses and repeats nothing, even while changes are being written. After a
   * rebuild of the projection, a cursor from before it starts over (every order once more).
   * `first` is at most 1000.
   */
  orderChanges: OrderChangePage;
  /** Newest orders first; `after` is the last orderId of the previous page. */
  orders: Array<Order>;
  /** Batch lookup by key, in the order of the ids given; null where unknown. */
  ordersByIds: Array<Maybe<Order>>;
};


export type QueryOrderArgs = {
  orderId: Scalars['ID']['input'];
};


export type QueryOrderChangesArgs = {
  first?: Scalars['Int']['input'];
  since?: InputMaybe<Scalars['Cursor']['input']>;
};


export type QueryOrdersArgs = {
  after?: InputMaybe<Scalars['ID']['input']>;
  first?: Scalars['Int']['input'];
};


export type QueryOrdersByIdsArgs = {
  orderIds: Array<Scalars['ID']['input']>;
};

export type SalesChannel =
  | 'MARKETPLACE'
  | 'STORE'
  | 'WEB';



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
  CancellationReason: CancellationReason;
  Cursor: ResolverTypeWrapper<Scalars['Cursor']['output']>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  Money: ResolverTypeWrapper<Money>;
  Order: ResolverTypeWrapper<OrderRecord>;
  OrderChangePage: ResolverTypeWrapper<Omit<OrderChangePage, 'orders'> & { orders: Array<ResolversTypes['Order']> }>;
  OrderLifecycleState: OrderLifecycleState;
  OrderLine: ResolverTypeWrapper<OrderLineRecord>;
  OrderStatusChange: ResolverTypeWrapper<StatusChangeRecord>;
  Query: ResolverTypeWrapper<{}>;
  SalesChannel: SalesChannel;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  Boolean: Scalars['Boolean']['output'];
  Cursor: Scalars['Cursor']['output'];
  DateTime: Scalars['DateTime']['output'];
  ID: Scalars['ID']['output'];
  Int: Scalars['Int']['output'];
  Money: Money;
  Order: OrderRecord;
  OrderChangePage: Omit<OrderChangePage, 'orders'> & { orders: Array<ResolversParentTypes['Order']> };
  OrderLine: OrderLineRecord;
  OrderStatusChange: StatusChangeRecord;
  Query: {};
  String: Scalars['String']['output'];
};

export type LineageDirectiveArgs = {
  columns: Array<Scalars['String']['input']>;
  events: Array<Scalars['String']['input']>;
  projection: Scalars['String']['input'];
};

export type LineageDirectiveResolver<Result, Parent, ContextType = OrderTimelineLoaders, Args = LineageDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type ModelDirectiveArgs = {
  name: Scalars['String']['input'];
};

export type ModelDirectiveResolver<Result, Parent, ContextType = OrderTimelineLoaders, Args = ModelDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export interface CursorScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Cursor'], any> {
  name: 'Cursor';
}

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type MoneyResolvers<ContextType = OrderTimelineLoaders, ParentType extends ResolversParentTypes['Money'] = ResolversParentTypes['Money']> = {
  amount?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type OrderResolvers<ContextType = OrderTimelineLoaders, ParentType extends ResolversParentTypes['Order'] = ResolversParentTypes['Order']> = {
  cancellationReason?: Resolver<Maybe<ResolversTypes['CancellationReason']>, ParentType, ContextType>;
  cancelledAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  confirmedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  customerEmail?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  customerId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lifecycleState?: Resolver<ResolversTypes['OrderLifecycleState'], ParentType, ContextType>;
  lines?: Resolver<Array<ResolversTypes['OrderLine']>, ParentType, ContextType>;
  orderId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  orderTotal?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  placedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  salesChannel?: Resolver<ResolversTypes['SalesChannel'], ParentType, ContextType>;
  shippingCity?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  shippingCountry?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  shippingPostalCode?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  sourceSystem?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  statusHistory?: Resolver<Array<ResolversTypes['OrderStatusChange']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type OrderChangePageResolvers<ContextType = OrderTimelineLoaders, ParentType extends ResolversParentTypes['OrderChangePage'] = ResolversParentTypes['OrderChangePage']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['Cursor']>, ParentType, ContextType>;
  hasMore?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  orders?: Resolver<Array<ResolversTypes['Order']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type OrderLineResolvers<ContextType = OrderTimelineLoaders, ParentType extends ResolversParentTypes['OrderLine'] = ResolversParentTypes['OrderLine']> = {
  lineAmount?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  lineId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  unitPrice?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type OrderStatusChangeResolvers<ContextType = OrderTimelineLoaders, ParentType extends ResolversParentTypes['OrderStatusChange'] = ResolversParentTypes['OrderStatusChange']> = {
  cancellationReason?: Resolver<Maybe<ResolversTypes['CancellationReason']>, ParentType, ContextType>;
  lifecycleState?: Resolver<ResolversTypes['OrderLifecycleState'], ParentType, ContextType>;
  occurredAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  sequence?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type QueryResolvers<ContextType = OrderTimelineLoaders, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  order?: Resolver<Maybe<ResolversTypes['Order']>, ParentType, ContextType, RequireFields<QueryOrderArgs, 'orderId'>>;
  orderChanges?: Resolver<ResolversTypes['OrderChangePage'], ParentType, ContextType, RequireFields<QueryOrderChangesArgs, 'first'>>;
  orders?: Resolver<Array<ResolversTypes['Order']>, ParentType, ContextType, RequireFields<QueryOrdersArgs, 'first'>>;
  ordersByIds?: Resolver<Array<Maybe<ResolversTypes['Order']>>, ParentType, ContextType, RequireFields<QueryOrdersByIdsArgs, 'orderIds'>>;
};

export type Resolvers<ContextType = OrderTimelineLoaders> = {
  Cursor?: GraphQLScalarType;
  DateTime?: GraphQLScalarType;
  Money?: MoneyResolvers<ContextType>;
  Order?: OrderResolvers<ContextType>;
  OrderChangePage?: OrderChangePageResolvers<ContextType>;
  OrderLine?: OrderLineResolvers<ContextType>;
  OrderStatusChange?: OrderStatusChangeResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
};

export type DirectiveResolvers<ContextType = OrderTimelineLoaders> = {
  lineage?: LineageDirectiveResolver<any, any, ContextType>;
  model?: ModelDirectiveResolver<any, any, ContextType>;
};
