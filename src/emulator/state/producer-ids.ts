/**
 * Idempotent producers: producer ids handed out by InitProducerId, and per (producer, partition) the
 * epoch, the last sequence and the last 5 batches, so that a retried batch is answered with its
 * original offsets instead of being appended twice (ProducerAppendInfo / ProducerStateEntry in Kafka).
 */

/** Kafka keeps this many batches per producer and partition to recognise retries (NUM_BATCHES_TO_RETAIN). */
export const RETAINED_BATCHES = 5;

export const ProducerErrors = {
  OUT_OF_ORDER_SEQUENCE_NUMBER: 45,
  INVALID_PRODUCER_EPOCH: 47,
} as const;

export interface RetainedBatch {
  firstSeq: number;
  lastSeq: number;
  baseOffset: number;
  lastOffset: number;
  /** Log-append time or -1, as first answered. */
  logAppendTime: number;
  /**
   * The batch's max timestamp as stored (the append time for LOG_APPEND_TIME topics). Kafka keeps
   * this in its producer state (BatchMetadata.timestamp) and answers a duplicate with it as the
   * log-append time, even on a CreateTime topic (UnifiedLog.append; seen from Apache Kafka 4.1.1 in
   * conformance/scenarios/idempotent-retry.ts). Optional for callers that predate it.
   */
  timestamp?: number;
}

interface ProducerPartitionEntry {
  epoch: number;
  batches: RetainedBatch[];
  /** The last batch's or marker's timestamp (ProducerStateEntry.lastTimestamp), -1 when none. */
  lastTimestamp: number;
  /** The coordinator epoch of the last COMMIT/ABORT marker here, -1 before the first. */
  coordinatorEpoch: number;
}

/** One producer's state in one partition, as DescribeProducers shows it (UnifiedLog.activeProducers). */
export interface ProducerStateView {
  producerId: number;
  producerEpoch: number;
  /** -1 when no batch of this epoch is retained (a marker with a new epoch clears them). */
  lastSequence: number;
  lastTimestamp: number;
  coordinatorEpoch: number;
}

export type SequenceCheck =
  | { kind: 'append' }
  | { kind: 'duplicate'; batch: RetainedBatch }
  | { kind: 'error'; errorCode: number; errorMessage: string };

const INT32_MAX = 2_147_483_647;

function nextSeq(seq: number): number {
  return seq === INT32_MAX ? 0 : seq + 1;
}

function view(producerId: number, entry: ProducerPartitionEntry): ProducerStateView {
  const last = entry.batches[entry.batches.length - 1];
  return {
    producerId,
    producerEpoch: entry.epoch,
    lastSequence: last ? last.lastSeq : -1,
    lastTimestamp: entry.lastTimestamp,
    coordinatorEpoch: entry.coordinatorEpoch,
  };
}

export class ProducerIds {
  /** Kafka's ids start at 0 per block; any non-negative int64 works, we start at 1000 to be recognisable. */
  private nextId = 1000;
  private readonly entries = new Map<string, ProducerPartitionEntry>();

  /** The id the next allocate() hands out (a data dir saves it, persistence/data-dir.ts). */
  get nextProducerId(): number {
    return this.nextId;
  }

  /** After a restart: never hand out `id` or an id below it again (ids in the loaded logs are taken). */
  reserveThrough(id: number): void {
    if (id >= this.nextId) this.nextId = id + 1;
  }

  /** A fresh id with epoch 0: what a non-transactional InitProducerId always gets. */
  allocate(): { producerId: number; producerEpoch: number } {
    return { producerId: this.nextId++, producerEpoch: 0 };
  }

  private key(producerId: number, topic: string, partition: number): string {
    return `${producerId}\u0000${topic}\u0000${partition}`;
  }

  /** Decides what to do with a batch (duplicate first, then epoch, then sequence), without changing state. */
  check(
    producerId: number,
    epoch: number,
    topic: string,
    partition: number,
    firstSeq: number,
    lastSeq: number,
  ): SequenceCheck {
    const entry = this.entries.get(this.key(producerId, topic, partition));
    if (!entry) return { kind: 'append' }; // a producer new to this partition may start at any sequence
    if (epoch === entry.epoch) {
      const dup = entry.batches.find((b) => b.firstSeq === firstSeq && b.lastSeq === lastSeq);
      if (dup) return { kind: 'duplicate', batch: dup };
    }
    if (epoch < entry.epoch) {
      return {
        kind: 'error',
        errorCode: ProducerErrors.INVALID_PRODUCER_EPOCH,
        errorMessage: `Epoch of producer ${producerId} at offset is ${epoch}, which is smaller than the last seen epoch ${entry.epoch}`,
      };
    }
    if (epoch > entry.epoch) {
      if (firstSeq !== 0) {
        return {
          kind: 'error',
          errorCode: ProducerErrors.OUT_OF_ORDER_SEQUENCE_NUMBER,
          errorMessage: `Invalid sequence number for new epoch of producer ${producerId} at offset: ${epoch} (request epoch), ${firstSeq} (seq. number), ${entry.epoch} (current producer epoch)`,
        };
      }
      return { kind: 'append' };
    }
    const last = entry.batches[entry.batches.length - 1];
    if (last && firstSeq !== nextSeq(last.lastSeq)) {
      return {
        kind: 'error',
        errorCode: ProducerErrors.OUT_OF_ORDER_SEQUENCE_NUMBER,
        errorMessage: `Out of order sequence number for producer ${producerId} at offset: ${firstSeq} (incoming seq. number), ${last.lastSeq} (current end sequence number)`,
      };
    }
    return { kind: 'append' };
  }

  /** Remembers an appended batch (after `check` said 'append'). */
  record(producerId: number, epoch: number, topic: string, partition: number, batch: RetainedBatch): void {
    const key = this.key(producerId, topic, partition);
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { epoch, batches: [], lastTimestamp: -1, coordinatorEpoch: -1 };
      this.entries.set(key, entry);
    } else if (entry.epoch !== epoch) {
      // A new epoch forgets the retained batches, not the coordinator epoch (ProducerStateEntry).
      entry.epoch = epoch;
      entry.batches = [];
    }
    entry.batches.push(batch);
    if (entry.batches.length > RETAINED_BATCHES) entry.batches.shift();
    entry.lastTimestamp = batch.timestamp ?? batch.logAppendTime;
  }

  /**
   * A COMMIT/ABORT marker of this producer was appended (ProducerAppendInfo.appendEndTxnMarker): its
   * epoch becomes the producer's (a different one clears the retained batches), with the marker's
   * coordinator epoch and timestamp. A producer that only ever had markers here gets an entry too.
   */
  markerAppended(
    producerId: number,
    epoch: number,
    topic: string,
    partition: number,
    marker: { coordinatorEpoch: number; timestamp: number },
  ): void {
    const key = this.key(producerId, topic, partition);
    const entry = this.entries.get(key);
    if (!entry) {
      this.entries.set(key, {
        epoch,
        batches: [],
        lastTimestamp: marker.timestamp,
        coordinatorEpoch: marker.coordinatorEpoch,
      });
      return;
    }
    if (entry.epoch !== epoch) {
      entry.epoch = epoch;
      entry.batches = [];
    }
    entry.lastTimestamp = marker.timestamp;
    entry.coordinatorEpoch = marker.coordinatorEpoch;
  }

  /** The producer epoch and coordinator epoch known in a partition, for a marker's checks. */
  stateIn(producerId: number, topic: string, partition: number): ProducerStateView | undefined {
    const entry = this.entries.get(this.key(producerId, topic, partition));
    return entry && view(producerId, entry);
  }

  /** Every producer with state in a partition, by producer id. */
  producersOf(topic: string, partition: number): ProducerStateView[] {
    const suffix = `\u0000${topic}\u0000${partition}`;
    const out: ProducerStateView[] = [];
    for (const [key, entry] of this.entries) {
      if (!key.endsWith(suffix)) continue;
      // Topic names cannot hold \u0000, so what precedes the suffix is the producer id.
      out.push(view(Number(key.slice(0, key.length - suffix.length)), entry));
    }
    return out.sort((a, b) => a.producerId - b.producerId);
  }

  /**
   * ProducerStateManager.removeExpiredProducers: the state of a producer whose last batch or marker
   * in a partition is `expirationMs` old (producer.id.expiration.ms) is forgotten there, unless it has
   * a transaction open in it. Kafka compares the broker's clock with the batch's max timestamp, as
   * here. Afterwards the partition takes the producer's next batch at any sequence, as a new one's,
   * and no longer recognises a retry of an earlier batch. Returns how many entries went.
   */
  removeExpired(
    now: number,
    expirationMs: number,
    hasOpenTransaction: (producerId: number, topic: string, partition: number) => boolean,
  ): number {
    let removed = 0;
    for (const [key, entry] of [...this.entries]) {
      if (now - entry.lastTimestamp < expirationMs) continue;
      const [id, topic, partition] = key.split('\u0000') as [string, string, string];
      if (hasOpenTransaction(Number(id), topic, Number(partition))) continue;
      this.entries.delete(key);
      removed++;
    }
    return removed;
  }

  /** Forgets all producer state of a deleted topic. */
  topicDeleted(topic: string): void {
    const marker = `\u0000${topic}\u0000`;
    for (const key of [...this.entries.keys()]) if (key.includes(marker)) this.entries.delete(key);
  }
}
