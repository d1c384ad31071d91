/**
 * DescribeLogDirs: v1-4 (KIP-113; kafka-log-dirs.sh --describe). v0 is not served: Kafka 4 removed it
 * (KIP-896), and a 4.1.1 broker answers from v1.
 *
 * Behaviour (KafkaApis.handleDescribeLogDirsRequest, then ReplicaManager.describeLogDirs):
 * - One result per log directory; the emulator has one, LOG_DIR below (memory-only it names no real
 *   directory, as Kafka's path would be meaningless to a client anyway).
 * - A null topics list asks for every partition the broker holds; otherwise only the partitions named
 *   that exist here (a topic or partition the broker does not have is left out, not an error —
 *   ReplicaManager filters by what the log manager knows).
 * - Topics with no partition in the answer are left out of it.
 * - partitionSize: the bytes in the partition's segments; offsetLag 0 (one broker, never a future
 *   replica behind), isFutureKey false (no alter-replica-log-dirs moves).
 * - v3+: a top-level errorCode 0; v4+: totalBytes / usableBytes of the directory. Memory-only there is
 *   no disk, so totalBytes is what the logs hold and usableBytes -1 ("unknown", the field's default).
 * - With --data-dir the directory is that one (absolute), and v4 reports its volume's size and usable
 *   bytes (statfs), as Kafka's LogManager reports its log dir's file store (KIP-827).
 * - With several brokers, a broker lists only the partitions it holds a replica of.
 */

import { statfsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DescribeLogDirs } from '../../protocol/messages/35-describe-log-dirs.js';
import { controllerOf } from '../cluster/controller.js';
import { declaredVersions, defineHandler } from '../handler.js';
import { dataDirOf } from '../persistence/data-dir.js';
import { authorizeCluster, CLUSTER_AUTHORIZATION_FAILED } from '../security/authorize.js';
import type { Topic } from '../state/topics.js';

/** The single log directory the emulator reports (Kafka's default log.dirs value). */
export const LOG_DIR = '/tmp/kafka-logs';

export default defineHandler({
  api: DescribeLogDirs,
  versions: declaredVersions(DescribeLogDirs, 1, 4),
  handle(request, ctx) {
    // ACLs (KafkaApis.handleDescribeLogDirsRequest): DESCRIBE on the cluster, else no directories
    // and (v3+, KIP-784) CLUSTER_AUTHORIZATION_FAILED at the top.
    if (!authorizeCluster(ctx, 'DESCRIBE'))
      return { throttleTimeMs: 0, errorCode: CLUSTER_AUTHORIZATION_FAILED, results: [] };
    const wanted = request.topics === null ? null : new Map<string, Set<number>>();
    if (request.topics !== null && wanted) {
      for (const t of request.topics) {
        const set = wanted.get(t.topic) ?? new Set<number>();
        for (const p of t.partitions) set.add(p);
        wanted.set(t.topic, set);
      }
    }
    let totalBytes = 0n;
    const topics = [];
    const controller = controllerOf(ctx.cluster);
    const here = (topic: Topic, p: number) =>
      ctx.cluster.brokers.length === 1 ||
      controller.describe(topic, p).replicaNodes.includes(ctx.broker.nodeId);
    const topicList = ctx.cluster.topics.list();
    for (const topic of topicList) {
      const asked = wanted === null ? null : wanted.get(topic.name);
      if (asked === undefined) continue;
      const partitions = [];
      for (const log of topic.partitions) {
        const size = BigInt(log.sizeInBytes);
        if (asked !== null && !asked.has(log.partition)) continue;
        if (!here(topic, log.partition)) continue;
        partitions.push({
          partitionIndex: log.partition,
          partitionSize: size,
          offsetLag: 0n,
          isFutureKey: false,
        });
      }
      if (partitions.length > 0) topics.push({ name: topic.name, partitions });
    }
    // totalBytes counts every log in the directory, asked for or not (it describes the directory).
    for (const topic of topicList)
      for (const log of topic.partitions)
        if (here(topic, log.partition)) totalBytes += BigInt(log.sizeInBytes);
    let usableBytes = -1n;
    let logDir = LOG_DIR;
    const dataDir = dataDirOf(ctx.cluster);
    if (dataDir) {
      logDir = resolve(dataDir.dir);
      const fs = statfsSync(logDir, { bigint: true });
      totalBytes = fs.blocks * fs.bsize;
      usableBytes = fs.bavail * fs.bsize;
    }
    return {
      throttleTimeMs: 0,
      errorCode: 0,
      results: [{ errorCode: 0, logDir, topics, totalBytes, usableBytes }],
    };
  },
});
