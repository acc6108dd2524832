import { PlatformError, PlatformErrorCode } from '../errors/index.js';
import type { RetentionGapEvent, RetentionGapPolicy } from './EventLog.js';

/** The event (and its coded error) both adapters report for a retention gap: one wording, one shape. */
export function retentionGapEvent(where: { topic: string; partition: number; neededOffset: number; earliestOffset: number }, policy: RetentionGapPolicy): RetentionGapEvent {
  const { topic, partition, neededOffset, earliestOffset } = where;
  const lost = `records ${neededOffset}..${earliestOffset - 1} (${earliestOffset - neededOffset}) are gone (retention or deleted records)`;
  const message =
    policy === 'accept'
      ? `Partition ${topic}/${partition} needed offset ${neededOffset} but the log begins at ${earliestOffset}: ${lost}. Consuming on from ${earliestOffset} because EVENT_LOG_RETENTION_GAP=accept: those records were skipped. Fix: rebuild the projection from a source that still holds them.`
      : `Partition ${topic}/${partition} needs offset ${neededOffset} but the log begins at ${earliestOffset}: ${lost}. The partition is stopped so that nothing is skipped silently; the other partitions go on. Fix: raise the topic's retention so it outlasts the projector's lag, then rebuild the projection from a source that still holds the records, or restart with EVENT_LOG_RETENTION_GAP=accept to skip them knowingly.`;
  return { kind: 'retention-gap', topic, partition, neededOffset, earliestOffset, accepted: policy === 'accept', error: new PlatformError(PlatformErrorCode.LogRetentionGap, message, { retriable: false }) };
}
