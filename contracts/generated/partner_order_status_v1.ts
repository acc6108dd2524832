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
  /** Opaque position in the change feed. Pass back the endCursor you received; never build one. */
  Cursor: { input: string; output: string; }
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

export type DataClassification =
  | 'CONFIDENTIAL'
  | 'INTERNAL'
  | 'PII'
  | 'PUBLIC';

/** What a contract's freshness SLA binds (see @contract freshnessBinds). */
export type FreshnessBinding =
  | 'DATA_AGE'
  | 'PROCESSING_LAG';

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

export type PartnerOrderChanges = {
  __typename?: 'PartnerOrderChanges';
  /** Where the next pull starts; null only when nothing was ever delivered. */
  endCursor?: Maybe<Scalars['Cursor']['output']>;
  /** True when more changes are waiting now; false means caught up (ask again later). */
  hasMore: Scalars['Boolean']['output'];
  /** The changed orders, each in its current state. */
  nodes: Array<PartnerOrderStatus>;
};

export type PartnerOrderLine = {
  __typename?: 'PartnerOrderLine';
  lineId: Scalars['ID']['output'];
  quantity: Scalars['Int']['output'];
  sku: Scalars['String']['output'];
};

export type PartnerOrderStatus = {
  __typename?: 'PartnerOrderStatus';
  cancelledAt?: Maybe<Scalars['DateTime']['output']>;
  /** When the commercial commitment became binding; null until then. */
  commercialCommitmentAt?: Maybe<Scalars['DateTime']['output']>;
  /** The customer's email, masked (j***@example.test). */
  customerEmailMasked: Scalars['String']['output'];
  /** A stable pseudonym of the customer for you alone: the same customer gets the same token in all your pulls, and a different one for any other partner. */
  customerToken: Scalars['ID']['output'];
  orderId: Scalars['ID']['output'];
  /** Where the order stands commercially. */
  orderLifecycleState: OrderLifecycleState;
  orderLines: Array<PartnerOrderLine>;
  orderPlacedAt: Scalars['DateTime']['output'];
  orderTotal: Money;
  salesChannel: SalesChannel;
  /** Internal only: does not exist for partners. */
  shippingCity: Scalars['String']['output'];
  shippingCountry: Scalars['String']['output'];
  /** The shipping postal code's first two characters (10***). */
  shippingPostalCodeMasked: Scalars['String']['output'];
};

/** The rights a principal can hold beyond reading its contracts. */
export type PrincipalRight =
  | 'EXPORT'
  | 'OPERATE'
  | 'STEWARD';

export type Query = {
  __typename?: 'Query';
  /** Orders that changed since `since` (null: from the beginning), oldest change first. Keep endCursor and ask again; an order appears again when it changes again. */
  changes: PartnerOrderChanges;
  /** One of your orders, or null when it does not exist or is not yours. */
  partnerOrder?: Maybe<PartnerOrderStatus>;
  /** Your newest orders first; pass the last orderId as `after` for the next page. */
  partnerOrders: Array<PartnerOrderStatus>;
};


export type QueryChangesArgs = {
  first?: Scalars['Int']['input'];
  since?: InputMaybe<Scalars['Cursor']['input']>;
};


export type QueryPartnerOrderArgs = {
  orderId: Scalars['ID']['input'];
};


export type QueryPartnerOrdersArgs = {
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
