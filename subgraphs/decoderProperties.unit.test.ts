import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../platform/events/index.js';
import type { LogRecord } from '../platform/eventLog/index.js';
import type { DecodeResult, TopicDecoder } from '../platform/projection/index.js';
import { bytesMayHoldUnstorableText, findUnstorableText, QuarantineReasonCode } from '../platform/projection/index.js';
import { disturbedRun as disturbedRunOf, logRecord, recordInput, toLogRecord, validRecordsByTopic } from '../test/support/recordArbitraries.js';
import { contexts } from './index.js';

// Every decoder and translator of every context in the registry (a new context is covered by
// being registered), fed arbitrary bytes, arbitrary JSON, valid producer records and mutations
// of them: a decoder never throws, and says of each record what it is: events, ignored with a
// reason, or rejected with a quarantine reason code and a reason. Stateful decoders (CDC) are
// fed sequences, their state threaded per key as the engine does, and must keep it JSON.

const REASON_CODES = new Set<string>(Object.values(QuarantineReasonCode));
const VALID = validRecordsByTopic();
const RUNS = 120;

/** How many records ended each way in a property run: a run that never reached one of them tested little. */
type Tally = Record<DecodeResult<EventEnvelope>['kind'], number>;

function expectAnOutcome(result: DecodeResult<EventEnvelope>, record: LogRecord, tally?: Tally): void {
  if (tally && result.kind in tally) tally[result.kind]++;
  switch (result.kind) {
    case 'events':
      for (const event of result.events) {
        // What the engine relies on to order, dedupe and store an event.
        expect(typeof event.eventId === 'string' && event.eventId.length > 0, `eventId of an event from offset ${record.offset}`).toBe(true);
        expect(typeof event.aggregateId === 'string' && event.aggregateId.length > 0).toBe(true);
        expect(Number.isSafeInteger(event.sequence) && event.sequence >= 1).toBe(true);
        expect(Number.isNaN(Date.parse(event.occurredAt))).toBe(false);
        expect(() => JSON.stringify(event)).not.toThrow();
      }
      return;
    case 'ignored':
      expect(result.reason.trim().length, 'an ignored record says why').toBeGreaterThan(0);
      return;
    case 'rejected':
      expect(REASON_CODES.has(result.rejection.code), `reason code ${result.rejection.code}`).toBe(true);
      expect(result.rejection.reason.trim().length, 'a rejection says why').toBeGreaterThan(0);
      return;
    default:
      throw new Error(`not a decode result: ${JSON.stringify(result)}`);
  }
}

/** Decodes a sequence as the engine does: stateful decoders get their state per key, and give it back. */
function decodeAll(decoder: TopicDecoder<EventEnvelope>, records: readonly LogRecord[], tally?: Tally): void {
  const states = new Map<string, unknown>();
  for (const record of records) {
    if (decoder.kind === 'stateless') {
      expectAnOutcome(decoder.decode(record), record, tally);
      continue;
    }
    const key = decoder.stateKey(record);
    expect(typeof key).toBe('string');
    const { result, state } = decoder.decode(record, states.get(key));
    expectAnOutcome(result, record, tally);
    // The engine stores the state as jsonb: it must come back as it went.
    if (state !== undefined) expect(JSON.parse(JSON.stringify(state))).toEqual(state);
    states.set(key, state);
  }
}

const disturbedRun = disturbedRunOf({ keepWeight: 3, maxLength: 15 });

const decoders = contexts.flatMap((context) => context.ingestion.decoders.map((decoder) => [`${context.name}: ${decoder.topic} (${decoder.kind})`, decoder] as const));

describe.each(decoders)('decoder %s', (_name, decoder) => {
  const valid = VALID.get(decoder.topic) ?? [];

  it('has valid producer records to mutate (the simulator writes this topic)', () => {
    expect(valid.length).toBeGreaterThan(5);
  });

  it('never throws, and says of every record what it is (events, ignored or rejected with a reason)', () => {
    const tally: Tally = { events: 0, ignored: 0, rejected: 0 };
    fc.assert(
      fc.property(decoder.kind === 'stateful' ? disturbedRun : fc.array(recordInput, { minLength: 1, maxLength: 1 }), (inputs) => {
        decodeAll(decoder, inputs.map((input, offset) => toLogRecord(input, decoder.topic, offset, valid)), tally);
      }),
      { numRuns: RUNS },
    );
    // The inputs reached both sides of the boundary: some decoded, most rejected.
    expect(tally.events).toBeGreaterThan(0);
    expect(tally.rejected).toBeGreaterThan(tally.events);
  });

  it('decodes the valid records of the simulator to events or a reasoned ignore, never a rejection', () => {
    const records = valid.map((r, offset) => toLogRecord({ kind: 'valid', index: offset }, decoder.topic, offset, valid));
    decodeAll(decoder, records);
    const states = new Map<string, unknown>();
    const rejected = records.flatMap((record) => {
      const result = decoder.kind === 'stateless' ? decoder.decode(record) : (() => {
        const key = decoder.stateKey(record);
        const next = decoder.decode(record, states.get(key));
        states.set(key, next.state);
        return next.result;
      })();
      return result.kind === 'rejected' ? [result.rejection] : [];
    });
    // The mutations are meaningful only if the unmutated records pass.
    expect(rejected).toEqual([]);
  });

});

// Decoders that promise their text comes from the record (TopicDecoder's textFromRecord), so the
// engine skips walking their events for unstorable text when the bytes cannot hold any.
const promising = decoders.filter(([, decoder]) => decoder.textFromRecord === true);

it('has decoders that make the textFromRecord promise (the orders topics do)', () => {
  expect(promising.map(([name]) => name)).toEqual(expect.arrayContaining([expect.stringContaining('orders.events.v1'), expect.stringContaining('legacy.oms.cdc')]));
});

describe.each(promising)('decoder %s', (_name, decoder) => {
  const valid = VALID.get(decoder.topic) ?? [];

  it('keeps its textFromRecord promise: records with storable bytes lead to storable events and state', () => {
    let proven = 0;
    let provenEvents = 0;
    const decodeChecked = (records: readonly LogRecord[]) => {
      const states = new Map<string, unknown>();
      for (const [offset, record] of records.entries()) {
        const key = decoder.kind === 'stateful' ? decoder.stateKey(record) : '';
        const { result, state } = decoder.kind === 'stateless' ? { result: decoder.decode(record), state: undefined } : decoder.decode(record, states.get(key), key);
        const events = result.kind === 'events' ? result.events : [];
        const storable = findUnstorableText(events) === null && findUnstorableText(state) === null;
        if (!bytesMayHoldUnstorableText(record.key) && !bytesMayHoldUnstorableText(record.value)) {
          proven++;
          provenEvents += events.length;
          expect(storable, `events and state of the record at offset ${offset}`).toBe(true);
        }
        // As the engine: a record whose outcome it cannot store leaves the state as it was.
        if (storable) states.set(key, state);
      }
    };
    fc.assert(
      fc.property(decoder.kind === 'stateful' ? disturbedRun : fc.array(recordInput, { minLength: 1, maxLength: 1 }), (inputs) => {
        decodeChecked(inputs.map((input, offset) => toLogRecord(input, decoder.topic, offset, valid)));
      }),
      { numRuns: RUNS },
    );
    // Valid histories whose ids begin with a character outside the BMP (a surrogate pair in
    // JavaScript): a decoder that cut an id would leave half a pair, which mutations rarely reach.
    const astral = (text: string | null) => (text === null ? null : text.replace(/"(ord-|cus-)/g, '"\u{1F600}$1').replace(/^ord-/, '\u{1F600}ord-'));
    decodeChecked(valid.map((r, offset) => logRecord(decoder.topic, offset, astral(r.key), astral(r.value))));
    // Many records were covered by the promise, valid ones among them.
    expect(proven).toBeGreaterThan(RUNS / 2);
    expect(provenEvents).toBeGreaterThan(0);
  });
});
