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

export type CustomerOrderLine = {
  __typename?: 'CustomerOrderLine';
  lineAmount: Money;
  lineId: Scalars['ID']['output'];
  quantity: Scalars['Int']['output'];
  sku: Scalars['String']['output'];
  unitPrice: Money;
};

export type CustomerOrderTimeline = {
  __typename?: 'CustomerOrderTimeline';
  /** When the commercial commitment became binding; null until then. */
  commercialCommitmentAt?: Maybe<Scalars['DateTime']['output']>;
  customerEmail: Scalars['String']['output'];
  customerId: Scalars['ID']['output'];
  lifecycleHistory: Array<LifecycleChange>;
  /** Minutes from placement to commercial commitment; null until confirmed. */
  minutesToCommitment?: Maybe<Scalars['Int']['output']>;
  orderId: Scalars['ID']['output'];
  /** Where the order stands commercially. */
  orderLifecycleState: OrderLifecycleState;
  orderLines: Array<CustomerOrderLine>;
  orderPlacedAt: Scalars['DateTime']['output'];
  /**
   * PLACED, CONFIRMED or CANCELLED as one string.
   * @deprecated Overloads the lifecycle into a free string. Use orderLifecycleState, an enum with the same three states.
   */
  orderStatus: Scalars['String']['output'];
  orderTotal: Money;
  /**
   * The order total as a float.
   * @deprecated Floats lose cents. Use orderTotal (exact amount with currency).
   */
  orderTotalAsFloat: Scalars['Float']['output'];
};

export type DataClassification =
  | 'CONFIDENTIAL'
  | 'INTERNAL'
  | 'PII'
  | 'PUBLIC';

/** What a contract's freshness SLA binds (see @contract freshnessBinds). */
export type FreshnessBinding =
  | 'DATA_AGE'
  | 'PROCESSING_LAG';

export type LifecycleChange = {
  __typename?: 'LifecycleChange';
  occurredAt: Scalars['DateTime']['output'];
  orderLifecycleState: OrderLifecycleState;
  sequence: Scalars['Int']['output'];
};

/** The documented masks: EMAIL j***@example.test, POSTAL_CODE 10***, NAME J. D., TEXT ***. */
export type MaskKind =
  | 'EMAIL'
  | 'NAME'
  | 'POSTAL_CODE'
  | 'TEXT';

/** An exact amount in a currency. */
export type Money = {
  __typename?: 'Money';
  /** Decimal string, two fractional digits. */
  amount: Scalars['String']['output'];
  /** ISO 4217. */
  currency: Scalars['String']['output'];
};

export type OrderLifecycleState =
  | 'CANCELLED'
  | 'CONFIRMED'
  | 'PLACED';

/** The rights a principal can hold beyond reading its contracts. */
export type PrincipalRight =
  | 'EXPORT'
  | 'OPERATE'
  | 'STEWARD';

export type Query = {
  __typename?: 'Query';
  /** One order's timeline, or null if no such order exists. */
  customerOrderTimeline?: Maybe<CustomerOrderTimeline>;
  /** Newest orders first; pass the last orderId as `after` for the next page. */
  recentCustomerOrders: Array<CustomerOrderTimeline>;
};


export type QueryCustomerOrderTimelineArgs = {
  orderId: Scalars['ID']['input'];
};


export type QueryRecentCustomerOrdersArgs = {
  after?: InputMaybe<Scalars['ID']['input']>;
  first?: Scalars['Int']['input'];
};

export type RedactionStrategy =
  | 'MASK'
  | 'OMIT'
  | 'TOKENIZE';
