import type { FlowMetric } from './FlowMetrics.js';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Problems with declared flow metrics, each naming the metric and the fix: names outside
 * `namespace` (`dpg_<owner>_`), invalid metric or label names, duplicates, and labels reserved by
 * Prometheus (`__...`). Empty when all is well.
 */
export function checkFlowMetrics(metrics: readonly FlowMetric[], namespace: string): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const metric of metrics) {
    const name = JSON.stringify(metric.name);
    if (!METRIC_NAME.test(metric.name)) problems.push(`flow metric ${name} is not a Prometheus metric name. Fix: use letters, digits and underscores, e.g. "${namespace}open_items".`);
    else if (!metric.name.startsWith(namespace)) problems.push(`flow metric ${name} is outside its namespace "${namespace}". Fix: rename it "${namespace}${metric.name.replace(/^dpg_/, '')}".`);
    if (seen.has(metric.name)) problems.push(`flow metric ${name} is declared twice. Fix: declare each metric once, with all its labels.`);
    seen.add(metric.name);
    if (metric.help.trim() === '') problems.push(`flow metric ${name} has no help text. Fix: say in one sentence what it counts and over which window.`);
    for (const label of metric.labelNames) {
      if (!LABEL_NAME.test(label) || label.startsWith('__')) problems.push(`flow metric ${name} has label ${JSON.stringify(label)}, which is not a Prometheus label name. Fix: use letters, digits and underscores, not starting with "__".`);
    }
  }
  return problems;
}
