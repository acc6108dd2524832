import type { FinanceExtractLine } from './financeExtractFormat.js';
import type { OrderJourney } from './OrderJourney.js';
import { orderLinesAt, totalCentsOf } from './orderLinesAt.js';

/** The legacy's SRC label per sales channel; the store's and marketplace's are French, as the old platform wrote them. */
export const LEGACY_FINANCE_SOURCE_LABELS = { web: 'OMS', store: 'OMS-Caisse', marketplace: 'OMS-Marché' } as const;

const dateOf = (at: number) => new Date(at).toISOString().slice(0, 10);

/**
 * What a faithful legacy books for these journeys (../shared/events/README.md, "Legacy finance
 * extract"): each order entered through the legacy OMS is booked once, on the UTC day the OMS
 * first released it to the warehouse (STATUS_CD 4), at the OMS TOTAL_AMT of that moment, whether
 * or not anything was captured; a cancellation after that booking is a line of minus the booked
 * amount on the cancellation day. Orders never released, cancelled before release, or entered by
 * the domain producers never appear. Later amendments are never rebooked. An order whose CDC
 * never reached the log is still booked: the OMS had it.
 */
export function legacyFinanceBookings(journeys: readonly OrderJourney[]): FinanceExtractLine[] {
  return journeys.flatMap((journey) => {
    if (!journey.legacy) return [];
    const { order } = journey;
    const releasedAt = order.steps.find((s) => s.kind === 'release')?.at;
    if (releasedAt === undefined) return [];
    const cancelledAt = order.steps.find((s) => s.kind === 'cancel')?.at;
    const booked = totalCentsOf(orderLinesAt(order, releasedAt));
    const line = (at: number, cents: number): FinanceExtractLine => ({ orderId: order.orderId, bookingDate: dateOf(at), cents, currency: order.currency, source: LEGACY_FINANCE_SOURCE_LABELS[order.channel] });
    return cancelledAt !== undefined && cancelledAt > releasedAt ? [line(releasedAt, booked), line(cancelledAt, -booked)] : [line(releasedAt, booked)];
  });
}
