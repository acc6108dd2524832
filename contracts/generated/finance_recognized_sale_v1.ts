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

export type DataClassification =
  | 'CONFIDENTIAL'
  | 'INTERNAL'
  | 'PII'
  | 'PUBLIC';

/** What a contract's freshness SLA binds (see @contract freshnessBinds). */
export type FreshnessBinding =
  | 'DATA_AGE'
  | 'PROCESSING_LAG';

/** The lines of one business date in one currency. */
export type LedgerDateTotal = {
  __typename?: 'LedgerDateTotal';
  businessDate: Scalars['String']['output'];
  /** How many lines (RECOGNITION and ADJUSTMENT) make the total. */
  lineCount: Scalars['Int']['output'];
  /** The sum of the lines, signed. */
  total: LedgerMoney;
};

export type LedgerLineKind =
  /** A capture (+) or a refund (−) with an event time on or after D+1 00:00:00.000Z, on its own business date. */
  | 'ADJUSTMENT'
  /** The line on D: the order's captures minus its refunds with an event time before D+1 00:00:00.000Z (written even when zero). */
  | 'RECOGNITION';

/** An exact signed amount: a decimal string with two fractional digits ("-12.30"), never a float; and its ISO 4217 currency, the order's. */
export type LedgerMoney = {
  __typename?: 'LedgerMoney';
  amount: Scalars['String']['output'];
  currency: Scalars['String']['output'];
};

/** The documented masks: EMAIL j***@example.test, POSTAL_CODE 10***, NAME J. D., TEXT ***. */
export type MaskKind =
  | 'EMAIL'
  | 'NAME'
  | 'POSTAL_CODE'
  | 'TEXT';

/** The rights a principal can hold beyond reading its contracts. */
export type PrincipalRight =
  | 'EXPORT'
  | 'OPERATE'
  | 'STEWARD';

export type Query = {
  __typename?: 'Query';
  /**
   * One order's recognized sale under the rule of this contract (see the contract description): its
   * ledger lines and its recognized total. Null when the orders context does not know the order (a
   * payment or a shipment for an unknown order is not a sale).
   */
  recognizedSaleByOrder?: Maybe<RecognizedSale>;
  /**
   * The ledger lines whose business date is from `fromDate` to `toDate` (UTC business dates written
   * YYYY-MM-DD, both included, fromDate not after toDate, at most 31 dates), every order's, with
   * totals per business date and currency. Candidate orders are those with a shipment dispatched, or
   * a capture or refund, in the range (every line in the range has one of these events in it); each
   * candidate's whole ledger is computed by the rule and its lines in the range are kept. A range
   * with more than 5000 candidate orders is refused (ask for a shorter range), never truncated.
   */
  recognizedSaleLedger: RecognizedSaleLedger;
};


export type QueryRecognizedSaleByOrderArgs = {
  orderId: Scalars['ID']['input'];
};


export type QueryRecognizedSaleLedgerArgs = {
  fromDate: Scalars['String']['input'];
  toDate: Scalars['String']['input'];
};

/** An order's sale as the rule sees it now. */
export type RecognizedSale = {
  __typename?: 'RecognizedSale';
  /** Event time of the order's first ShipmentDispatched, whatever the order's state; null while no shipment is known to be dispatched. */
  firstDispatchedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Every ledger line of the order, in ledger order (see RecognizedSaleLedgerLine); empty while the sale is not recognized. */
  ledgerLines: Array<RecognizedSaleLedgerLine>;
  orderCancelledAt?: Maybe<Scalars['DateTime']['output']>;
  /** When the order was confirmed (event time); null while it is not. */
  orderConfirmedAt?: Maybe<Scalars['DateTime']['output']>;
  orderId: Scalars['ID']['output'];
  /**
   * D, the UTC business date (YYYY-MM-DD) the sale is recognized on: that of the first dispatch, once
   * the order is confirmed, unless it was cancelled at or before that dispatch. Null while the order
   * is not confirmed or not dispatched, and for an order never recognized.
   */
  recognitionDate?: Maybe<Scalars['String']['output']>;
  /** The sum of the order's ledger lines per currency (one currency: the order's): its captures minus its refunds once recognized; empty while it is not. */
  recognizedTotal: Array<LedgerMoney>;
  /**
   * The producing system that entered the order: `legacy-oms` for an order entered in the legacy OMS
   * (and translated from its change stream), else the domain producer (`web-checkout`, `store-pos`,
   * `marketplace-bridge`). Says which orders the legacy finance extract covers during the parallel
   * run. Null for an order applied before the orders projection recorded it.
   */
  sourceSystem?: Maybe<Scalars['String']['output']>;
};

/** The ledger of a range of business dates. */
export type RecognizedSaleLedger = {
  __typename?: 'RecognizedSaleLedger';
  /** Every line dated in the range, in ledger order. */
  lines: Array<RecognizedSaleLedgerLine>;
  /** One total per business date and currency that has lines in the range, by date then currency. */
  totals: Array<LedgerDateTotal>;
};

/**
 * One ledger line. Ledger order: business date, order id, the RECOGNITION line before adjustments,
 * adjustments by event time, a capture before a refund of the same instant, then by capture or
 * refund id. A line is identified by orderId with lineKind RECOGNITION, or by its one capture or
 * refund id for an ADJUSTMENT.
 */
export type RecognizedSaleLedgerLine = {
  __typename?: 'RecognizedSaleLedgerLine';
  /** Signed: captures (+) minus refunds (−), in the order's currency. */
  amount: LedgerMoney;
  /** UTC business date, YYYY-MM-DD: D for the RECOGNITION line, the date of its capture or refund for an ADJUSTMENT. */
  businessDate: Scalars['String']['output'];
  /** The captures behind the line, in id order (audit): those dated before D+1 for the RECOGNITION line, its one capture for an ADJUSTMENT. */
  captureIds: Array<Scalars['ID']['output']>;
  lineKind: LedgerLineKind;
  /** The event behind the line: the first dispatch for the RECOGNITION line, the capture or refund for an ADJUSTMENT. */
  occurredAt: Scalars['DateTime']['output'];
  orderId: Scalars['ID']['output'];
  /** The refunds behind the line, in id order (audit). */
  refundIds: Array<Scalars['ID']['output']>;
};

export type RedactionStrategy =
  | 'MASK'
  | 'OMIT'
  | 'TOKENIZE';
