/** Consumer-specific errors, in the family of src/client/errors.ts. */
import { KafkaClientError } from '../errors.js';

/** auto.offset.reset=none and the group has no committed offset for a partition (Java's exception name). */
export class NoOffsetForPartitionError extends KafkaClientError {
  override name = 'NoOffsetForPartitionError';
  readonly topic: string;
  readonly partition: number;

  constructor(topic: string, partition: number, why = 'no committed offset') {
    super(`${topic}-${partition}: ${why} and auto.offset.reset is none`, { retriable: false });
    this.topic = topic;
    this.partition = partition;
  }
}

/** A commit that the group refused because this member is no longer part of the generation. */
export class CommitFailedError extends KafkaClientError {
  override name = 'CommitFailedError';

  constructor(reason: string, cause?: unknown) {
    super(
      `offset commit failed: ${reason}. The group rebalanced and these partitions may belong to another member now`,
      { retriable: false, cause },
    );
  }
}

/**
 * A fetched record batch that does not decode (CRC mismatch, malformed bytes). Like Java's consumer,
 * the position stays at the offset of the fetch that brought it, so the next poll meets it again:
 * nothing after it is delivered and nothing is lost; `seek` past `offset` to skip it deliberately.
 */
export class CorruptRecordError extends KafkaClientError {
  override name = 'CorruptRecordError';
  readonly topic: string;
  readonly partition: number;
  /** The fetch position whose records failed to decode. */
  readonly offset: bigint;

  constructor(topic: string, partition: number, offset: bigint, cause: Error) {
    super(
      `${topic}-${partition}: the records fetched from offset ${offset} do not decode: ${cause.message}. Seek past them to continue`,
      { retriable: false, cause },
    );
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
  }
}
