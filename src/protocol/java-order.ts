/**
 * The order in which a Java `HashMap` (built by putting keys one by one, as `Collectors.toMap` does)
 * hands its keys back. Kafka's command-line tools print many tables straight from such maps —
 * kafka-consumer-groups' partitions, its reset plans, its list of groups — so their row order is
 * neither sorted nor random but this: buckets in index order, keys within a bucket in insertion order.
 * kafkalab prints the same rows in the same order so that its output can be compared line by line,
 * and the emulator answers in the order the broker's own HashMaps give (e.g. SCRAM credential results).
 *
 * What is modelled: String.hashCode and TopicPartition.hashCode, HashMap's hash spreading
 * (h ^ h >>> 16) and its table growth (16 buckets, doubled past 3/4 full). Not modelled: buckets
 * turned into trees (8+ keys colliding in one bucket of a 64+ table), which only reorders those keys.
 */

/** java.lang.String.hashCode over UTF-16 code units, with int overflow. */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** org.apache.kafka.common.TopicPartition.hashCode: 31 * (31 + partition) + topic.hashCode(). */
export function topicPartitionHash(topic: string, partition: number): number {
  return (Math.imul(31, 31 + partition) + javaStringHash(topic)) | 0;
}

/**
 * `items` in the order a java.util.HashMap keyed by `hash(item)` iterates them. `initialCapacity` is
 * the map's constructor argument when it has one (`new HashMap<>(n)`: a table of the next power of
 * two at or above n, e.g. Admin's describeTopics result); absent, the default 16 buckets.
 */
export function javaHashMapOrder<T>(
  items: readonly T[],
  hash: (item: T) => number,
  initialCapacity?: number,
): T[] {
  let capacity = 16;
  if (initialCapacity !== undefined) {
    capacity = 1;
    while (capacity < initialCapacity) capacity *= 2;
  }
  while (items.length > capacity * 0.75) capacity *= 2;
  return items
    .map((item, index) => {
      const h = hash(item);
      return { item, index, bucket: (h ^ (h >>> 16)) & (capacity - 1) };
    })
    .sort((a, b) => a.bucket - b.bucket || a.index - b.index)
    .map((x) => x.item);
}

/** Topic-partitions in a HashMap<TopicPartition, _>'s order. */
export function topicPartitionOrder<T extends { topic: string; partition: number }>(
  items: readonly T[],
): T[] {
  return javaHashMapOrder(items, (tp) => topicPartitionHash(tp.topic, tp.partition));
}
