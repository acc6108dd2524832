import { KafkaJSConnectionError, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSSASLAuthenticationError } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { toCacheError } from '../cache/index.js';
import { toDatabaseError } from '../database/index.js';
import { PlatformError, PlatformErrorCode } from '../errors/index.js';
import { toEventLogError } from '../eventLog/index.js';
import { isRetriable } from './index.js';

// Each adapter turns its driver's errors into flagged PlatformErrors: retry loops then read one
// flag instead of knowing three drivers. Shapes as the drivers produce them.

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });
// kafkajs' typings declare fewer constructor arguments than its classes take.
type ErrorClass = new (error: Error | string, options?: Record<string, unknown>) => Error;
const kafkaError = (Class: unknown, error: Error | string, options?: Record<string, unknown>) => new (Class as ErrorClass)(error, options);

describe('toDatabaseError (node-postgres)', () => {
  it.each([
    ['a restart terminating the session', withCode('terminating connection due to administrator command', '57P01')],
    ['a server starting up', withCode('the database system is starting up', '57P03')],
    ['a connection exception (class 08)', withCode('connection failure', '08006')],
    ['too many connections', withCode('sorry, too many clients already', '53300')],
    ['connection refused', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a dropped socket', new Error('Connection terminated unexpectedly')],
    ['no free connection in time', new Error('timeout exceeded when trying to connect')],
  ])('%s is DATABASE_UNAVAILABLE, retriable, keeping the driver error as cause', (_what, error) => {
    const classified = toDatabaseError(error);
    expect(classified).toMatchObject({ code: PlatformErrorCode.DatabaseUnavailable, retriable: true, cause: error });
  });

  it('serialization failures and deadlocks are TRANSACTION_CONFLICT, retriable', () => {
    expect(toDatabaseError(withCode('could not serialize access', '40001'))).toMatchObject({ code: 'TRANSACTION_CONFLICT', retriable: true });
    expect(toDatabaseError(withCode('deadlock detected', '40P01'))).toMatchObject({ code: 'TRANSACTION_CONFLICT', retriable: true });
  });

  it('a statement the server refused stays as it was (callers switch on its SQLSTATE), not retriable', () => {
    for (const error of [withCode('relation "x" does not exist', '42P01'), withCode('duplicate key value', '23505'), withCode('password authentication failed', '28P01')]) {
      expect(toDatabaseError(error)).toBe(error);
      expect(isRetriable(toDatabaseError(error))).toBe(false);
    }
  });
});

describe('toCacheError (ioredis)', () => {
  it.each([["Stream isn't writeable and enableOfflineQueue options is false"], ['Connection is closed.'], ['Command timed out'], ['connect ECONNREFUSED 127.0.0.1:6379']])('"%s" is CACHE_UNAVAILABLE, retriable', (message) => {
    expect(toCacheError(new Error(message))).toMatchObject({ code: PlatformErrorCode.CacheUnavailable, retriable: true });
  });

  it('a reply error of Redis itself stays as it was, not retriable', () => {
    const reply = Object.assign(new Error('WRONGTYPE Operation against a key holding the wrong kind of value'), { name: 'ReplyError' });
    expect(toCacheError(reply)).toBe(reply);
  });
});

describe('toEventLogError (kafkajs)', () => {
  it('connection errors, and kafkajs giving up on them, are EVENT_LOG_UNAVAILABLE, retriable', () => {
    const connection = new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9092');
    expect(toEventLogError(connection)).toMatchObject({ code: PlatformErrorCode.EventLogUnavailable, retriable: true });
    // kafkajs flags these `retriable: false` although the cause is an outage that will end.
    expect(toEventLogError(kafkaError(KafkaJSNumberOfRetriesExceeded, connection, { retryCount: 5, retryTime: 1000 }))).toMatchObject({ code: 'EVENT_LOG_UNAVAILABLE', retriable: true });
    expect(toEventLogError(kafkaError(KafkaJSNonRetriableError, connection, { cause: connection }))).toMatchObject({ code: 'EVENT_LOG_UNAVAILABLE', retriable: true });
  });

  it('a refusal no retry can fix stays as it was', () => {
    const refused = kafkaError(KafkaJSSASLAuthenticationError, 'SASL PLAIN authentication failed');
    expect(toEventLogError(refused)).toBe(refused);
  });

  it('leaves PlatformErrors and non-errors alone', () => {
    const misconfigured = new PlatformError(PlatformErrorCode.TopicMisconfigured, 'wrong partitions');
    expect(toEventLogError(misconfigured)).toBe(misconfigured);
    expect(toDatabaseError('text')).toBe('text');
  });
});
