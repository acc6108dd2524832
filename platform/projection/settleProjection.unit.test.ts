import { describe, expect, it } from 'vitest';
import { createSingleFlight } from './settleProjection.js';

describe('createSingleFlight', () => {
  it('runs one at a time, and once more after a run for every request made while it ran', async () => {
    let running = 0;
    let most = 0;
    let runs = 0;
    const release: Array<() => void> = [];
    const flight = createSingleFlight(async () => {
      running++;
      most = Math.max(most, running);
      runs++;
      await new Promise<void>((resolve) => release.push(resolve));
      running--;
    });
    const first = flight.request();
    await new Promise((r) => setTimeout(r, 5));
    expect(runs).toBe(1);
    void flight.request();
    void flight.request();
    release.shift()!();
    await new Promise((r) => setTimeout(r, 5));
    // Two requests while the first ran: exactly one more run, not two.
    expect(runs).toBe(2);
    release.shift()!();
    await first;
    await flight.idle();
    expect(runs).toBe(2);
    expect(most).toBe(1);
  });

  it('waits at least the minimum gap between back-to-back runs', async () => {
    const starts: number[] = [];
    let asked = false;
    const flight = createSingleFlight(async () => {
      starts.push(performance.now());
      if (!asked) {
        asked = true;
        void flight.request();
      }
    }, { minGapMs: 50 });
    await flight.request();
    expect(starts).toHaveLength(2);
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(45);
  });
});
