import type { Queryable } from '../../../platform/database/index.js';
import type { Evolution, Projection, TableNames } from '../../../platform/projection/index.js';
import { QuarantineReasonCode } from '../../../platform/projection/index.js';
import type { Carrier, FulfillmentEvent, OrderReleasedToWarehouse, ShipmentCancellationReason, ShipmentEvent } from '../events/FulfillmentEvent.js';

/** The projection's name (also its consumer group and checkpoints) and its tables: the one list loaders read too. */
export const SHIPMENT_TRACKING = {
  projection: 'shipment_tracking',
  tables: { shipments: 'shipments', shipmentLines: 'shipment_lines', shipmentStatusHistory: 'shipment_status_history', ordersReleasedToWarehouse: 'orders_released_to_warehouse' },
} as const;
const T = SHIPMENT_TRACKING.tables;

/** Where a shipment stands: Created → Picked → Dispatched → Delivered; Cancelled from Created or Picked. */
export type ShipmentStatus = 'created' | 'picked' | 'dispatched' | 'delivered' | 'cancelled';

/** A `shipments` row. Every time is an event time (ISO), never a processing time. */
export interface ShipmentRow {
  shipmentId: string;
  orderId: string;
  warehouseId: string;
  wave: string;
  shipmentStatus: ShipmentStatus;
  carrier: Carrier | null;
  trackingNumber: string | null;
  shipToName: string;
  shipToLine1: string;
  shipToCity: string;
  shipToPostalCode: string;
  shipToCountry: string;
  signedBy: string | null;
  createdAt: string;
  pickedAt: string | null;
  dispatchedAt: string | null;
  deliveredAt: string | null;
  cancelledAt: string | null;
  cancellationReason: ShipmentCancellationReason | null;
  lastSequence: number;
  lastEventOccurredAt: string;
}

export interface ShipmentLineRow {
  shipmentId: string;
  lineId: string;
  sku: string;
  quantity: number;
}

export interface ShipmentStatusHistoryRow {
  shipmentId: string;
  sequence: number;
  shipmentStatus: ShipmentStatus;
  occurredAt: string;
}

export interface OrderReleaseRow {
  orderId: string;
  releasedAt: string;
  /** The system that reported the release (`legacy-oms`). */
  source: string;
}

/**
 * State per aggregate, by kind: a shipment (its row, and the lines and history rows written since
 * load: lines are written once, history is append-only), or an order's release to the warehouse.
 */
export type ShipmentTrackingState =
  | { kind: 'shipment'; shipment: ShipmentRow; newLines: ShipmentLineRow[]; newHistory: ShipmentStatusHistoryRow[] }
  | { kind: 'orderRelease'; release: OrderReleaseRow };

type ShipmentState = Extract<ShipmentTrackingState, { kind: 'shipment' }>;

const impossible = (reason: string): Evolution<ShipmentTrackingState> => ({ rejection: { code: QuarantineReasonCode.ImpossibleTransition, reason } });

/** The status each event leads to, and the statuses it may follow (../shared/events/README.md, lifecycle). */
const TRANSITIONS = {
  ShipmentPicked: { to: 'picked', from: ['created'] },
  ShipmentDispatched: { to: 'dispatched', from: ['picked'] },
  ShipmentDelivered: { to: 'delivered', from: ['dispatched'] },
  ShipmentCancelled: { to: 'cancelled', from: ['created', 'picked'] },
} as const satisfies Record<Exclude<ShipmentEvent['type'], 'ShipmentCreated'>, { to: ShipmentStatus; from: readonly ShipmentStatus[] }>;

/** The event that set each status, and the column holding when: for reasons that say what happened before. */
const REACHED_BY: Record<ShipmentStatus, { event: ShipmentEvent['type']; at: (s: ShipmentRow) => string | null }> = {
  created: { event: 'ShipmentCreated', at: (s) => s.createdAt },
  picked: { event: 'ShipmentPicked', at: (s) => s.pickedAt },
  dispatched: { event: 'ShipmentDispatched', at: (s) => s.dispatchedAt },
  delivered: { event: 'ShipmentDelivered', at: (s) => s.deliveredAt },
  cancelled: { event: 'ShipmentCancelled', at: (s) => s.cancelledAt },
};

/** Why `event` cannot follow a shipment in `status`: the rule it breaks, in the README's words. */
function whyNot(event: ShipmentEvent, shipment: ShipmentRow): string {
  const status = shipment.shipmentStatus;
  const what = `${event.type} #${event.sequence} for ${event.aggregateId}`;
  const since = `${REACHED_BY[status].event} at ${REACHED_BY[status].at(shipment)}`;
  if (status === 'delivered' || status === 'cancelled') return `${what} after ${since}: a ${status} shipment takes no further events`;
  switch (event.type) {
    case 'ShipmentCreated':
      return `${what}, which was already created at ${shipment.createdAt} (status ${status})`;
    case 'ShipmentPicked':
      return `${what}, already ${status} (${since}): a shipment is picked once, before dispatch`;
    case 'ShipmentDispatched':
      return status === 'created' ? `${what} before ShipmentPicked: a shipment is picked before it is dispatched (created at ${shipment.createdAt})` : `${what}, already dispatched (${since})`;
    case 'ShipmentDelivered':
      return `${what} before ShipmentDispatched: a shipment is dispatched before it is delivered (status ${status}, ${since})`;
    case 'ShipmentCancelled':
      return `${what} after ${since}: a shipment can be cancelled only before dispatch`;
  }
}

function createShipment(event: Extract<ShipmentEvent, { type: 'ShipmentCreated' }>, at: string): ShipmentState {
  const d = event.data;
  const shipment: ShipmentRow = {
    shipmentId: event.aggregateId,
    orderId: d.orderId,
    warehouseId: d.warehouseId,
    wave: d.wave,
    shipmentStatus: 'created',
    carrier: null,
    trackingNumber: null,
    shipToName: d.shipTo.name,
    shipToLine1: d.shipTo.line1,
    shipToCity: d.shipTo.city,
    shipToPostalCode: d.shipTo.postalCode,
    shipToCountry: d.shipTo.country,
    signedBy: null,
    createdAt: at,
    pickedAt: null,
    dispatchedAt: null,
    deliveredAt: null,
    cancelledAt: null,
    cancellationReason: null,
    lastSequence: event.sequence,
    lastEventOccurredAt: at,
  };
  // A line the order does not have is not impossible here: fulfillment cannot know the order's lines.
  const newLines = d.lines.map((l) => ({ shipmentId: event.aggregateId, lineId: l.lineId, sku: l.sku, quantity: l.quantity }));
  return { kind: 'shipment', shipment, newLines, newHistory: [{ shipmentId: event.aggregateId, sequence: event.sequence, shipmentStatus: 'created', occurredAt: at }] };
}

/** The columns a lifecycle event sets, besides the status. */
function columnsSetBy(event: Exclude<ShipmentEvent, { type: 'ShipmentCreated' }>, at: string): Partial<ShipmentRow> {
  switch (event.type) {
    case 'ShipmentPicked':
      return { pickedAt: at };
    case 'ShipmentDispatched':
      return { dispatchedAt: at, carrier: event.data.carrier, trackingNumber: event.data.trackingNumber };
    case 'ShipmentDelivered':
      return { deliveredAt: at, signedBy: event.data.signedBy };
    case 'ShipmentCancelled':
      return { cancelledAt: at, cancellationReason: event.data.reason };
  }
}

function evolveShipment(state: ShipmentState | undefined, event: ShipmentEvent, at: string): Evolution<ShipmentTrackingState> {
  if (!state) {
    if (event.type === 'ShipmentCreated') return { state: createShipment(event, at) };
    return impossible(`${event.type} #${event.sequence} for ${event.aggregateId} before its ShipmentCreated: a shipment's first event is ShipmentCreated`);
  }
  if (event.type === 'ShipmentCreated') return impossible(whyNot(event, state.shipment));
  const transition = TRANSITIONS[event.type];
  if (!(transition.from as readonly ShipmentStatus[]).includes(state.shipment.shipmentStatus)) return impossible(whyNot(event, state.shipment));

  const shipment: ShipmentRow = { ...state.shipment, ...columnsSetBy(event, at), shipmentStatus: transition.to, lastSequence: event.sequence, lastEventOccurredAt: at };
  return { state: { ...state, shipment, newHistory: [...state.newHistory, { shipmentId: event.aggregateId, sequence: event.sequence, shipmentStatus: transition.to, occurredAt: at }] } };
}

function evolveRelease(state: ShipmentTrackingState | undefined, event: OrderReleasedToWarehouse, at: string): Evolution<ShipmentTrackingState> {
  const what = `OrderReleasedToWarehouse #${event.sequence} for ${event.aggregateId}`;
  if (state?.kind === 'orderRelease') return impossible(`${what}, already released to the warehouse at ${state.release.releasedAt}: an order is released once`);
  if (state?.kind === 'shipment') return impossible(`${what}: ${event.aggregateId} is a shipment (of order ${state.shipment.orderId}), not an order`);
  return { state: { kind: 'orderRelease', release: { orderId: event.aggregateId, releasedAt: at, source: event.source } } };
}

/**
 * Pure: the next state of one aggregate, or why the event is impossible for it
 * (../shared/events/README.md, `fulfillment.events.v1`). Duplicates never reach it: the engine
 * drops them by eventId and sequence. Events are never checked against the order's: a shipment
 * may arrive before its order, and fulfillment never reads the orders context's tables.
 */
export function evolveShipmentTracking(state: ShipmentTrackingState | undefined, event: FulfillmentEvent): Evolution<ShipmentTrackingState> {
  const at = new Date(event.occurredAt).toISOString();
  if (event.type === 'OrderReleasedToWarehouse') return evolveRelease(state, event, at);
  if (state?.kind === 'orderRelease') return impossible(`${event.type} #${event.sequence} for ${event.aggregateId}: that id is an order released to the warehouse (at ${state.release.releasedAt}), not a shipment`);
  return evolveShipment(state, event, at);
}

const iso = (v: unknown): string | null => (v instanceof Date ? v.toISOString() : v === null || v === undefined ? null : new Date(String(v)).toISOString());

function shipmentOf(r: Record<string, unknown>): ShipmentRow {
  return {
    shipmentId: String(r.shipment_id),
    orderId: String(r.order_id),
    warehouseId: String(r.warehouse_id),
    wave: String(r.wave),
    shipmentStatus: r.shipment_status as ShipmentStatus,
    carrier: (r.carrier as Carrier | null) ?? null,
    trackingNumber: (r.tracking_number as string | null) ?? null,
    shipToName: String(r.ship_to_name),
    shipToLine1: String(r.ship_to_line1),
    shipToCity: String(r.ship_to_city),
    shipToPostalCode: String(r.ship_to_postal_code),
    shipToCountry: String(r.ship_to_country),
    signedBy: (r.signed_by as string | null) ?? null,
    createdAt: iso(r.created_at)!,
    pickedAt: iso(r.picked_at),
    dispatchedAt: iso(r.dispatched_at),
    deliveredAt: iso(r.delivered_at),
    cancelledAt: iso(r.cancelled_at),
    cancellationReason: (r.cancellation_reason as ShipmentCancellationReason | null) ?? null,
    lastSequence: Number(r.last_sequence),
    lastEventOccurredAt: iso(r.last_event_occurred_at)!,
  };
}

/** Column order of `shipments` (its DDL and its insert), with each column's array type for `unnest`. */
const SHIPMENT_COLUMNS: ReadonlyArray<[column: string, type: string, field: keyof ShipmentRow]> = [
  ['shipment_id', 'text', 'shipmentId'],
  ['order_id', 'text', 'orderId'],
  ['warehouse_id', 'text', 'warehouseId'],
  ['wave', 'text', 'wave'],
  ['shipment_status', 'text', 'shipmentStatus'],
  ['carrier', 'text', 'carrier'],
  ['tracking_number', 'text', 'trackingNumber'],
  ['ship_to_name', 'text', 'shipToName'],
  ['ship_to_line1', 'text', 'shipToLine1'],
  ['ship_to_city', 'text', 'shipToCity'],
  ['ship_to_postal_code', 'text', 'shipToPostalCode'],
  ['ship_to_country', 'text', 'shipToCountry'],
  ['signed_by', 'text', 'signedBy'],
  ['created_at', 'timestamptz', 'createdAt'],
  ['picked_at', 'timestamptz', 'pickedAt'],
  ['dispatched_at', 'timestamptz', 'dispatchedAt'],
  ['delivered_at', 'timestamptz', 'deliveredAt'],
  ['cancelled_at', 'timestamptz', 'cancelledAt'],
  ['cancellation_reason', 'text', 'cancellationReason'],
  ['last_sequence', 'int', 'lastSequence'],
  ['last_event_occurred_at', 'timestamptz', 'lastEventOccurredAt'],
];
/** What an event can change on a shipment row after its creation. */
const MUTABLE_SHIPMENT_COLUMNS = ['shipment_status', 'carrier', 'tracking_number', 'signed_by', 'picked_at', 'dispatched_at', 'delivered_at', 'cancelled_at', 'cancellation_reason', 'last_sequence', 'last_event_occurred_at'];

/**
 * Shipments as the warehouses report them, and orders released to the warehouse: one read model,
 * two aggregate kinds. Every time is an event time. Set-based: one statement per table.
 */
export const shipmentTrackingProjection: Projection<FulfillmentEvent, ShipmentTrackingState> = {
  name: SHIPMENT_TRACKING.projection,
  evolve: evolveShipmentTracking,
  tables: [
    {
      name: T.shipments,
      ddl: (t, bare) => [
        `create table if not exists ${t} (
          shipment_id text primary key, order_id text not null, warehouse_id text not null, wave text not null,
          shipment_status text not null, carrier text, tracking_number text,
          ship_to_name text not null, ship_to_line1 text not null, ship_to_city text not null,
          ship_to_postal_code text not null, ship_to_country char(2) not null, signed_by text,
          created_at timestamptz not null, picked_at timestamptz, dispatched_at timestamptz,
          delivered_at timestamptz, cancelled_at timestamptz, cancellation_reason text,
          last_sequence int not null, last_event_occurred_at timestamptz not null)`,
        // Serves the lookup of an order's shipments (fulfillmentByOrderIds).
        `create index if not exists "${bare}_order_idx" on ${t} (order_id, created_at, shipment_id)`,
        // Serves the orders dispatched in a window of event time (orderIdsDispatchedBetween), index only.
        `create index if not exists "${bare}_dispatched_idx" on ${t} (dispatched_at, order_id) where dispatched_at is not null`,
      ],
    },
    {
      name: T.shipmentLines,
      ddl: (t) => [`create table if not exists ${t} (shipment_id text not null, line_id text not null, sku text not null, quantity int not null, primary key (shipment_id, line_id))`],
    },
    {
      name: T.shipmentStatusHistory,
      ddl: (t) => [`create table if not exists ${t} (shipment_id text not null, sequence int not null, shipment_status text not null, occurred_at timestamptz not null, primary key (shipment_id, sequence))`],
    },
    {
      name: T.ordersReleasedToWarehouse,
      ddl: (t) => [`create table if not exists ${t} (order_id text primary key, released_at timestamptz not null, source text not null)`],
    },
  ],

  async load(db: Queryable, tables: TableNames, aggregates: ReadonlyMap<string, readonly FulfillmentEvent[]>) {
    const states = new Map<string, ShipmentTrackingState>();
    // Each table is read only for the aggregates whose events can concern it.
    const releaseIds: string[] = [];
    const shipmentIds: string[] = [];
    for (const [id, events] of aggregates) {
      if (events.some((e) => e.type === 'OrderReleasedToWarehouse')) releaseIds.push(id);
      if (events.some((e) => e.type !== 'OrderReleasedToWarehouse')) shipmentIds.push(id);
    }
    if (shipmentIds.length > 0) {
      const { rows } = await db.query(`select * from ${tables[T.shipments]} where shipment_id = any($1::text[])`, [shipmentIds]);
      for (const r of rows) {
        const shipment = shipmentOf(r);
        states.set(shipment.shipmentId, { kind: 'shipment', shipment, newLines: [], newHistory: [] });
      }
    }
    if (releaseIds.length > 0) {
      const { rows } = await db.query(`select order_id, released_at, source from ${tables[T.ordersReleasedToWarehouse]} where order_id = any($1::text[])`, [releaseIds]);
      for (const r of rows) states.set(String(r.order_id), { kind: 'orderRelease', release: { orderId: String(r.order_id), releasedAt: iso(r.released_at)!, source: String(r.source) } });
    }
    return states;
  },

  async save(db: Queryable, tables: TableNames, states: ReadonlyMap<string, ShipmentTrackingState>) {
    const shipments: ShipmentState[] = [];
    const releases: OrderReleaseRow[] = [];
    for (const state of states.values()) {
      if (state.kind === 'shipment') shipments.push(state);
      else releases.push(state.release);
    }
    if (shipments.length > 0) {
      // Every changed shipment rewrites its row (each event moves last_sequence).
      const rows = shipments.map((s) => s.shipment);
      await db.query(
        `insert into ${tables[T.shipments]} (${SHIPMENT_COLUMNS.map(([column]) => column).join(', ')}) select * from unnest(${SHIPMENT_COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')})
         on conflict (shipment_id) do update set ${MUTABLE_SHIPMENT_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}`,
        SHIPMENT_COLUMNS.map(([, , field]) => rows.map((row) => row[field])),
      );
    }
    const lines = shipments.flatMap((s) => s.newLines);
    if (lines.length > 0) {
      await db.query(`insert into ${tables[T.shipmentLines]} (shipment_id, line_id, sku, quantity) select * from unnest($1::text[], $2::text[], $3::text[], $4::int[]) on conflict do nothing`, [
        lines.map((l) => l.shipmentId),
        lines.map((l) => l.lineId),
        lines.map((l) => l.sku),
        lines.map((l) => l.quantity),
      ]);
    }
    const history = shipments.flatMap((s) => s.newHistory);
    if (history.length > 0) {
      await db.query(`insert into ${tables[T.shipmentStatusHistory]} (shipment_id, sequence, shipment_status, occurred_at) select * from unnest($1::text[], $2::int[], $3::text[], $4::timestamptz[]) on conflict do nothing`, [
        history.map((h) => h.shipmentId),
        history.map((h) => h.sequence),
        history.map((h) => h.shipmentStatus),
        history.map((h) => h.occurredAt),
      ]);
    }
    if (releases.length > 0) {
      await db.query(`insert into ${tables[T.ordersReleasedToWarehouse]} (order_id, released_at, source) select * from unnest($1::text[], $2::timestamptz[], $3::text[]) on conflict do nothing`, [
        releases.map((r) => r.orderId),
        releases.map((r) => r.releasedAt),
        releases.map((r) => r.source),
      ]);
    }
  },
};
