import type { FreshnessHistory } from './createFreshnessHistory.js';
import type { FreshnessReader } from './createFreshnessReader.js';

export interface FreshnessSamplerOptions {
  /** Time between samples. Default 60 s: the history's resolution is one sample per projection and minute. */
  intervalMs?: number;
  /** Where a failed write is reported. Default a JSON line on stderr. */
  warn?: (message: string) => void;
}

export interface FreshnessSampler {
  /** Takes one sample of every projection now (also what each tick does). */
  sampleNow(): Promise<void>;
  /** Stops the timer and waits for a sample in flight. */
  stop(): Promise<void>;
}

/**
 * Samples every projection's freshness into the history: one now, then one per interval. A
 * failing write is warned about and the next tick tries again; the history has a gap there
 * instead of a guessed value. The timer does not keep the process alive.
 */
export function startFreshnessSampler(deps: { reader: Pick<FreshnessReader, 'measure'>; history: FreshnessHistory }, projections: readonly string[], options: FreshnessSamplerOptions = {}): FreshnessSampler {
  const warn = options.warn ?? ((message: string) => console.error(JSON.stringify({ level: 'warn', msg: message })));
  let inFlight: Promise<void> = Promise.resolve();
  const sampleNow = () => {
    inFlight = inFlight.then(async () => {
      try {
        await deps.history.record(await Promise.all(projections.map((p) => deps.reader.measure(p))));
      } catch (error) {
        warn(`freshness history: a sample could not be written (${(error as Error).message}); the next one is due in ${options.intervalMs ?? 60_000} ms`);
      }
    });
    return inFlight;
  };
  void sampleNow();
  const timer = setInterval(() => void sampleNow(), options.intervalMs ?? 60_000);
  timer.unref();
  return {
    sampleNow,
    async stop() {
      clearInterval(timer);
      await inFlight;
    },
  };
}
