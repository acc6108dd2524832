import type { Logger } from '../../platform/logging/index.js';

export interface StartupGuardOptions {
  /** How long stopping may take from the signal, as for a running process (Config.shutdown.deadlineMs). */
  deadlineMs: number;
  logger: Logger;
  /** Default `process.exit`. */
  exit?: (code: number) => void;
  /** Default SIGTERM and SIGINT. */
  signals?: readonly NodeJS.Signals[];
}

export interface StartupGuard {
  /**
   * Runs one step of the start (opening a pool, waiting for the brokers, migrations) and keeps
   * `close` to undo it if a signal comes before the start is done. After a signal it never
   * settles: the process is being stopped, and nothing more may start.
   */
  step<T>(name: string, work: () => Promise<T>, close?: (value: T) => Promise<void>): Promise<T>;
  /** Whether a signal has come: the start is being abandoned (its errors are expected, not news). */
  readonly abandoned: boolean;
  /** Aborted by the signal: give it to waits that may be long (a server not up yet) so they end at once. */
  readonly signal: AbortSignal;
  /** The start is done: the guard lets go of the signals, for the running process' shutdown to take them. */
  done(): void;
}

/**
 * SIGTERM or SIGINT while the process is still starting (waiting for PostgreSQL or the brokers,
 * running migrations, joining consumer groups): without this Node's default action would kill it
 * mid-migration, or a handler installed only after the start would leave it deaf for as long as
 * the start takes. The step in flight is let finish (a migration commits or rolls back as one
 * transaction), what the finished steps opened is closed in reverse order, and the process exits
 * 0; when that takes longer than the deadline it exits 1, as a forced shutdown does. A second
 * signal exits 1 at once.
 */
export function createStartupGuard(options: StartupGuardOptions): StartupGuard {
  const logger = options.logger.child({ component: 'startup' });
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const opened: Array<{ name: string; close: () => Promise<void> }> = [];
  let current: { name: string; settled: Promise<unknown> } | null = null;
  let abandoned = false;
  const aborter = new AbortController();

  const abandon = async (signal: NodeJS.Signals) => {
    const started = performance.now();
    logger.info({ signal, step: current?.name ?? null, opened: opened.map((o) => o.name), deadlineMs: options.deadlineMs }, 'signal during start; abandoning the start');
    const timer = setTimeout(() => {
      logger.error({ pending: current ? [current.name, ...opened.map((o) => o.name)] : opened.map((o) => o.name), deadlineMs: options.deadlineMs }, 'shutdown deadline passed during start; stopping with work still pending');
      exit(1);
    }, options.deadlineMs);
    timer.unref();
    let failed = false;
    // The step in flight finishes or fails on its own (each has its own timeouts); its close is
    // then registered like the others'.
    await current?.settled;
    for (const { name, close } of opened.reverse()) {
      try {
        await close();
      } catch (error) {
        failed = true;
        logger.error({ step: name, err: error }, 'closing failed while abandoning the start');
      }
    }
    clearTimeout(timer);
    logger.info({ durationMs: Math.round(performance.now() - started) }, 'start abandoned; stopped');
    exit(failed ? 1 : 0);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (abandoned) {
      logger.error({ signal }, 'second signal while abandoning the start; exiting now');
      exit(1);
      return;
    }
    abandoned = true;
    aborter.abort(new Error(`${signal} during start`));
    void abandon(signal);
  };
  for (const signal of signals) process.on(signal, onSignal);
  logger.info({ deadlineMs: options.deadlineMs }, 'starting; a signal from now on stops the process within the deadline');

  return {
    get abandoned() {
      return abandoned;
    },
    signal: aborter.signal,
    async step(name, work, close) {
      if (abandoned) return new Promise<never>(() => undefined);
      const running = work();
      current = { name, settled: running.then((value) => close && opened.push({ name, close: () => close(value) }), () => undefined) };
      let value: Awaited<ReturnType<typeof work>>;
      try {
        value = await running;
      } catch (error) {
        if (abandoned) return new Promise<never>(() => undefined);
        throw error;
      }
      await current.settled;
      current = null;
      if (abandoned) return new Promise<never>(() => undefined);
      return value;
    },
    done() {
      for (const signal of signals) process.off(signal, onSignal);
    },
  };
}
