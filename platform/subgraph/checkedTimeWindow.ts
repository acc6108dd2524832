import { GraphQLError } from 'graphql';

/** Longest window of event time one `...Between` lookup may span: a month of business dates. */
export const MAX_TIME_WINDOW_DAYS = 31;
const DAY_MS = 86_400_000;

const badInput = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

/**
 * The [from, until) window of a lookup by event time, or a precise BAD_USER_INPUT refusal: an
 * unparseable bound, `until` before `from`, or a span over MAX_TIME_WINDOW_DAYS (one indexed
 * statement per lookup must stay bounded).
 */
export function checkedTimeWindow(field: string, from: Date | string, until: Date | string): { from: Date; until: Date } {
  const window = { from: new Date(from), until: new Date(until) };
  for (const [name, value] of Object.entries(window)) {
    if (Number.isNaN(value.getTime())) throw badInput(`${field}(${name}) must be an RFC 3339 timestamp such as 2026-11-02T00:00:00.000Z.`);
  }
  const span = window.until.getTime() - window.from.getTime();
  if (span < 0) throw badInput(`${field} takes a window [from, until) with until not before from, received from ${window.from.toISOString()} and until ${window.until.toISOString()}.`);
  if (span > MAX_TIME_WINDOW_DAYS * DAY_MS) throw badInput(`${field} spans at most ${MAX_TIME_WINDOW_DAYS} days, received ${window.from.toISOString()} to ${window.until.toISOString()}; split the window.`);
  return window;
}
