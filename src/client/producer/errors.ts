/** The producer's own error: records that outlived delivery.timeout.ms. */
import { KafkaClientError } from '../errors.js';

/**
 * delivery.timeout.ms passed between send() and success (Java's TimeoutException "Expiring N
 * record(s) for ..."). Retriable in Kafka's sense: sending the records again may work; the producer
 * itself has given up on them.
 */
export class DeliveryTimeoutError extends KafkaClientError {
  override name = 'DeliveryTimeoutError';
  readonly topic: string;
  readonly partition: number;
  readonly records: number;
  readonly elapsedMs: number;

  constructor(o: {
    topic: string;
    partition: number;
    records: number;
    elapsedMs: number;
    timeoutMs: number;
  }) {
    super(
      `${o.records} record(s) for ${o.topic}-${o.partition} expired: ${o.elapsedMs} ms passed since send() ` +
        `without an acknowledgement (delivery.timeout.ms is ${o.timeoutMs})`,
      { retriable: true },
    );
    this.topic = o.topic;
    this.partition = o.partition;
    this.records = o.records;
    this.elapsedMs = o.elapsedMs;
  }
}
