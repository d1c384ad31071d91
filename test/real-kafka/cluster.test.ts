/**
 * The real 3-node cluster (kafka.sh start-cluster 3: Apache Kafka 4.1.1, KRaft, every node broker and
 * controller) seen through kafkalab's Admin: three brokers, and a topic of replication factor 3 whose
 * every partition has three distinct replicas, all in sync, led by one of them. The ground truth the
 * emulator's `brokers: 3` is compared against (test/emulator/cluster-brokers.test.ts, conformance).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Admin } from '../../src/client/admin.js';
import { type RealKafkaCluster, startRealKafkaCluster } from '../support/real-kafka-cluster.js';

describe('a real 3-node Kafka cluster', () => {
  let kafka: RealKafkaCluster | undefined;
  let admin: Admin | undefined;

  beforeAll(async () => {
    kafka = await startRealKafkaCluster({ brokers: 3 });
    console.log(`[real cluster] 3 nodes ready in ${Math.round(kafka.startMs)} ms: ${kafka.bootstrap}`);
    admin = new Admin({ bootstrap: kafka.bootstrap });
  }, 1_200_000);

  afterAll(async () => {
    await admin?.close();
    await kafka?.stop();
  }, 120_000);

  it('lists three brokers and places an RF-3 topic on all of them, in sync', async () => {
    const cluster = await admin!.describeCluster();
    expect(cluster.brokers.map((b) => b.nodeId).sort()).toEqual([0, 1, 2]);
    expect(cluster.brokers.map((b) => `${b.host}:${b.port}`).sort()).toEqual(
      kafka!.bootstrap.split(',').sort(),
    );

    await admin!.createTopics({ topics: [{ topic: 'rf3', numPartitions: 3, replicationFactor: 3 }] });
    // Brokers learn of the topic from the metadata log a moment after CreateTopics answers.
    let partitions: Awaited<ReturnType<Admin['describeTopics']>>[number]['partitions'] = [];
    const deadline = Date.now() + 30_000;
    for (;;) {
      const [t] = await admin!.describeTopics({ topics: ['rf3'] }).catch(() => []);
      partitions = t?.partitions ?? [];
      if (partitions.length === 3 && partitions.every((p) => p.leader >= 0 && p.isr.length === 3)) break;
      if (Date.now() > deadline)
        throw new Error(`rf3 not fully in sync after 30 s: ${JSON.stringify(partitions)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    for (const p of partitions) {
      expect(new Set(p.replicas)).toEqual(new Set([0, 1, 2]));
      expect(new Set(p.isr)).toEqual(new Set([0, 1, 2]));
      // A new partition is led by its preferred replica, the first of its list.
      expect(p.leader).toBe(p.replicas[0]);
    }
    // Placement stripes leaders over the brokers: three partitions, three different leaders.
    expect(new Set(partitions.map((p) => p.leader)).size).toBe(3);
  }, 120_000);
});
