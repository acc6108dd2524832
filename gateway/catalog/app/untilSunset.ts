const DAY_MS = 24 * 3600 * 1000;

/** Whole days from now to a YYYY-MM-DD sunset (midnight UTC); negative once it has passed. */
export function daysUntilSunset(sunset: string, now = Date.now()): number {
  return Math.round((Date.parse(`${sunset}T00:00:00Z`) - now) / DAY_MS);
}

/** "in 42 days", "today", "passed 3 days ago", from a YYYY-MM-DD sunset. */
export function untilSunset(sunset: string, now = Date.now()): string {
  const days = daysUntilSunset(sunset, now);
  if (days > 0) return `in ${days} day${days === 1 ? '' : 's'}`;
  if (days === 0) return 'today';
  return `passed ${-days} day${days === -1 ? '' : 's'} ago`;
}
