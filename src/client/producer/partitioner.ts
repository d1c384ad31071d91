/**
 * Kafka's default partitioning: an explicit partition wins; a keyed record goes where murmur2 sends
 * it (the same partition Java's client picks); a keyless record sticks to one partition until about
 * batch.size bytes went there, then moves to another (KIP-480 sticky partitioning, with KIP-794's
 * switch-by-bytes), so that keyless traffic fills whole batches instead of many tiny ones.
 */
import { partitionForKey } from './murmur2.js';

export interface PartitionChoice {
  topic: string;
  key: Uint8Array | null;
  /** Partitions of the topic, and those with a leader right now (the sticky choice prefers them). */
  partitionCount: number;
  available: readonly number[];
  /** Bytes this record adds, for the sticky switch. */
  size: number;
}

export class DefaultPartitioner {
  private readonly sticky = new Map<string, { partition: number; bytes: number }>();

  constructor(private readonly batchSize: number) {}

  partition(c: PartitionChoice): number {
    return this.choose(c.topic, c.key, c.partitionCount, c.available, c.size);
  }

  /** partition() without the argument object: the producer calls it once per record. */
  choose(
    topic: string,
    key: Uint8Array | null,
    partitionCount: number,
    available: readonly number[],
    size: number,
  ): number {
    if (key !== null) return partitionForKey(key, partitionCount);
    let s = this.sticky.get(topic);
    if (!s || s.partition >= partitionCount || s.bytes >= this.batchSize) {
      s = { partition: this.pickOther(partitionCount, available, s?.partition), bytes: 0 };
      this.sticky.set(topic, s);
    }
    s.bytes += size;
    return s.partition;
  }

  private pickOther(
    partitionCount: number,
    available: readonly number[],
    current: number | undefined,
  ): number {
    const pool = available.length > 0 ? available : Array.from({ length: partitionCount }, (_, i) => i);
    if (pool.length === 1) return pool[0];
    for (let tries = 0; tries < 8; tries++) {
      const p = pool[Math.floor(Math.random() * pool.length)];
      if (p !== current) return p;
    }
    return pool.find((p) => p !== current) ?? pool[0];
  }
}
