import type { Evidence, OrderFact } from './OrderFact.js';
import { evidenceOf, timeline } from './OrderFact.js';
import { OrderSituation } from './OrderSituation.js';
import type { RuleCode, RuleOwner, Severity } from './ruleCatalog.js';
import { exceptionId, RULES } from './ruleCatalog.js';
import type { Before } from './ruleLogic.js';
import { RULE_LOGIC } from './ruleLogic.js';

export type ExceptionState = 'OPEN' | 'RESOLVED';

/** An exception as the rules decide it from the order's facts, up to the watermark. */
export interface ExceptionDecision {
  exceptionId: string;
  orderId: string;
  rule: RuleCode;
  /** '' for the order; the payment id for a rule per authorization. */
  subject: string;
  owner: RuleOwner;
  severity: Severity;
  state: ExceptionState;
  /** Event time it first opened (epoch ms). */
  openedAt: number;
  /** Event time it last opened; equals openedAt unless it reopened. */
  lastOpenedAt: number;
  /** How many times it opened (1, then 2 after a reopening, ...). An acknowledgement is for one opening. */
  openCount: number;
  /** The deadline that opened it last (epoch ms), or null for an immediate rule. */
  deadlineAt: number | null;
  resolvedAt: number | null;
  /** The event whose instant resolved it (the last one of that instant, by log position). */
  resolvedBy: Evidence | null;
  /** The events that made the condition, as of its last opening. */
  evidence: Evidence[];
}

export interface OrderDecision {
  exceptions: ExceptionDecision[];
  /** The next event time at which something may be decided (a deadline or a fact not yet under the watermark); null when none. */
  nextDecisionAt: number | null;
}

interface Deadline {
  rule: RuleCode;
  subject: string;
  at: number;
}

/**
 * Replays an order's facts in event-time order up to `watermark` (included) and decides every
 * rule at each instant: facts of an instant apply first (so "by T" includes T), then deadlines
 * falling at that instant are checked, immediate rules are decided, and exceptions that have
 * been open are re-checked to resolve or reopen.
 *
 * A pure function of the facts and the watermark: arrival order, batch boundaries and replays
 * change nothing, which is what makes a rebuild and every interleaving reach the same exceptions.
 * A fact whose event time the watermark had already passed when it arrived (later than the
 * allowed lateness) counts at its event time as well: the order is decided again and what it
 * changes in the past shows (an exception raised for want of that fact disappears).
 */
export function decideOrder(orderId: string, facts: readonly OrderFact[], watermark: number): OrderDecision {
  const ordered = timeline(facts);
  const s = new OrderSituation(orderId);
  const deadlines: Deadline[] = [];
  const exceptions = new Map<string, ExceptionDecision>();
  let i = 0;

  for (;;) {
    const nextFact = ordered[i] && ordered[i]!.at <= watermark ? ordered[i]!.at : Infinity;
    const nextDeadline = deadlines.length > 0 && deadlines[0]!.at <= watermark ? deadlines[0]!.at : Infinity;
    const at = Math.min(nextFact, nextDeadline);
    if (at === Infinity) break;

    const before: Before = { fullyDelivered: s.fullyDelivered(), firstPaymentAt: s.firstPaymentAt, firstShipmentAt: s.firstShipmentAt };
    const applied = [];
    while (ordered[i] && ordered[i]!.at === at) {
      s.apply(ordered[i]!);
      applied.push(ordered[i]!);
      i++;
    }
    for (const logic of RULE_LOGIC) {
      for (const d of logic.schedule(applied, s, at, before)) {
        if (logic.restartsClock) removePending(deadlines, logic.code, d.subject);
        insertSorted(deadlines, { rule: logic.code, subject: d.subject, at: Math.max(d.at, at) });
      }
    }
    const due: Deadline[] = [];
    while (deadlines.length > 0 && deadlines[0]!.at <= at) due.push(deadlines.shift()!);
    const resolvedBy = applied.length > 0 ? evidenceOf(applied[applied.length - 1]!) : null;

    for (const logic of RULE_LOGIC) {
      const subjects = new Set<string>();
      if (logic.immediate) subjects.add('');
      for (const d of due) if (d.rule === logic.code) subjects.add(d.subject);
      for (const e of exceptions.values()) if (e.rule === logic.code) subjects.add(e.subject);
      for (const subject of [...subjects].sort()) {
        const id = exceptionId(logic.code, orderId, subject);
        const existing = exceptions.get(id);
        const deadline = due.find((d) => d.rule === logic.code && d.subject === subject);
        if (existing?.state === 'OPEN') {
          if (!logic.holds(s, subject)) Object.assign(existing, { state: 'RESOLVED', resolvedAt: at, resolvedBy });
        } else if (existing) {
          // While a new clock runs for the subject (a delivery completed the order again after an
          // amendment had left it short), a resolved exception reopens at that deadline, not
          // before: the new fact gets the grace the rule gives ("at 72 h after the delivery that
          // completed it"). With no clock running, the condition holding again reopens it at once.
          const clockRunning = deadlines.some((d) => d.rule === logic.code && d.subject === subject);
          if ((logic.holds(s, subject) && !clockRunning) || (deadline && logic.opens(s, subject))) {
            Object.assign(existing, { state: 'OPEN', lastOpenedAt: at, openCount: existing.openCount + 1, deadlineAt: deadline?.at ?? null, resolvedAt: null, resolvedBy: null, evidence: logic.evidence(s, subject) });
          }
        } else if ((logic.immediate || deadline) && logic.opens(s, subject)) {
          const { owner, severity } = RULES[logic.code];
          exceptions.set(id, {
            exceptionId: id, orderId, rule: logic.code, subject, owner, severity, state: 'OPEN',
            openedAt: at, lastOpenedAt: at, openCount: 1, deadlineAt: deadline?.at ?? null, resolvedAt: null, resolvedBy: null, evidence: logic.evidence(s, subject),
          });
        }
      }
    }
  }

  const candidates = [ordered[i]?.at, deadlines[0]?.at].filter((t): t is number => t !== undefined);
  return { exceptions: [...exceptions.values()].sort((a, b) => (a.exceptionId < b.exceptionId ? -1 : 1)), nextDecisionAt: candidates.length > 0 ? Math.min(...candidates) : null };
}

function removePending(deadlines: Deadline[], rule: RuleCode, subject: string): void {
  for (let index = deadlines.length - 1; index >= 0; index--) if (deadlines[index]!.rule === rule && deadlines[index]!.subject === subject) deadlines.splice(index, 1);
}

function insertSorted(deadlines: Deadline[], deadline: Deadline): void {
  let index = deadlines.findIndex((d) => d.at > deadline.at);
  if (index === -1) index = deadlines.length;
  deadlines.splice(index, 0, deadline);
}
