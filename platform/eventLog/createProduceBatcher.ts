/**
 * Producer-side batching, as librdkafka's `linger.ms` and the Java client's `linger.ms` do: a
 * produce call waits up to `lingerMs` for others, and everything gathered goes out in one produce
 * request (one record batch per topic-partition). A broker (the test broker above all) serves
 * about one record batch per partition per fetch, so a producer that sent each call alone would
 * make every consumer fetch one call's records at a time.
 *
 * One request is in flight at a time: what arrives meanwhile waits for it (and for the rest of its
 * linger), so the records of one partition reach the broker in call order even when kafkajs
 * retries a request. Each call's promise settles with the request that carried its last record.
 */
export interface ProduceBatcherOptions {
  /** Longest wait for other calls before sending, ms (0: only calls made in the same tick share). */
  lingerMs: number;
  /** Bound on one request's payload, bytes: more is sent in several requests, in order. */
  maxRequestBytes: number;
}

/** One request's contents: per topic, the messages in call order. */
export type TopicMessages<M> = Array<{ topic: string; messages: M[] }>;

export interface ProduceBatcher<M> {
  /** Queues `messages` (`sizeOf` each, bytes) for `topic`; resolves once all are acknowledged. */
  add(topic: string, messages: readonly M[]): Promise<void>;
  /** Sends what is queued now, without waiting for the linger; resolves when nothing is queued or in flight. */
  flush(): Promise<void>;
}

interface Part<M> {
  topic: string;
  messages: M[];
  bytes: number;
  /** When it was queued (performance.now()): its linger runs from here. */
  at: number;
  settle: { resolve(): void; reject(error: unknown): void };
}

export function createProduceBatcher<M>(send: (request: TopicMessages<M>) => Promise<void>, sizeOf: (message: M) => number, options: ProduceBatcherOptions): ProduceBatcher<M> {
  const queue: Array<Part<M>> = [];
  let queuedBytes = 0;
  // Set by flush(): send without lingering until nothing is queued.
  let flushing = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | null = null;
  const idleWaiters: Array<() => void> = [];

  const schedule = () => {
    if (inFlight || queue.length === 0) return;
    const waited = performance.now() - queue[0]!.at;
    if (flushing || queuedBytes >= options.maxRequestBytes || waited >= options.lingerMs) {
      clearTimeout(timer);
      timer = undefined;
      sendNext();
      return;
    }
    timer ??= setTimeout(() => {
      timer = undefined;
      schedule();
    }, options.lingerMs - waited);
  };

  const sendNext = () => {
    const taken: Array<Part<M>> = [];
    let bytes = 0;
    while (queue.length > 0 && (taken.length === 0 || bytes + queue[0]!.bytes <= options.maxRequestBytes)) {
      const part = queue.shift()!;
      taken.push(part);
      bytes += part.bytes;
    }
    queuedBytes -= bytes;
    const byTopic = new Map<string, M[]>();
    for (const part of taken) {
      const list = byTopic.get(part.topic);
      if (list) for (const message of part.messages) list.push(message);
      else byTopic.set(part.topic, part.messages.slice());
    }
    inFlight = send([...byTopic].map(([topic, messages]) => ({ topic, messages }))).then(
      () => {
        for (const part of taken) part.settle.resolve();
      },
      (error: unknown) => {
        for (const part of taken) part.settle.reject(error);
      },
    );
    void inFlight.then(() => {
      inFlight = null;
      if (queue.length > 0) schedule();
      else {
        flushing = false;
        for (const wake of idleWaiters.splice(0)) wake();
      }
    });
  };

  return {
    add(topic, messages) {
      if (messages.length === 0) return Promise.resolve();
      // A call larger than one request goes in several parts; the call settles with the last.
      const parts: Array<Promise<void>> = [];
      let start = 0;
      let bytes = 0;
      const cut = (end: number) => {
        parts.push(
          new Promise<void>((resolve, reject) => {
            queue.push({ topic, messages: messages.slice(start, end), bytes, at: performance.now(), settle: { resolve, reject } });
            queuedBytes += bytes;
          }),
        );
        start = end;
        bytes = 0;
      };
      for (let i = 0; i < messages.length; i++) {
        const size = sizeOf(messages[i]!);
        if (bytes > 0 && bytes + size > options.maxRequestBytes) cut(i);
        bytes += size;
      }
      cut(messages.length);
      schedule();
      return parts.length === 1 ? parts[0]! : Promise.all(parts).then(() => undefined);
    },
    flush() {
      if (!inFlight && queue.length === 0) return Promise.resolve();
      const idle = new Promise<void>((resolve) => idleWaiters.push(resolve));
      flushing = true;
      schedule();
      return idle;
    },
  };
}
