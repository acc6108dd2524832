import { murmur2Partition } from '../../../platform/eventLog/index.js';
import type { EventOrigin } from '../../../platform/projection/index.js';
import type { Carrier, ShipmentCancellationReason, ShipmentCancelled, ShipmentCreated, ShipmentDelivered, ShipmentDispatched, ShipmentPicked, WarehouseId } from '../../fulfillment/index.js';
import { FULFILLMENT_EVENTS_TOPIC, WAREHOUSE_SOURCE_SYSTEMS } from '../../fulfillment/index.js';
import type { CancellationReason, OrderCancelled, OrderConfirmed, OrderLineAmended, OrderPlaced, SalesChannel } from '../../orders/index.js';
import { ORDERS_EVENTS_TOPIC } from '../../orders/index.js';
import type {
  FraudCheckCompleted, FraudOutcome, PaymentAuthorized, PaymentCaptured, PaymentFailed, PaymentFailureCode, PaymentMethod, PaymentRefunded, PaymentVoided, RefundReason,
} from '../../payments/index.js';
import { PAYMENT_SOURCE_SYSTEMS, PAYMENTS_EVENTS_TOPIC } from '../../payments/index.js';
import type { ReconciliationEvent } from '../events/ReconciliationEvent.js';
import { withoutPersonalData } from '../events/withoutPersonalData.js';
import type { OrderFact } from '../rules/OrderFact.js';

// Order-to-cash histories for reconciliation's tests, written as the business story they tell:
//
//   const history = reconciliationFacts();
//   const order = history.order('ord-000123');
//   order.placed(at(0), [line('1', 2, '10.00')]);
//   history.payment('pay-000123-1', order).authorized(at(0), '20.00');
//   history.shipment('shp-000123-1', order).created(at(1), { 1: 2 });
//   decideOrder('ord-000123', history.facts(), at(48));
//
// Every event is a complete producer envelope in the shapes of shared/events/README.md (all
// `data` fields, personal data included, as the producer publishes it), with the log position
// it was read at. Test support of this context only: no production code imports it.

export const HOUR = 3_600_000;
export const MINUTE = 60_000;
/** When every story starts, unless told otherwise: a Monday morning, UTC. */
export const STORY_START = Date.parse('2026-03-02T09:00:00.000Z');
/** Epoch ms `hours` (fractions allowed) after the story start: `at(24)` is a day in. */
export const at = (hours: number): number => STORY_START + Math.round(hours * HOUR);
/** An instant: epoch ms, or an RFC 3339 timestamp. */
export type Instant = number | string;

/** A fact whose event is of one known type (still an OrderFact). */
export interface StoryFact<E extends ReconciliationEvent = ReconciliationEvent> extends OrderFact {
  event: E;
}

/** A line as the order places it. */
export interface PlacedLine {
  lineId: string;
  sku: string;
  quantity: number;
  unitPrice: string;
}

/** `line('1', 2, '10.00')`: line 1, two at 10.00 (sku `SKU-1` unless given). */
export const line = (lineId: string, quantity: number, unitPrice: string, sku = `SKU-${lineId}`): PlacedLine => ({ lineId, sku, quantity, unitPrice });

export interface StoryOptions {
  /** Partitions of every topic; an aggregate's partition is Kafka's (murmur2 of its id). Default 3. */
  partitions?: number;
  /**
   * First group of every event id (8 hex digits). Ids are otherwise a counter, so one story is
   * the same every run; give two stories written to one log different spaces. Default `00000000`.
   */
  idSpace?: string;
  /** How long after `occurredAt` the producer publishes (`producedAt`). Default 1 s. */
  publishDelayMs?: number;
}

/** A record as a producer would write it (key = aggregate id, value = the envelope's JSON), with the position the story gave it. */
export interface StoryRecord extends EventOrigin {
  key: string;
  value: string;
}

const iso = (instant: Instant): string => new Date(typeof instant === 'number' ? instant : Date.parse(instant)).toISOString();

type Envelope<E extends ReconciliationEvent> = Omit<E, 'eventId' | 'schemaVersion' | 'aggregateId' | 'sequence' | 'occurredAt' | 'producedAt' | 'correlationId' | 'causationId' | 'source'>;

/** The log every aggregate of a story writes to: ids, offsets and the facts in the order written. */
class StoryLog {
  private readonly written: StoryFact[] = [];
  private readonly offsets = new Map<string, number>();
  private ids = 0;

  constructor(private readonly options: Required<StoryOptions>) {}

  append<E extends ReconciliationEvent>(topic: string, head: { aggregateId: string; sequence: number; occurredAt: Instant; correlationId: string; causationId: string | null; source: string }, body: Envelope<E>): StoryFact<E> {
    const eventId = `${this.options.idSpace}-0000-4000-8000-${(++this.ids).toString(16).padStart(12, '0')}`;
    const occurredAt = iso(head.occurredAt);
    const event = {
      eventId,
      type: body.type,
      schemaVersion: 1,
      aggregateId: head.aggregateId,
      sequence: head.sequence,
      occurredAt,
      producedAt: iso(Date.parse(occurredAt) + this.options.publishDelayMs),
      correlationId: head.correlationId,
      causationId: head.causationId,
      source: head.source,
      data: body.data,
    } as E;
    const partition = murmur2Partition(head.aggregateId, this.options.partitions);
    const slot = `${topic}/${partition}`;
    const offset = this.offsets.get(slot) ?? 0;
    this.offsets.set(slot, offset + 1);
    const fact: StoryFact<E> = { event, origin: { topic, partition, offset } };
    this.written.push(fact);
    return fact;
  }

  facts(): StoryFact[] {
    return [...this.written];
  }
}

/** What every aggregate of a story shares: its id, sequence and causation chain. */
abstract class AggregateStory {
  private sequence = 0;
  private lastEventId: string | null = null;

  protected constructor(
    protected readonly log: StoryLog,
    readonly aggregateId: string,
    readonly orderId: string,
    private readonly topic: string,
  ) {}

  /** Sequence per aggregate from 1; each event caused by the aggregate's previous one. */
  protected emit<E extends ReconciliationEvent>(occurredAt: Instant, source: string, body: Envelope<E>): StoryFact<E> {
    const fact = this.log.append<E>(this.topic, { aggregateId: this.aggregateId, sequence: ++this.sequence, occurredAt, correlationId: this.orderId, causationId: this.lastEventId, source }, body);
    this.lastEventId = fact.event.eventId;
    return fact;
  }
}

const ORDER_SOURCES = { web: 'web-checkout', store: 'store-pos', marketplace: 'marketplace-bridge' } as const satisfies Record<SalesChannel, string>;

export interface OrderOptions {
  /** ISO 4217; its payments use it too. Default EUR. */
  currency?: string;
  /** Default web (source `web-checkout`). */
  channel?: SalesChannel;
}

/** An order's events on `orders.events.v1`. */
export class OrderStory extends AggregateStory {
  readonly currency: string;
  readonly channel: SalesChannel;
  /** The lines as placed and amended so far, by line id. */
  readonly lines = new Map<string, PlacedLine>();

  constructor(log: StoryLog, orderId: string, options: OrderOptions) {
    super(log, orderId, orderId, ORDERS_EVENTS_TOPIC);
    this.currency = options.currency ?? 'EUR';
    this.channel = options.channel ?? 'web';
  }

  placed(occurredAt: Instant, lines: readonly PlacedLine[]): StoryFact<OrderPlaced> {
    for (const placed of lines) this.lines.set(placed.lineId, placed);
    return this.emit<OrderPlaced>(occurredAt, ORDER_SOURCES[this.channel], {
      type: 'OrderPlaced',
      data: {
        customerId: `cus-${this.orderId}`,
        channel: this.channel,
        currency: this.currency,
        lines: lines.map((l) => ({ ...l })),
        customerEmail: `customer.${this.orderId}@example.com`,
        shippingAddress: { line1: '12 Rue de la République', city: 'Lyon', postalCode: '69002', country: 'FR' },
      },
    });
  }

  /** The line's quantity (0 removes it) and unit price (default: its current one). */
  amended(occurredAt: Instant, lineId: string, quantity: number, unitPrice = this.lines.get(lineId)?.unitPrice ?? '0.00'): StoryFact<OrderLineAmended> {
    this.lines.set(lineId, { lineId, sku: this.lines.get(lineId)?.sku ?? `SKU-${lineId}`, quantity, unitPrice });
    return this.emit<OrderLineAmended>(occurredAt, ORDER_SOURCES[this.channel], { type: 'OrderLineAmended', data: { lineId, quantity, unitPrice } });
  }

  confirmed(occurredAt: Instant): StoryFact<OrderConfirmed> {
    return this.emit<OrderConfirmed>(occurredAt, ORDER_SOURCES[this.channel], { type: 'OrderConfirmed', data: {} });
  }

  cancelled(occurredAt: Instant, reason: CancellationReason = 'customer_request'): StoryFact<OrderCancelled> {
    return this.emit<OrderCancelled>(occurredAt, ORDER_SOURCES[this.channel], { type: 'OrderCancelled', data: { reason } });
  }
}

export interface PaymentOptions {
  /** Default card (source `psp-adyen-bridge`). */
  method?: PaymentMethod;
  /** Default: the order's, when the story has the order; else EUR. */
  currency?: string;
}

/** One payment attempt's events on `payments.events.v1`. */
export class PaymentStory extends AggregateStory {
  readonly method: PaymentMethod;
  readonly currency: string;
  private refunds = 0;
  private captures = 0;

  constructor(log: StoryLog, paymentId: string, orderId: string, options: PaymentOptions & { currency: string }) {
    super(log, paymentId, orderId, PAYMENTS_EVENTS_TOPIC);
    this.method = options.method ?? 'card';
    this.currency = options.currency;
  }

  private get source(): string {
    return PAYMENT_SOURCE_SYSTEMS[this.method];
  }

  /** Funds reserved until `expiresAt` (default: 7 days after the authorization). */
  authorized(occurredAt: Instant, amount: string, expiresAt: Instant = Date.parse(iso(occurredAt)) + 7 * 24 * HOUR): StoryFact<PaymentAuthorized> {
    return this.emit<PaymentAuthorized>(occurredAt, this.source, {
      type: 'PaymentAuthorized',
      data: {
        orderId: this.orderId,
        amount,
        currency: this.currency,
        method: this.method,
        pspReference: `PSP-${this.aggregateId}`,
        card: this.method === 'card' ? { brand: 'visa', last4: '4242', holderName: 'Ada Lovelace' } : null,
        authorizationExpiresAt: iso(expiresAt),
      },
    });
  }

  fraudChecked(occurredAt: Instant, outcome: FraudOutcome = 'passed', score = 12): StoryFact<FraudCheckCompleted> {
    return this.emit<FraudCheckCompleted>(occurredAt, this.source, { type: 'FraudCheckCompleted', data: { outcome, score } });
  }

  captured(occurredAt: Instant, amount: string): StoryFact<PaymentCaptured> {
    return this.emit<PaymentCaptured>(occurredAt, this.source, { type: 'PaymentCaptured', data: { captureId: `cap-${this.aggregateId}-${++this.captures}`, amount } });
  }

  refunded(occurredAt: Instant, amount: string, reason: RefundReason = 'returned'): StoryFact<PaymentRefunded> {
    return this.emit<PaymentRefunded>(occurredAt, this.source, { type: 'PaymentRefunded', data: { refundId: `ref-${this.aggregateId}-${++this.refunds}`, amount, reason } });
  }

  voided(occurredAt: Instant): StoryFact<PaymentVoided> {
    return this.emit<PaymentVoided>(occurredAt, this.source, { type: 'PaymentVoided', data: {} });
  }

  /** Terminal, after an authorization. */
  failed(occurredAt: Instant, failureCode: PaymentFailureCode = 'processor_error'): StoryFact<PaymentFailed> {
    return this.emit<PaymentFailed>(occurredAt, this.source, { type: 'PaymentFailed', data: { failureCode } });
  }

  /** Declined at once: PaymentFailed as the attempt's first event, naming the order, amount and currency. */
  declined(occurredAt: Instant, amount: string, failureCode: PaymentFailureCode = 'declined'): StoryFact<PaymentFailed> {
    return this.emit<PaymentFailed>(occurredAt, this.source, { type: 'PaymentFailed', data: { failureCode, orderId: this.orderId, amount, currency: this.currency } });
  }
}

export interface ShipmentOptions {
  /** Default wh-lyon (source `wms-lyon`). */
  warehouseId?: WarehouseId;
}

/** One shipment's events on `fulfillment.events.v1`. */
export class ShipmentStory extends AggregateStory {
  readonly warehouseId: WarehouseId;

  constructor(
    log: StoryLog,
    shipmentId: string,
    orderId: string,
    private readonly order: OrderStory | undefined,
    options: ShipmentOptions,
  ) {
    super(log, shipmentId, orderId, FULFILLMENT_EVENTS_TOPIC);
    this.warehouseId = options.warehouseId ?? 'wh-lyon';
  }

  private get source(): string {
    return WAREHOUSE_SOURCE_SYSTEMS[this.warehouseId];
  }

  /** The task for some of the order's lines: `{ lineId: quantity }` (skus from the order when the story has it). */
  created(occurredAt: Instant, lines: Readonly<Record<string, number>>): StoryFact<ShipmentCreated> {
    const day = iso(occurredAt).slice(0, 10);
    return this.emit<ShipmentCreated>(occurredAt, this.source, {
      type: 'ShipmentCreated',
      data: {
        orderId: this.orderId,
        warehouseId: this.warehouseId,
        wave: `${day}-W1`,
        lines: Object.entries(lines).map(([lineId, quantity]) => ({ lineId, sku: this.order?.lines.get(lineId)?.sku ?? `SKU-${lineId}`, quantity })),
        shipTo: { name: 'Ada Lovelace', line1: '12 Rue de la République', city: 'Lyon', postalCode: '69002', country: 'FR' },
      },
    });
  }

  picked(occurredAt: Instant): StoryFact<ShipmentPicked> {
    return this.emit<ShipmentPicked>(occurredAt, this.source, { type: 'ShipmentPicked', data: {} });
  }

  dispatched(occurredAt: Instant, carrier: Carrier = 'dhl'): StoryFact<ShipmentDispatched> {
    return this.emit<ShipmentDispatched>(occurredAt, this.source, { type: 'ShipmentDispatched', data: { carrier, trackingNumber: `TRK-${this.aggregateId}` } });
  }

  delivered(occurredAt: Instant, signedBy: string | null = 'Grace Hopper'): StoryFact<ShipmentDelivered> {
    return this.emit<ShipmentDelivered>(occurredAt, this.source, { type: 'ShipmentDelivered', data: { signedBy } });
  }

  /** Only before dispatch. */
  cancelled(occurredAt: Instant, reason: ShipmentCancellationReason = 'out_of_stock'): StoryFact<ShipmentCancelled> {
    return this.emit<ShipmentCancelled>(occurredAt, this.source, { type: 'ShipmentCancelled', data: { reason } });
  }
}

/** One or more orders' histories across the three topics, written in the order the calls are made. */
export class ReconciliationFacts {
  private readonly log: StoryLog;
  private readonly orders = new Map<string, OrderStory>();

  constructor(options: StoryOptions = {}) {
    this.log = new StoryLog({ partitions: options.partitions ?? 3, idSpace: options.idSpace ?? '00000000', publishDelayMs: options.publishDelayMs ?? 1000 });
  }

  order(orderId: string, options: OrderOptions = {}): OrderStory {
    const order = new OrderStory(this.log, orderId, options);
    this.orders.set(orderId, order);
    return order;
  }

  /** A payment attempt of `order` (an OrderStory, or just an order id: an order the story never places). */
  payment(paymentId: string, order: OrderStory | string, options: PaymentOptions = {}): PaymentStory {
    const orderId = typeof order === 'string' ? order : order.orderId;
    return new PaymentStory(this.log, paymentId, orderId, { ...options, currency: options.currency ?? this.orders.get(orderId)?.currency ?? 'EUR' });
  }

  /** A shipment of `order` (an OrderStory, or just an order id: an order the story never places). */
  shipment(shipmentId: string, order: OrderStory | string, options: ShipmentOptions = {}): ShipmentStory {
    const orderId = typeof order === 'string' ? order : order.orderId;
    return new ShipmentStory(this.log, shipmentId, orderId, this.orders.get(orderId), options);
  }

  /** Every fact, in the order written, as the producers published them. */
  facts(): StoryFact[] {
    return this.log.facts();
  }

  /** Every fact as reconciliation stores it: personal data blanked (what its decoders hand on). */
  storedFacts(): OrderFact[] {
    return this.log.facts().map((fact) => ({ event: withoutPersonalData(fact.event), origin: fact.origin }));
  }

  /**
   * The records to produce to a real log, in the order written (message key = aggregate id). A
   * log assigns the same partitions and offsets when its topics are empty and have `partitions`
   * partitions each.
   */
  records(): StoryRecord[] {
    return this.log.facts().map(({ event, origin }) => ({ ...origin, key: event.aggregateId, value: JSON.stringify(event) }));
  }
}

export const reconciliationFacts = (options: StoryOptions = {}): ReconciliationFacts => new ReconciliationFacts(options);
