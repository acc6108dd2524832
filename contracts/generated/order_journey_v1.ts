export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** RFC 3339 timestamp, UTC, milliseconds. */
  DateTime: { input: string; output: string; }
};

export type Carrier =
  | 'COLISSIMO'
  | 'DHL'
  | 'ROYAL_MAIL'
  | 'UPS';

export type ContractAudience =
  | 'INTERNAL'
  | 'PARTNER';

export type ContractStatus =
  | 'ACTIVE'
  | 'DEPRECATED'
  | 'DRAFT'
  | 'RETIRED';

export type ContractTier =
  | 'DOMAIN'
  | 'EDGE'
  | 'ENTERPRISE';

export type DataClassification =
  | 'CONFIDENTIAL'
  | 'INTERNAL'
  | 'PII'
  | 'PUBLIC';

/** What a contract's freshness SLA binds (see @contract freshnessBinds). */
export type FreshnessBinding =
  | 'DATA_AGE'
  | 'PROCESSING_LAG';

export type JourneyFlow = {
  __typename?: 'JourneyFlow';
  /** The time stuck is measured at. */
  asOf: Scalars['DateTime']['output'];
  /** How many orders were looked at (the newest, up to recentOrders). */
  ordersConsidered: Scalars['Int']['output'];
  /** Orders per stage, every stage listed (zero included), in JourneyStage order. */
  stages: Array<JourneyStageCount>;
  /** How many orders are stuck in the stages `stuckIn` names (all stages without it), all of them, not only the `first` listed. */
  stuckCount: Scalars['Int']['output'];
  /** Stuck orders, longest stuck first, at most `first`. */
  stuckOrders: Array<OrderJourney>;
};

export type JourneyOrderLine = {
  __typename?: 'JourneyOrderLine';
  lineId: Scalars['ID']['output'];
  quantity: Scalars['Int']['output'];
  sku: Scalars['String']['output'];
};

export type JourneyPayment = {
  __typename?: 'JourneyPayment';
  authorizationExpiresAt?: Maybe<Scalars['DateTime']['output']>;
  authorizedAmount?: Maybe<PaymentMoney>;
  authorizedAt?: Maybe<Scalars['DateTime']['output']>;
  capturedAmount: PaymentMoney;
  failedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Null for an attempt declined at once. */
  method?: Maybe<PaymentMethod>;
  paymentId: Scalars['ID']['output'];
  paymentLifecycleState: PaymentLifecycleState;
  refundedAmount: PaymentMoney;
  voidedAt?: Maybe<Scalars['DateTime']['output']>;
};

export type JourneyShipment = {
  __typename?: 'JourneyShipment';
  cancelledAt?: Maybe<Scalars['DateTime']['output']>;
  carrier?: Maybe<Carrier>;
  createdAt: Scalars['DateTime']['output'];
  deliveredAt?: Maybe<Scalars['DateTime']['output']>;
  dispatchedAt?: Maybe<Scalars['DateTime']['output']>;
  lines: Array<JourneyShipmentLine>;
  shipmentId: Scalars['ID']['output'];
  shipmentStatus: ShipmentStatus;
  trackingNumber?: Maybe<Scalars['String']['output']>;
  warehouseId: Scalars['String']['output'];
  /** The warehouse's shipment wave, e.g. 2026-11-02-W2. */
  wave: Scalars['String']['output'];
};

export type JourneyShipmentLine = {
  __typename?: 'JourneyShipmentLine';
  lineId: Scalars['ID']['output'];
  quantity: Scalars['Int']['output'];
  sku: Scalars['String']['output'];
};

/**
 * Where an order's journey stands. The first stage whose condition holds, in this order, is the
 * order's stage. Facts are event times (`occurredAt`) from the three topics; quantities are the
 * order's current lines (after every amendment).
 * - CANCELLED: the order was cancelled (OrderCancelled).
 * - DELIVERED: at least one shipment was dispatched, every dispatched shipment was delivered, and the order is fully shipped.
 * - SHIPPED: the order is fully shipped: for every current line with quantity > 0, the quantity of that line in dispatched shipments is at least the ordered quantity.
 * - PARTIALLY_SHIPPED: at least one shipment was dispatched.
 * - RELEASED_TO_WAREHOUSE: the legacy OMS released the order to the warehouse (STATUS_CD 4), or a warehouse accepted a shipment for it that is not cancelled (ShipmentCreated).
 * - PAYMENT_AUTHORIZED: the order is confirmed and one of its payments is authorized and neither voided nor failed (PaymentFailed, an expiry reported by the PSP included).
 * - CONFIRMED: the order is confirmed (OrderConfirmed).
 * - PLACED: the order was placed.
 */
export type JourneyStage =
  | 'CANCELLED'
  | 'CONFIRMED'
  | 'DELIVERED'
  | 'PARTIALLY_SHIPPED'
  | 'PAYMENT_AUTHORIZED'
  | 'PLACED'
  | 'RELEASED_TO_WAREHOUSE'
  | 'SHIPPED';

export type JourneyStageCount = {
  __typename?: 'JourneyStageCount';
  orders: Scalars['Int']['output'];
  stage: JourneyStage;
  stuck: Scalars['Int']['output'];
};

/** The documented masks: EMAIL j***@example.test, POSTAL_CODE 10***, NAME J. D., TEXT ***. */
export type MaskKind =
  | 'EMAIL'
  | 'NAME'
  | 'POSTAL_CODE'
  | 'TEXT';

export type OrderJourney = {
  __typename?: 'OrderJourney';
  /** Where the journey stands now; the exact condition of each stage is on JourneyStage. */
  journeyStage: JourneyStage;
  orderCancelledAt?: Maybe<Scalars['DateTime']['output']>;
  orderConfirmedAt?: Maybe<Scalars['DateTime']['output']>;
  orderId: Scalars['ID']['output'];
  orderLifecycleState: OrderLifecycleState;
  orderLines: Array<JourneyOrderLine>;
  orderPlacedAt: Scalars['DateTime']['output'];
  orderTotal: OrderMoney;
  /** Payment attempts for this order, oldest first (from the payments context, joined on orderId). */
  payments: Array<JourneyPayment>;
  /** When the legacy OMS released the order to the warehouse (STATUS_CD 4); null for other orders and before. */
  releasedToWarehouseAt?: Maybe<Scalars['DateTime']['output']>;
  salesChannel: SalesChannel;
  /** Shipments for this order, oldest first (from the fulfillment context, joined on orderId). */
  shipments: Array<JourneyShipment>;
  /**
   * The event time at which the current stage's condition first held: the stage is evaluated after
   * every event of the journey in event-time order, and this is the time of the event from which on
   * it has been the current stage without interruption.
   */
  stageSince: Scalars['DateTime']['output'];
};

export type OrderLifecycleState =
  | 'CANCELLED'
  | 'CONFIRMED'
  | 'PLACED';

/** An order amount: a decimal string with two fractional digits, and an ISO 4217 currency. */
export type OrderMoney = {
  __typename?: 'OrderMoney';
  amount: Scalars['String']['output'];
  currency: Scalars['String']['output'];
};

export type PaymentLifecycleState =
  | 'AUTHORIZED'
  | 'CAPTURED'
  | 'FAILED'
  | 'PARTIALLY_CAPTURED'
  | 'PARTIALLY_REFUNDED'
  | 'REFUNDED'
  | 'VOIDED';

export type PaymentMethod =
  | 'BANK_TRANSFER'
  | 'CARD'
  | 'GIFT_CARD'
  | 'WALLET';

/** A payment amount, always in its order's currency. */
export type PaymentMoney = {
  __typename?: 'PaymentMoney';
  amount: Scalars['String']['output'];
  currency: Scalars['String']['output'];
};

/** The rights a principal can hold beyond reading its contracts. */
export type PrincipalRight =
  | 'EXPORT'
  | 'OPERATE'
  | 'STEWARD';

export type Query = {
  __typename?: 'Query';
  /**
   * Flow observability over the `recentOrders` newest orders (at most 2000): how many are in each
   * journey stage, and those stuck in a stage that is not final (DELIVERED, CANCELLED) for longer than
   * `stuckLongerThanSeconds` at `asOf` (default: now). `stuckIn` narrows `stuckOrders` and
   * `stuckCount` to some stages, e.g. [PAYMENT_AUTHORIZED, RELEASED_TO_WAREHOUSE] for "authorized but
   * not yet shipped"; the per-stage counts in `stages` always cover every stage.
   */
  journeyFlow: JourneyFlow;
  /** One order's journey, or null if no such order was placed (a payment or shipment for an unknown order is not a journey yet). */
  orderJourney?: Maybe<OrderJourney>;
  /** Newest orders first; pass the last orderId as `after` for the next page. */
  orderJourneys: Array<OrderJourney>;
};


export type QueryJourneyFlowArgs = {
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
  first?: Scalars['Int']['input'];
  recentOrders?: Scalars['Int']['input'];
  stuckIn?: InputMaybe<Array<JourneyStage>>;
  stuckLongerThanSeconds?: Scalars['Int']['input'];
};


export type QueryOrderJourneyArgs = {
  orderId: Scalars['ID']['input'];
};


export type QueryOrderJourneysArgs = {
  after?: InputMaybe<Scalars['ID']['input']>;
  first?: Scalars['Int']['input'];
};

export type RedactionStrategy =
  | 'MASK'
  | 'OMIT'
  | 'TOKENIZE';

export type SalesChannel =
  | 'MARKETPLACE'
  | 'STORE'
  | 'WEB';

export type ShipmentStatus =
  | 'CANCELLED'
  | 'CREATED'
  | 'DELIVERED'
  | 'DISPATCHED'
  | 'PICKED';
