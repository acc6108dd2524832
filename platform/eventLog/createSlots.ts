/** At most `count` holders at a time; waiters are served in arrival order. */
export interface Slots {
  acquire(): Promise<void>;
  release(): void;
}

export function createSlots(count: number): Slots {
  let free = Math.max(1, count);
  const waiting: Array<() => void> = [];
  return {
    acquire() {
      if (free > 0) {
        free--;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => waiting.push(resolve));
    },
    release() {
      const next = waiting.shift();
      if (next) next();
      else free++;
    },
  };
}
