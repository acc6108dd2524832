/** GO: the new view may replace the legacy feed; NO-GO: it may not yet. */
export type CutOverVerdict = 'GO' | 'NO-GO';

export interface CutOverDecision {
  verdict: CutOverVerdict;
  unexplained: number;
  /** Most UNEXPLAINED divergences a GO allows. */
  threshold: number;
  /** One sentence an operator can act on. */
  reason: string;
}

/**
 * The cut-over verdict: GO when the divergences no rule explains are at most `threshold`.
 * Explained divergences (timing, no capture, ...) are known differences between the two rules and
 * do not block; input faults of the legacy files are reported beside the verdict, not in it.
 */
export function decideCutOver(unexplained: number, threshold: number): CutOverDecision {
  return unexplained <= threshold
    ? { verdict: 'GO', unexplained, threshold, reason: `${unexplained} unexplained divergence(s), within the threshold of ${threshold}.` }
    : { verdict: 'NO-GO', unexplained, threshold, reason: `${unexplained} unexplained divergence(s), above the threshold of ${threshold}: explain or fix them (see UNEXPLAINED below) before cutting over.` };
}
