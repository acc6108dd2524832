/** A gate a benchmark opens and closes: work awaiting `passed()` waits while it is closed. */
export interface Gate {
  open(): void;
  close(): void;
  passed(): Promise<void>;
}

export function createGate(): Gate {
  let opened: Promise<void> | null = null;
  let release: (() => void) | null = null;
  const close = () => {
    if (release) return;
    opened = new Promise((resolve) => (release = resolve));
  };
  close();
  return {
    open() {
      release?.();
      release = null;
      opened = null;
    },
    close,
    passed: () => opened ?? Promise.resolve(),
  };
}
