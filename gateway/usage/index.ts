export { createUsageCounters, totalUsage, UNIDENTIFIED_CLIENT, USAGE_WINDOW_DAYS } from './createUsageCounters.js';
export type { ClientUsage, UsageClientKind, UsageContract, UsageCounters, UsageCountersOptions, UsageRecord, UsageSnapshot } from './createUsageCounters.js';
export { CLIENT_NAME_HEADER, useUsageCounting } from './useUsageCounting.js';
