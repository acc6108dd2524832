import { describe, expect, it } from 'vitest';
import { checkFlowMetrics } from './checkFlowMetrics.js';

describe('checkFlowMetrics', () => {
  it('accepts names in the namespace with valid labels', () => {
    expect(checkFlowMetrics([{ name: 'dpg_reconciliation_open_exceptions', help: 'Open exceptions per rule, owner and severity.', labelNames: ['rule', 'owner', 'severity'] }], 'dpg_reconciliation_')).toEqual([]);
  });

  it('names every problem and its fix: namespace, metric and label names, duplicates, missing help', () => {
    const problems = checkFlowMetrics(
      [
        { name: 'dpg_orders_open', help: 'x', labelNames: [] },
        { name: 'dpg_recon-open', help: 'x', labelNames: [] },
        { name: 'dpg_recon_open', help: ' ', labelNames: ['rule', '__name__', 'bad-label'] },
        { name: 'dpg_recon_open', help: 'again', labelNames: [] },
      ],
      'dpg_recon_',
    );
    expect(problems).toEqual([
      'flow metric "dpg_orders_open" is outside its namespace "dpg_recon_". Fix: rename it "dpg_recon_orders_open".',
      'flow metric "dpg_recon-open" is not a Prometheus metric name. Fix: use letters, digits and underscores, e.g. "dpg_recon_open_items".',
      'flow metric "dpg_recon_open" has no help text. Fix: say in one sentence what it counts and over which window.',
      'flow metric "dpg_recon_open" has label "__name__", which is not a Prometheus label name. Fix: use letters, digits and underscores, not starting with "__".',
      'flow metric "dpg_recon_open" has label "bad-label", which is not a Prometheus label name. Fix: use letters, digits and underscores, not starting with "__".',
      'flow metric "dpg_recon_open" is declared twice. Fix: declare each metric once, with all its labels.',
    ]);
  });
});
