import { centsToMoney } from '../../platform/events/index.js';

/** An amount in integer cents and its ISO 4217 currency. */
export interface CentsInCurrency {
  cents: number;
  currency: string;
}

/** An exact signed amount as reports print it (the contract's money shape): `{ amount: "-12.30", currency: "EUR" }`. */
export interface MoneyAmount {
  amount: string;
  currency: string;
}

/**
 * The net of some lines per currency, zero nets left out: an amount of zero is no booking, so a
 * zero RECOGNITION line and no legacy line agree, and a booking cancelled the same day nets to nothing.
 */
export function netPerCurrency(lines: ReadonlyArray<CentsInCurrency>): Map<string, number> {
  const net = new Map<string, number>();
  for (const line of lines) net.set(line.currency, (net.get(line.currency) ?? 0) + line.cents);
  for (const [currency, cents] of net) if (cents === 0) net.delete(currency);
  return net;
}

/** Equal nets: the same non-zero amount in each currency. */
export function sameNet(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  return a.size === b.size && [...a].every(([currency, cents]) => b.get(currency) === cents);
}

/** A net as money amounts, by currency. */
export function moneyOf(net: ReadonlyMap<string, number>): MoneyAmount[] {
  return [...net].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([currency, cents]) => ({ amount: centsToMoney(cents), currency }));
}
