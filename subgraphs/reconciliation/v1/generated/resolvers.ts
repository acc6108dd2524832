import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { ReconciliationExceptionRecord, ExceptionPageRecord, ExceptionCountRecord, AcknowledgementRecord, OrderAgreementRecord, LineAgreementRecord, EvidenceRecord, ReconciliationLoaders } from '../../projections/createReconciliationLoaders.js';
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

export type Acknowledgement = {
  __typename?: 'Acknowledgement';
  /** Wall-clock time of the acknowledgement (a steward's act, not an event). */
  acknowledgedAt: Scalars['DateTime']['output'];
  /** The principal who acknowledged (its name). */
  acknowledgedBy: Scalars['String']['output'];
  note: Scalars['String']['output'];
  /** The opening it covers. */
  openCount: Scalars['Int']['output'];
};

/** An event cited as evidence: its id and where it was read. */
export type EvidenceEvent = {
  __typename?: 'EvidenceEvent';
  eventId: Scalars['ID']['output'];
  occurredAt: Scalars['DateTime']['output'];
  offset: Scalars['String']['output'];
  partition: Scalars['Int']['output'];
  topic: Scalars['String']['output'];
  type: Scalars['String']['output'];
};

export type ExceptionCount = {
  __typename?: 'ExceptionCount';
  count: Scalars['Int']['output'];
  owner: Scalars['String']['output'];
  rule: ExceptionRule;
  severity: ExceptionSeverity;
  state: ExceptionState;
};

/** Every condition given must hold; a list matches any of its values. */
export type ExceptionFilter = {
  /** Age at most this many seconds. */
  maxAgeSeconds?: InputMaybe<Scalars['Int']['input']>;
  /** Age (see ReconciliationException.ageSeconds) at least this many seconds. */
  minAgeSeconds?: InputMaybe<Scalars['Int']['input']>;
  orderId?: InputMaybe<Scalars['ID']['input']>;
  owners?: InputMaybe<Array<Scalars['String']['input']>>;
  rules?: InputMaybe<Array<ExceptionRule>>;
  severities?: InputMaybe<Array<ExceptionSeverity>>;
  states?: InputMaybe<Array<ExceptionState>>;
};

export type ExceptionPage = {
  __typename?: 'ExceptionPage';
  /** Pass as `after` for the next page; null on the last page. */
  endCursor?: Maybe<Scalars['String']['output']>;
  exceptions: Array<ReconciliationException>;
  hasNextPage: Scalars['Boolean']['output'];
};

export type ExceptionRule =
  | 'AUTHORIZATION_EXPIRED_UNSHIPPED'
  | 'CANCELLED_NOT_REFUNDED'
  | 'CAPTURE_EXCEEDS_ORDER'
  | 'DELIVERED_AMOUNT_MISMATCH'
  | 'ORPHAN_PAYMENT'
  | 'ORPHAN_SHIPMENT'
  | 'OVERSHIPPED_LINE'
  | 'SHIPPED_AFTER_CANCEL'
  | 'SHIPPED_NOT_CAPTURED';

/** CRITICAL: a customer is owed money. HIGH: goods or money are lost unless someone acts. MEDIUM: books or stock need a correction. LOW: housekeeping. */
export type ExceptionSeverity =
  | 'CRITICAL'
  | 'HIGH'
  | 'LOW'
  | 'MEDIUM';

/** OPEN: the condition holds. ACKNOWLEDGED: it holds and a steward owns it. RESOLVED: it stopped holding. */
export type ExceptionState =
  | 'ACKNOWLEDGED'
  | 'OPEN'
  | 'RESOLVED';

export type LineAgreement = {
  __typename?: 'LineAgreement';
  deliveredQuantity: Scalars['Int']['output'];
  lineId: Scalars['ID']['output'];
  /** After amendments; 0 for a removed line or one the order does not have. */
  orderedQuantity: Scalars['Int']['output'];
  shippedQuantity: Scalars['Int']['output'];
  sku: Scalars['String']['output'];
  unitPrice: Scalars['String']['output'];
};

/** An exact decimal amount (two fractional digits) and its ISO 4217 currency. */
export type Money = {
  __typename?: 'Money';
  /** Every amount an agreement keeps; which one a field holds is that field's own lineage. */
  amount: Scalars['String']['output'];
  currency: Scalars['String']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /**
   * A steward takes ownership of an open exception, with a note (1 to 2000 characters). The
   * acknowledgement is kept across rebuilds; it covers the exception's current opening: if the
   * exception resolves and opens again, it is OPEN again. Acknowledging again replaces the note.
   * Fails with EXCEPTION_NOT_FOUND, or EXCEPTION_NOT_OPEN for a resolved exception.
   */
  acknowledgeException: ReconciliationException;
};


export type MutationAcknowledgeExceptionArgs = {
  exceptionId: Scalars['ID']['input'];
  note: Scalars['String']['input'];
};

/**
 * Where an order's contexts agree, as of every event applied (exceptions are decided at the
 * watermark; this is the latest knowledge). Shipped means dispatched; values at the order's prices.
 */
export type OrderAgreement = {
  __typename?: 'OrderAgreement';
  /** Authorizations granted, over all payment attempts. */
  authorized?: Maybe<Money>;
  cancelled: Scalars['Boolean']['output'];
  captured?: Maybe<Money>;
  confirmed: Scalars['Boolean']['output'];
  delivered?: Maybe<Money>;
  /** The order's exceptions (every state). */
  exceptions: Array<ReconciliationException>;
  lines: Array<LineAgreement>;
  /** Captured minus refunded. */
  net?: Maybe<Money>;
  orderId: Scalars['ID']['output'];
  /** The order total: its current lines. Null currency fields read as the order's; null while the order is unknown. */
  ordered?: Maybe<Money>;
  paymentAttempts: Scalars['Int']['output'];
  /** Null while no OrderPlaced (or legacy equivalent) is known. */
  placedAt?: Maybe<Scalars['DateTime']['output']>;
  refunded?: Maybe<Money>;
  shipments: Scalars['Int']['output'];
  shipped?: Maybe<Money>;
};

export type Query = {
  __typename?: 'Query';
  /** Per order id given (at most 1000), in the order given: what its contexts agree on; null for an order with no known event. */
  orderAgreementsByOrderIds: Array<Maybe<OrderAgreement>>;
  /** A single exception by its id; null when unknown. */
  reconciliationException?: Maybe<ReconciliationException>;
  /** How many exceptions match the filter, per rule, owner, severity and state (groups with none are left out). */
  reconciliationExceptionCounts: Array<ExceptionCount>;
  /**
   * Exceptions matching the filter, oldest opening first (then by id), at most `first` (1 to 500);
   * pass the page's `endCursor` as `after` for the next page.
   */
  reconciliationExceptions: ExceptionPage;
  /** The event time up to which exceptions are decided. */
  reconciliationWatermark: ReconciliationWatermark;
};


export type QueryOrderAgreementsByOrderIdsArgs = {
  orderIds: Array<Scalars['ID']['input']>;
};


export type QueryReconciliationExceptionArgs = {
  exceptionId: Scalars['ID']['input'];
};


export type QueryReconciliationExceptionCountsArgs = {
  filter?: InputMaybe<ExceptionFilter>;
};


export type QueryReconciliationExceptionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ExceptionFilter>;
  first?: Scalars['Int']['input'];
};

export type ReconciliationException = {
  __typename?: 'ReconciliationException';
  /** The steward's acknowledgement of its current opening; null when none. */
  acknowledgement?: Maybe<Acknowledgement>;
  /**
   * Seconds, against the watermark: for an open (or acknowledged) exception, watermark minus
   * lastOpenedAt; for a resolved one, how long it was open (resolvedAt minus lastOpenedAt).
   */
  ageSeconds: Scalars['Int']['output'];
  /** The deadline whose passing opened it; null for a rule decided at once. */
  deadlineAt?: Maybe<Scalars['DateTime']['output']>;
  /** The events that made the condition, as of its current opening. */
  evidence: Array<EvidenceEvent>;
  /** Stable: RULE:orderId (RULE:orderId:paymentId per authorization); the same after a rebuild. */
  exceptionId: Scalars['ID']['output'];
  /** Event time of its current opening (after a reopening, later than openedAt). */
  lastOpenedAt: Scalars['DateTime']['output'];
  /** How many times it opened. */
  openCount: Scalars['Int']['output'];
  /** Event time it first opened: the deadline that passed, or the event that made the condition. */
  openedAt: Scalars['DateTime']['output'];
  orderId: Scalars['ID']['output'];
  /** The context (or team) that must act: payments, fulfillment or finance. */
  owner: Scalars['String']['output'];
  /** For AUTHORIZATION_EXPIRED_UNSHIPPED, the payment attempt whose authorization expired; else null. */
  paymentId?: Maybe<Scalars['ID']['output']>;
  resolvedAt?: Maybe<Scalars['DateTime']['output']>;
  /** The event that resolved it. */
  resolvedBy?: Maybe<EvidenceEvent>;
  rule: ExceptionRule;
  severity: ExceptionSeverity;
  state: ExceptionState;
};

export type ReconciliationWatermark = {
  __typename?: 'ReconciliationWatermark';
  /** Exceptions are decided for every event time up to and including this; null before any event. */
  watermark?: Maybe<Scalars['DateTime']['output']>;
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
  Acknowledgement: ResolverTypeWrapper<AcknowledgementRecord>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  EvidenceEvent: ResolverTypeWrapper<EvidenceRecord>;
  ExceptionCount: ResolverTypeWrapper<ExceptionCountRecord>;
  ExceptionFilter: ExceptionFilter;
  ExceptionPage: ResolverTypeWrapper<ExceptionPageRecord>;
  ExceptionRule: ExceptionRule;
  ExceptionSeverity: ExceptionSeverity;
  ExceptionState: ExceptionState;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  LineAgreement: ResolverTypeWrapper<LineAgreementRecord>;
  Money: ResolverTypeWrapper<Money>;
  Mutation: ResolverTypeWrapper<{}>;
  OrderAgreement: ResolverTypeWrapper<OrderAgreementRecord>;
  Query: ResolverTypeWrapper<{}>;
  ReconciliationException: ResolverTypeWrapper<ReconciliationExceptionRecord>;
  ReconciliationWatermark: ResolverTypeWrapper<ReconciliationWatermark>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  Acknowledgement: AcknowledgementRecord;
  Boolean: Scalars['Boolean']['output'];
  DateTime: Scalars['DateTime']['output'];
  EvidenceEvent: EvidenceRecord;
  ExceptionCount: ExceptionCountRecord;
  ExceptionFilter: ExceptionFilter;
  ExceptionPage: ExceptionPageRecord;
  ID: Scalars['ID']['output'];
  Int: Scalars['Int']['output'];
  LineAgreement: LineAgreementRecord;
  Money: Money;
  Mutation: {};
  OrderAgreement: OrderAgreementRecord;
  Query: {};
  ReconciliationException: ReconciliationExceptionRecord;
  ReconciliationWatermark: ReconciliationWatermark;
  String: Scalars['String']['output'];
};

export type LineageDirectiveArgs = {
  columns: Array<Scalars['String']['input']>;
  events: Array<Scalars['String']['input']>;
  projection: Scalars['String']['input'];
};

export type LineageDirectiveResolver<Result, Parent, ContextType = ReconciliationLoaders, Args = LineageDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type ModelDirectiveArgs = {
  name: Scalars['String']['input'];
};

export type ModelDirectiveResolver<Result, Parent, ContextType = ReconciliationLoaders, Args = ModelDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type AcknowledgementResolvers<ContextType = ReconciliationLoaders, ParentType extends ResolversParentTypes['Acknowledgement'] = ResolversParentTypes['Acknowledgement']> = {
  acknowledgedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  acknowledgedBy?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  note?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  openCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type EvidenceEventResolvers<ContextType = ReconciliationLoaders, ParentType extends ResolversParentTypes['EvidenceEvent'] = ResolversParentTypes['EvidenceEvent']> = {
  eventId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  occurredAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  offset?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  partition?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  topic?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type ExceptionCountResolvers<ContextType = ReconciliationLoaders, ParentType extends ResolversParentTypes['ExceptionCount'] = ResolversParentTypes['ExceptionCount']> = {
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  owner?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  rule?: Resolver<ResolversTypes['ExceptionRule'], ParentType, ContextType>;
  severity?: Resolver<ResolversTypes['ExceptionSeverity'], ParentType, ContextType>;
  state?: Resolver<ResolversTypes['ExceptionState'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type ExceptionPageResolvers<ContextType = ReconciliationLoaders, ParentType extends ResolversParentTypes['ExceptionPage'] = ResolversParentTypes['ExceptionPage']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  exceptions?: Resolver<Array<ResolversTypes['ReconciliationException']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type LineAgreementResolvers<ContextType = ReconciliationLoaders, ParentType extends ResolversParentTypes['LineAgreement'] = ResolversParentTypes['LineAgreement']> = {
  deliveredQuantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  lineId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  orderedQuantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  shippedQuantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  unitPrice?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type MoneyResolvers<ContextType = ReconciliationLoaders, ParentType extends ResolversParentTypes['Money'] = ResolversParentTypes['Money']> = {
  amount?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type MutationResolvers<ContextType = ReconciliationLoaders, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  acknowledgeException?: Resolver<ResolversTypes['ReconciliationException'], ParentType, ContextType, RequireFields<MutationAcknowledgeExceptionArgs, 'exceptionId' | 'note'>>;
};

export type OrderAgreementResolvers<ContextType = ReconciliationLoaders, ParentType extends ResolversParentTypes['OrderAgreement'] = ResolversParentTypes['OrderAgreement']> = {
  authorized?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  cancelled?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  captured?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  confirmed?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  delivered?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  exceptions?: Resolver<Array<ResolversTypes['ReconciliationException']>, ParentType, ContextType>;
  lines?: Resolver<Array<ResolversTypes['LineAgreement']>, ParentType, ContextType>;
  net?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  orderId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  ordered?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  paymentAttempts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  placedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  refunded?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  shipments?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  shipped?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type QueryResolvers<ContextType = ReconciliationLoaders, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  orderAgreementsByOrderIds?: Resolver<Array<Maybe<ResolversTypes['OrderAgreement']>>, ParentType, ContextType, RequireFields<QueryOrderAgreementsByOrderIdsArgs, 'orderIds'>>;
  reconciliationException?: Resolver<Maybe<ResolversTypes['ReconciliationException']>, ParentType, ContextType, RequireFields<QueryReconciliationExceptionArgs, 'exceptionId'>>;
  reconciliationExceptionCounts?: Resolver<Array<ResolversTypes['ExceptionCount']>, ParentType, ContextType, Partial<QueryReconciliationExceptionCountsArgs>>;
  reconciliationExceptions?: Resolver<ResolversTypes['ExceptionPage'], ParentType, ContextType, RequireFields<QueryReconciliationExceptionsArgs, 'first'>>;
  reconciliationWatermark?: Resolver<ResolversTypes['ReconciliationWatermark'], ParentType, ContextType>;
};

export type ReconciliationExceptionResolvers<ContextType = ReconciliationLoaders, ParentType extends ResolversParentTypes['ReconciliationException'] = ResolversParentTypes['ReconciliationException']> = {
  acknowledgement?: Resolver<Maybe<ResolversTypes['Acknowledgement']>, ParentType, ContextType>;
  ageSeconds?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  deadlineAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  evidence?: Resolver<Array<ResolversTypes['EvidenceEvent']>, ParentType, ContextType>;
  exceptionId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lastOpenedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  openCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  openedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  orderId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  owner?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  paymentId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  resolvedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  resolvedBy?: Resolver<Maybe<ResolversTypes['EvidenceEvent']>, ParentType, ContextType>;
  rule?: Resolver<ResolversTypes['ExceptionRule'], ParentType, ContextType>;
  severity?: Resolver<ResolversTypes['ExceptionSeverity'], ParentType, ContextType>;
  state?: Resolver<ResolversTypes['ExceptionState'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type ReconciliationWatermarkResolvers<ContextType = ReconciliationLoaders, ParentType extends ResolversParentTypes['ReconciliationWatermark'] = ResolversParentTypes['ReconciliationWatermark']> = {
  watermark?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type Resolvers<ContextType = ReconciliationLoaders> = {
  Acknowledgement?: AcknowledgementResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  EvidenceEvent?: EvidenceEventResolvers<ContextType>;
  ExceptionCount?: ExceptionCountResolvers<ContextType>;
  ExceptionPage?: ExceptionPageResolvers<ContextType>;
  LineAgreement?: LineAgreementResolvers<ContextType>;
  Money?: MoneyResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  OrderAgreement?: OrderAgreementResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  ReconciliationException?: ReconciliationExceptionResolvers<ContextType>;
  ReconciliationWatermark?: ReconciliationWatermarkResolvers<ContextType>;
};

export type DirectiveResolvers<ContextType = ReconciliationLoaders> = {
  lineage?: LineageDirectiveResolver<any, any, ContextType>;
  model?: ModelDirectiveResolver<any, any, ContextType>;
};
