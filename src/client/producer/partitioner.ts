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
    if (c.key !== null) return partitionForKey(c.key, c.partitionCount);
    let s = this.sticky.get(c.topic);
    if (!s || s.partition >= c.partitionCount || s.bytes >= this.batchSize) {
      s = { partition: this.pickOther(c, s?.partition), bytes: 0 };
      this.sticky.set(c.topic, s);
    }
    s.bytes += c.size;
    return s.partition;
  }

  private pickOther(c: PartitionChoice, current: number | undefined): number {
    const pool = c.available.length > 0 ? c.available : Array.from({ length: c.partitionCount }, (_, i) => i);
    if (pool.length === 1) return pool[0];
    for (let tries = 0; tries < 8; tries++) {
      const p = pool[Math.floor(Math.random() * pool.length)];
      if (p !== current) return p;
    }
    return pool.find((p) => p !== current) ?? pool[0];
  }
}
