import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { PaymentRecord, PaymentCardRecord, FraudCheckRecord, PaymentCaptureRecord, PaymentRefundRecord, PaymentStatusChangeRecord, OrderPaymentsRecord, PaymentAttemptsLoaders } from '../../projections/createPaymentAttemptsLoaders.js';
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

export type FraudCheck = {
  __typename?: 'FraudCheck';
  checkedAt: Scalars['DateTime']['output'];
  outcome: FraudOutcome;
  /** 0 (no risk) to 100. */
  score: Scalars['Int']['output'];
};

export type FraudOutcome =
  | 'PASSED'
  | 'REJECTED';

/** An exact amount: a decimal string with two fractional digits, and an ISO 4217 currency (the payment's). */
export type Money = {
  __typename?: 'Money';
  amount: Scalars['String']['output'];
  currency: Scalars['String']['output'];
};

/** An order id asked for, and the payment attempts that name it. */
export type OrderPayments = {
  __typename?: 'OrderPayments';
  orderId: Scalars['ID']['output'];
  /** Oldest attempt first. */
  payments: Array<Payment>;
};

/** One payment attempt for an order. */
export type Payment = {
  __typename?: 'Payment';
  /** Event time of the attempt's first event: its authorization, or its decline. */
  attemptedAt: Scalars['DateTime']['output'];
  /** No capture can be dated after it. */
  authorizationExpiresAt?: Maybe<Scalars['DateTime']['output']>;
  /** Funds reserved (not captured); null unless authorized. */
  authorizedAmount?: Maybe<Money>;
  authorizedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Sum of the captures; never above the authorized amount. */
  capturedAmount: Money;
  /** In sequence order. */
  captures: Array<PaymentCapture>;
  /** The card, when method is CARD; else null. */
  card?: Maybe<PaymentCard>;
  failedAt?: Maybe<Scalars['DateTime']['output']>;
  failureCode?: Maybe<PaymentFailureCode>;
  /** The latest fraud verdict; null until one is known. */
  fraudCheck?: Maybe<FraudCheck>;
  /** Event time of the latest event applied. */
  lastEventOccurredAt: Scalars['DateTime']['output'];
  lifecycleState: PaymentLifecycleState;
  /** Null for an attempt declined at once (its decline names no method). */
  method?: Maybe<PaymentMethod>;
  /** The order the attempt pays for, as its first event names it. */
  orderId: Scalars['ID']['output'];
  paymentId: Scalars['ID']['output'];
  /** The payment provider's reference of the authorization. */
  pspReference?: Maybe<Scalars['String']['output']>;
  /** Sum of the refunds; never above the captured amount. */
  refundedAmount: Money;
  /** In sequence order. */
  refunds: Array<PaymentRefund>;
  /** The amount the attempt was for: authorized, or declined at once. */
  requestedAmount: Money;
  /** Every event applied, with the state it left the payment in. */
  statusHistory: Array<PaymentStatusChange>;
  /** When the authorization was released. */
  voidedAt?: Maybe<Scalars['DateTime']['output']>;
};

/** One capture: part or all of the authorized amount taken (split shipments capture in parts). */
export type PaymentCapture = {
  __typename?: 'PaymentCapture';
  amount: Money;
  captureId: Scalars['ID']['output'];
  /** Event time of the capture. */
  capturedAt: Scalars['DateTime']['output'];
  sequence: Scalars['Int']['output'];
};

export type PaymentCard = {
  __typename?: 'PaymentCard';
  brand: Scalars['String']['output'];
  /** Personal data: the name on the card. */
  holderName: Scalars['String']['output'];
  last4: Scalars['String']['output'];
};

/** The domain event behind a status change (payments.events.v1 types). */
export type PaymentEventType =
  | 'FRAUD_CHECK_COMPLETED'
  | 'PAYMENT_AUTHORIZED'
  | 'PAYMENT_CAPTURED'
  | 'PAYMENT_FAILED'
  | 'PAYMENT_REFUNDED'
  | 'PAYMENT_VOIDED';

export type PaymentFailureCode =
  | 'AUTHORIZATION_EXPIRED'
  | 'DECLINED'
  | 'FRAUD_REJECTED'
  | 'PROCESSOR_ERROR';

/**
 * Where a payment attempt stands. Capture and refund progress follow the sums: CAPTURED is the whole
 * authorized amount captured, REFUNDED the whole captured sum refunded. FAILED is terminal.
 */
export type PaymentLifecycleState =
  | 'AUTHORIZED'
  | 'CAPTURED'
  | 'FAILED'
  | 'PARTIALLY_CAPTURED'
  | 'PARTIALLY_REFUNDED'
  | 'REFUNDED'
  | 'VOIDED';

/** How the customer paid. */
export type PaymentMethod =
  | 'BANK_TRANSFER'
  | 'CARD'
  | 'GIFT_CARD'
  | 'WALLET';

export type PaymentRefund = {
  __typename?: 'PaymentRefund';
  amount: Money;
  reason: RefundReason;
  refundId: Scalars['ID']['output'];
  /** Event time of the refund. */
  refundedAt: Scalars['DateTime']['output'];
  sequence: Scalars['Int']['output'];
};

export type PaymentStatusChange = {
  __typename?: 'PaymentStatusChange';
  eventType: PaymentEventType;
  /** The state the payment was in after the event. */
  lifecycleState: PaymentLifecycleState;
  occurredAt: Scalars['DateTime']['output'];
  sequence: Scalars['Int']['output'];
};

export type Query = {
  __typename?: 'Query';
  /**
   * Ids of the orders (as their payment attempts name them) with at least one capture or refund
   * whose event time is in [from, until), over all of their attempts, each once, in id order; empty
   * when none. For views by business date that must find their orders without reading every
   * payment: one indexed statement. The window is at most 31 days, and `until` is not before `from`.
   */
  orderIdsWithMoneyMovementBetween: Array<Scalars['ID']['output']>;
  /** A payment attempt by its id; null when unknown. */
  payment?: Maybe<Payment>;
  /** Batch lookup by key, in the order of the ids given; null where unknown. */
  paymentsByIds: Array<Maybe<Payment>>;
  /**
   * One entry per order id given, in the order given, each with the order's payment attempts, oldest
   * attempt first; empty when none is known. Payments are not checked against orders: a payment
   * may be known before its order is.
   */
  paymentsByOrderIds: Array<OrderPayments>;
};


export type QueryOrderIdsWithMoneyMovementBetweenArgs = {
  from: Scalars['DateTime']['input'];
  until: Scalars['DateTime']['input'];
};


export type QueryPaymentArgs = {
  paymentId: Scalars['ID']['input'];
};


export type QueryPaymentsByIdsArgs = {
  paymentIds: Array<Scalars['ID']['input']>;
};


export type QueryPaymentsByOrderIdsArgs = {
  orderIds: Array<Scalars['ID']['input']>;
};

export type RefundReason =
  | 'DUPLICATE_CHARGE'
  | 'GOODWILL'
  | 'ORDER_CANCELLED'
  | 'RETURNED';



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
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  FraudCheck: ResolverTypeWrapper<FraudCheckRecord>;
  FraudOutcome: FraudOutcome;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  Money: ResolverTypeWrapper<Money>;
  OrderPayments: ResolverTypeWrapper<OrderPaymentsRecord>;
  Payment: ResolverTypeWrapper<PaymentRecord>;
  PaymentCapture: ResolverTypeWrapper<PaymentCaptureRecord>;
  PaymentCard: ResolverTypeWrapper<PaymentCardRecord>;
  PaymentEventType: PaymentEventType;
  PaymentFailureCode: PaymentFailureCode;
  PaymentLifecycleState: PaymentLifecycleState;
  PaymentMethod: PaymentMethod;
  PaymentRefund: ResolverTypeWrapper<PaymentRefundRecord>;
  PaymentStatusChange: ResolverTypeWrapper<PaymentStatusChangeRecord>;
  Query: ResolverTypeWrapper<{}>;
  RefundReason: RefundReason;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  Boolean: Scalars['Boolean']['output'];
  DateTime: Scalars['DateTime']['output'];
  FraudCheck: FraudCheckRecord;
  ID: Scalars['ID']['output'];
  Int: Scalars['Int']['output'];
  Money: Money;
  OrderPayments: OrderPaymentsRecord;
  Payment: PaymentRecord;
  PaymentCapture: PaymentCaptureRecord;
  PaymentCard: PaymentCardRecord;
  PaymentRefund: PaymentRefundRecord;
  PaymentStatusChange: PaymentStatusChangeRecord;
  Query: {};
  String: Scalars['String']['output'];
};

export type LineageDirectiveArgs = {
  columns: Array<Scalars['String']['input']>;
  events: Array<Scalars['String']['input']>;
  projection: Scalars['String']['input'];
};

export type LineageDirectiveResolver<Result, Parent, ContextType = PaymentAttemptsLoaders, Args = LineageDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type ModelDirectiveArgs = {
  name: Scalars['String']['input'];
};

export type ModelDirectiveResolver<Result, Parent, ContextType = PaymentAttemptsLoaders, Args = ModelDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type FraudCheckResolvers<ContextType = PaymentAttemptsLoaders, ParentType extends ResolversParentTypes['FraudCheck'] = ResolversParentTypes['FraudCheck']> = {
  checkedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  outcome?: Resolver<ResolversTypes['FraudOutcome'], ParentType, ContextType>;
  score?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type MoneyResolvers<ContextType = PaymentAttemptsLoaders, ParentType extends ResolversParentTypes['Money'] = ResolversParentTypes['Money']> = {
  amount?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type OrderPaymentsResolvers<ContextType = PaymentAttemptsLoaders, ParentType extends ResolversParentTypes['OrderPayments'] = ResolversParentTypes['OrderPayments']> = {
  orderId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  payments?: Resolver<Array<ResolversTypes['Payment']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type PaymentResolvers<ContextType = PaymentAttemptsLoaders, ParentType extends ResolversParentTypes['Payment'] = ResolversParentTypes['Payment']> = {
  attemptedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  authorizationExpiresAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  authorizedAmount?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  authorizedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  capturedAmount?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  captures?: Resolver<Array<ResolversTypes['PaymentCapture']>, ParentType, ContextType>;
  card?: Resolver<Maybe<ResolversTypes['PaymentCard']>, ParentType, ContextType>;
  failedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  failureCode?: Resolver<Maybe<ResolversTypes['PaymentFailureCode']>, ParentType, ContextType>;
  fraudCheck?: Resolver<Maybe<ResolversTypes['FraudCheck']>, ParentType, ContextType>;
  lastEventOccurredAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  lifecycleState?: Resolver<ResolversTypes['PaymentLifecycleState'], ParentType, ContextType>;
  method?: Resolver<Maybe<ResolversTypes['PaymentMethod']>, ParentType, ContextType>;
  orderId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  paymentId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  pspReference?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  refundedAmount?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  refunds?: Resolver<Array<ResolversTypes['PaymentRefund']>, ParentType, ContextType>;
  requestedAmount?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  statusHistory?: Resolver<Array<ResolversTypes['PaymentStatusChange']>, ParentType, ContextType>;
  voidedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type PaymentCaptureResolvers<ContextType = PaymentAttemptsLoaders, ParentType extends ResolversParentTypes['PaymentCapture'] = ResolversParentTypes['PaymentCapture']> = {
  amount?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  captureId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  capturedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  sequence?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type PaymentCardResolvers<ContextType = PaymentAttemptsLoaders, ParentType extends ResolversParentTypes['PaymentCard'] = ResolversParentTypes['PaymentCard']> = {
  brand?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  holderName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  last4?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type PaymentRefundResolvers<ContextType = PaymentAttemptsLoaders, ParentType extends ResolversParentTypes['PaymentRefund'] = ResolversParentTypes['PaymentRefund']> = {
  amount?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['RefundReason'], ParentType, ContextType>;
  refundId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  refundedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  sequence?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type PaymentStatusChangeResolvers<ContextType = PaymentAttemptsLoaders, ParentType extends ResolversParentTypes['PaymentStatusChange'] = ResolversParentTypes['PaymentStatusChange']> = {
  eventType?: Resolver<ResolversTypes['PaymentEventType'], ParentType, ContextType>;
  lifecycleState?: Resolver<ResolversTypes['PaymentLifecycleState'], ParentType, ContextType>;
  occurredAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  sequence?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type QueryResolvers<ContextType = PaymentAttemptsLoaders, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  orderIdsWithMoneyMovementBetween?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType, RequireFields<QueryOrderIdsWithMoneyMovementBetweenArgs, 'from' | 'until'>>;
  payment?: Resolver<Maybe<ResolversTypes['Payment']>, ParentType, ContextType, RequireFields<QueryPaymentArgs, 'paymentId'>>;
  paymentsByIds?: Resolver<Array<Maybe<ResolversTypes['Payment']>>, ParentType, ContextType, RequireFields<QueryPaymentsByIdsArgs, 'paymentIds'>>;
  paymentsByOrderIds?: Resolver<Array<ResolversTypes['OrderPayments']>, ParentType, ContextType, RequireFields<QueryPaymentsByOrderIdsArgs, 'orderIds'>>;
};

export type Resolvers<ContextType = PaymentAttemptsLoaders> = {
  DateTime?: GraphQLScalarType;
  FraudCheck?: FraudCheckResolvers<ContextType>;
  Money?: MoneyResolvers<ContextType>;
  OrderPayments?: OrderPaymentsResolvers<ContextType>;
  Payment?: PaymentResolvers<ContextType>;
  PaymentCapture?: PaymentCaptureResolvers<ContextType>;
  PaymentCard?: PaymentCardResolvers<ContextType>;
  PaymentRefund?: PaymentRefundResolvers<ContextType>;
  PaymentStatusChange?: PaymentStatusChangeResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
};

export type DirectiveResolvers<ContextType = PaymentAttemptsLoaders> = {
  lineage?: LineageDirectiveResolver<any, any, ContextType>;
  model?: ModelDirectiveResolver<any, any, ContextType>;
};
