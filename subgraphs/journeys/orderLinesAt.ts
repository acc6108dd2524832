import { moneyToCents } from '../../platform/events/index.js';
import type { OrderHistory } from '../orders/index.js';

type OrderLine = OrderHistory['lines'][number];

/** The order's lines as they stood at event time `at`: every amendment up to `at` applied, removed lines gone. */
export function orderLinesAt(order: OrderHistory, at: number): OrderLine[] {
  const lines = new Map(order.lines.map((l) => [l.lineId, { ...l }]));
  for (const step of order.steps) {
    if (step.kind !== 'amend' || step.at > at) continue;
    if (step.quantity === 0) lines.delete(step.lineId);
    else lines.set(step.lineId, { ...lines.get(step.lineId)!, quantity: step.quantity, unitPrice: step.unitPrice });
  }
  return [...lines.values()];
}

/** Quantity × unit price over the lines, in cents. */
export const totalCentsOf = (lines: ReadonlyArray<{ quantity: number; unitPrice: string }>): number => lines.reduce((sum, l) => sum + l.quantity * moneyToCents(l.unitPrice), 0);
