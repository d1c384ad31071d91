/**
 * Kafka's murmur2 (Utils.murmur2: MurmurHash2, 32-bit, seed 0x9747b28c) and the partition the Java
 * client's default partitioner picks for a keyed record: toPositive(murmur2(key)) % partitions.
 * toPositive clears the sign bit rather than taking Math.abs, so Integer.MIN_VALUE maps to 0.
 */

const SEED = 0x9747b28c;
const M = 0x5bd1e995;

/** Signed 32-bit hash, equal to Java's `Utils.murmur2(bytes)`. */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = SEED ^ length;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  // The tail: Java's switch falls through from 3 to 2 to 1.
  const rest = length & 3;
  if (rest === 3) h ^= data[whole + 2] << 16;
  if (rest >= 2) h ^= data[whole + 1] << 8;
  if (rest >= 1) {
    h ^= data[whole];
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** The partition for a keyed record among `partitions` (BuiltInPartitioner.partitionForKey). */
export function partitionForKey(key: Uint8Array, partitions: number): number {
  return (murmur2(key) & 0x7fffffff) % partitions;
}
