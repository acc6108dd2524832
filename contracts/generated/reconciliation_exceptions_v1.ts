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

export type Acknowledgement = {
  __typename?: 'Acknowledgement';
  acknowledgedAt: Scalars['DateTime']['output'];
  /** The principal's name. */
  acknowledgedBy: Scalars['String']['output'];
  note: Scalars['String']['output'];
  openCount: Scalars['Int']['output'];
};

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

export type EvidenceEvent = {
  __typename?: 'EvidenceEvent';
  eventId: Scalars['ID']['output'];
  occurredAt: Scalars['DateTime']['output'];
  /** A decimal string: offsets can exceed 2^53. */
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
  maxAgeSeconds?: InputMaybe<Scalars['Int']['input']>;
  minAgeSeconds?: InputMaybe<Scalars['Int']['input']>;
  orderId?: InputMaybe<Scalars['ID']['input']>;
  /** payments, fulfillment or finance. */
  owners?: InputMaybe<Array<Scalars['String']['input']>>;
  rules?: InputMaybe<Array<ExceptionRule>>;
  severities?: InputMaybe<Array<ExceptionSeverity>>;
  states?: InputMaybe<Array<ExceptionState>>;
};

export type ExceptionPage = {
  __typename?: 'ExceptionPage';
  endCursor?: Maybe<Scalars['String']['output']>;
  exceptions: Array<ReconciliationException>;
  hasNextPage: Scalars['Boolean']['output'];
};

/**
 * SHIPPED_NOT_CAPTURED (payments, HIGH): dispatched and no capture on the order by dispatch + 24 h.
 * CANCELLED_NOT_REFUNDED (payments, CRITICAL): cancelled, and at cancellation + 48 h captures minus refunds exceed the value of the lines dispatched before the cancellation.
 * SHIPPED_AFTER_CANCEL (fulfillment, HIGH): a shipment dispatched at or after the cancellation; never resolves by itself.
 * CAPTURE_EXCEEDS_ORDER (payments, CRITICAL): captures minus refunds exceed the order total, at any time.
 * DELIVERED_AMOUNT_MISMATCH (finance, MEDIUM): every line delivered in full and, 72 h after the delivery that completed it, captures minus refunds differ from the total.
 * OVERSHIPPED_LINE (fulfillment, MEDIUM): a line dispatched beyond its ordered quantity.
 * AUTHORIZATION_EXPIRED_UNSHIPPED (payments, MEDIUM): an authorization expired uncaptured, not voided or failed, its order confirmed, not cancelled, not fully shipped.
 * ORPHAN_PAYMENT (payments, MEDIUM) / ORPHAN_SHIPMENT (fulfillment, HIGH): no OrderPlaced by the first payment (shipment) event of the order + 24 h.
 */
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

/** What a contract's freshness SLA binds (see @contract freshnessBinds). */
export type FreshnessBinding =
  | 'DATA_AGE'
  | 'PROCESSING_LAG';

export type LineAgreement = {
  __typename?: 'LineAgreement';
  deliveredQuantity: Scalars['Int']['output'];
  lineId: Scalars['ID']['output'];
  orderedQuantity: Scalars['Int']['output'];
  shippedQuantity: Scalars['Int']['output'];
  sku: Scalars['String']['output'];
  unitPrice: Scalars['String']['output'];
};

/** The documented masks: EMAIL j***@example.test, POSTAL_CODE 10***, NAME J. D., TEXT ***. */
export type MaskKind =
  | 'EMAIL'
  | 'NAME'
  | 'POSTAL_CODE'
  | 'TEXT';

/** An exact decimal amount with two fractional digits, in its ISO 4217 currency (the order's). */
export type Money = {
  __typename?: 'Money';
  amount: Scalars['String']['output'];
  currency: Scalars['String']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /**
   * A steward takes ownership of an open exception with a note (1 to 2000 characters); its state
   * becomes ACKNOWLEDGED until it resolves. Kept across rebuilds; covers the current opening only.
   * Errors: FORBIDDEN without the steward right, EXCEPTION_NOT_FOUND, EXCEPTION_NOT_OPEN, BAD_USER_INPUT.
   */
  acknowledgeException: ReconciliationException;
};


export type MutationAcknowledgeExceptionArgs = {
  exceptionId: Scalars['ID']['input'];
  note: Scalars['String']['input'];
};

/** As of every event applied; shipped means dispatched, valued at the order's current prices. Money is null while the order is unknown. */
export type OrderAgreement = {
  __typename?: 'OrderAgreement';
  authorized?: Maybe<Money>;
  cancelled: Scalars['Boolean']['output'];
  captured?: Maybe<Money>;
  confirmed: Scalars['Boolean']['output'];
  delivered?: Maybe<Money>;
  exceptions: Array<ReconciliationException>;
  lines: Array<LineAgreement>;
  net?: Maybe<Money>;
  orderId: Scalars['ID']['output'];
  ordered?: Maybe<Money>;
  paymentAttempts: Scalars['Int']['output'];
  placedAt?: Maybe<Scalars['DateTime']['output']>;
  refunded?: Maybe<Money>;
  shipments: Scalars['Int']['output'];
  shipped?: Maybe<Money>;
};

/** The rights a principal can hold beyond reading its contracts. */
export type PrincipalRight =
  | 'EXPORT'
  | 'OPERATE'
  | 'STEWARD';

export type Query = {
  __typename?: 'Query';
  /** One exception by id (RULE:orderId, or RULE:orderId:paymentId); null when unknown. */
  exception?: Maybe<ReconciliationException>;
  /** How many exceptions match the filter, per rule, owner, severity and state. */
  exceptionCounts: Array<ExceptionCount>;
  /** Exceptions matching the filter, oldest current opening first, at most `first` (1 to 500); pass `endCursor` as `after` for the next page. */
  exceptions: ExceptionPage;
  /** Per order id (at most 1000), in the order given: what its contexts agree on; null for an order with no known event. */
  orderAgreements: Array<Maybe<OrderAgreement>>;
  /** The event time up to which exceptions are decided; ages are computed against it. */
  watermark: ReconciliationWatermark;
};


export type QueryExceptionArgs = {
  exceptionId: Scalars['ID']['input'];
};


export type QueryExceptionCountsArgs = {
  filter?: InputMaybe<ExceptionFilter>;
};


export type QueryExceptionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ExceptionFilter>;
  first?: Scalars['Int']['input'];
};


export type QueryOrderAgreementsArgs = {
  orderIds: Array<Scalars['ID']['input']>;
};

export type ReconciliationException = {
  __typename?: 'ReconciliationException';
  acknowledgement?: Maybe<Acknowledgement>;
  /** Seconds against the watermark: watermark minus lastOpenedAt while open; resolvedAt minus lastOpenedAt once resolved. */
  ageSeconds: Scalars['Int']['output'];
  /** The deadline that opened it; null for a rule decided at once. */
  deadlineAt?: Maybe<Scalars['DateTime']['output']>;
  /** The events behind it, with topic, partition and offset. */
  evidence: Array<EvidenceEvent>;
  /** Stable across rebuilds. */
  exceptionId: Scalars['ID']['output'];
  /** Event time of its current opening. */
  lastOpenedAt: Scalars['DateTime']['output'];
  openCount: Scalars['Int']['output'];
  /** Event time it first opened. */
  openedAt: Scalars['DateTime']['output'];
  orderId: Scalars['ID']['output'];
  /** The context (or team) that must act. */
  owner: Scalars['String']['output'];
  /** For AUTHORIZATION_EXPIRED_UNSHIPPED, the payment attempt; else null. */
  paymentId?: Maybe<Scalars['ID']['output']>;
  resolvedAt?: Maybe<Scalars['DateTime']['output']>;
  resolvedBy?: Maybe<EvidenceEvent>;
  rule: ExceptionRule;
  severity: ExceptionSeverity;
  state: ExceptionState;
};

export type ReconciliationWatermark = {
  __typename?: 'ReconciliationWatermark';
  /** Null before any event. */
  watermark?: Maybe<Scalars['DateTime']['output']>;
};

export type RedactionStrategy =
  | 'MASK'
  | 'OMIT'
  | 'TOKENIZE';
