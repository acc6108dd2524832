import type { Logger } from '../../platform/logging/index.js';

/** One thing to stop or close, named for the log (and for the list of what was still pending). */
export interface ShutdownTask {
  name: string;
  run(): Promise<void>;
}

/** Phases run one after another; the tasks of one phase run at the same time. */
export type ShutdownPlan = ReadonlyArray<ReadonlyArray<ShutdownTask>>;

export type ShutdownOutcome =
  | { kind: 'clean'; durationMs: number }
  /** Every task ended, some by throwing (each is logged). */
  | { kind: 'failed'; durationMs: number; failed: string[] }
  /** The deadline passed first: `pending` were still running or not started. */
  | { kind: 'forced'; durationMs: number; pending: string[] };

export interface ShutdownOptions {
  /** How long the whole plan may take before the process stops anyway (Config.shutdown.deadlineMs). */
  deadlineMs: number;
  logger: Logger;
}

export interface Shutdown {
  /** Runs the plan once; later calls return the same outcome. */
  run(reason: string): Promise<ShutdownOutcome>;
  readonly phase: 'idle' | 'running' | 'done';
}

/** The exit code an outcome calls for: 0 only when everything stopped in time and without error. */
export function exitCodeOf(outcome: ShutdownOutcome): number {
  switch (outcome.kind) {
    case 'clean':
      return 0;
    case 'failed':
    case 'forced':
      return 1;
  }
}

/**
 * Runs a shutdown plan within a deadline, logging each step, and says how it went. It never exits
 * the process itself (see handleTerminationSignals): a test can run it and look.
 */
export function createShutdown(plan: ShutdownPlan, options: ShutdownOptions): Shutdown {
  const logger = options.logger.child({ component: 'shutdown' });
  let outcome: Promise<ShutdownOutcome> | null = null;
  let phase: Shutdown['phase'] = 'idle';

  const execute = async (reason: string): Promise<ShutdownOutcome> => {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const notStarted = new Set(plan.flat().map((t) => t.name));
    const running = new Set<string>();
    const failed: string[] = [];
    logger.info({ reason, deadlineMs: options.deadlineMs, steps: plan.map((tasks) => tasks.map((t) => t.name)) }, 'shutting down');

    const runTask = async (task: ShutdownTask) => {
      notStarted.delete(task.name);
      running.add(task.name);
      const taskStarted = performance.now();
      try {
        await task.run();
        logger.info({ step: task.name, durationMs: Math.round(performance.now() - taskStarted) }, 'shutdown step done');
      } catch (error) {
        failed.push(task.name);
        logger.error({ step: task.name, err: error }, 'shutdown step failed');
      } finally {
        running.delete(task.name);
      }
    };
    const all = (async () => {
      for (const tasks of plan) await Promise.all(tasks.map(runTask));
    })();

    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'deadline'>((resolve) => {
      timer = setTimeout(() => resolve('deadline'), options.deadlineMs);
    });
    const first = await Promise.race([all.then(() => 'done' as const), deadline]);
    clearTimeout(timer);
    if (first === 'deadline') {
      const pending = [...running, ...notStarted];
      logger.error({ pending, deadlineMs: options.deadlineMs }, 'shutdown deadline passed; stopping with work still pending');
      return { kind: 'forced', durationMs: elapsed(), pending };
    }
    if (failed.length > 0) {
      logger.error({ failed, durationMs: elapsed() }, 'shutdown finished with failed steps');
      return { kind: 'failed', durationMs: elapsed(), failed };
    }
    logger.info({ durationMs: elapsed() }, 'shutdown complete');
    return { kind: 'clean', durationMs: elapsed() };
  };

  return {
    get phase() {
      return phase;
    },
    run(reason) {
      if (!outcome) {
        phase = 'running';
        outcome = execute(reason).finally(() => {
          phase = 'done';
        });
      }
      return outcome;
    },
  };
}

export interface TerminationOptions {
  logger: Logger;
  /** Default `process.exit`. */
  exit?: (code: number) => void;
  /** Default SIGTERM and SIGINT. */
  signals?: readonly NodeJS.Signals[];
}

/**
 * SIGTERM or SIGINT runs the shutdown, then exits with its code. A second signal exits at once
 * with 1 (Ctrl-C twice at a terminal; a supervisor that lost patience). Returns a function that
 * removes the handlers.
 */
export function handleTerminationSignals(shutdown: Shutdown, options: TerminationOptions): () => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const onSignal = (signal: NodeJS.Signals) => {
    if (shutdown.phase !== 'idle') {
      options.logger.error({ component: 'shutdown', signal }, 'second signal during shutdown; exiting now');
      exit(1);
      return;
    }
    void shutdown.run(signal).then((outcome) => exit(exitCodeOf(outcome)));
  };
  for (const signal of signals) process.on(signal, onSignal);
  return () => {
    for (const signal of signals) process.off(signal, onSignal);
  };
}
