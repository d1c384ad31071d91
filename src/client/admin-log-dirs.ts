/**
 * Log directory description (KIP-113; Admin.describeLogDirs, kafka-log-dirs.sh): DescribeLogDirs is
 * asked of each broker in turn, since every broker answers only for its own directories. A null
 * topic list asks for every partition the broker holds.
 */
import { DescribeLogDirs } from '../protocol/messages/index.js';
import type { Cluster } from './cluster.js';
import { KafkaProtocolError } from './errors.js';

export interface LogDirReplica {
  topic: string;
  partition: number;
  size: bigint;
  offsetLag: bigint;
  isFuture: boolean;
}

export interface LogDirDescription {
  logDir: string;
  /** 0, or the error code the broker gave for this directory (KAFKA_STORAGE_ERROR when offline). */
  errorCode: number;
  replicas: LogDirReplica[];
  /** v4+ (KIP-827): the directory's capacity and free bytes; -1 when the broker does not say. */
  totalBytes: bigint;
  usableBytes: bigint;
}

/** Every broker's log directories, by node id; `topics` limits the partitions described. */
export async function describeLogDirs(
  cluster: Cluster,
  brokerIds: readonly number[],
  topics: { topic: string; partitions: number[] }[] | null = null,
): Promise<Map<number, LogDirDescription[]>> {
  const out = new Map<number, LogDirDescription[]>();
  for (const nodeId of brokerIds) {
    const res = await cluster.withRetries(async () => {
      const conn = await cluster.connectionTo(nodeId);
      return conn.request(DescribeLogDirs, { topics });
    });
    if (res.errorCode !== 0) throw new KafkaProtocolError(res.errorCode, { api: 'DescribeLogDirs' }, null);
    out.set(
      nodeId,
      res.results.map((r) => ({
        logDir: r.logDir,
        errorCode: r.errorCode,
        replicas: r.topics.flatMap((t) =>
          t.partitions.map((p) => ({
            topic: t.name,
            partition: p.partitionIndex,
            size: p.partitionSize,
            offsetLag: p.offsetLag,
            isFuture: p.isFutureKey,
          })),
        ),
        totalBytes: r.totalBytes,
        usableBytes: r.usableBytes,
      })),
    );
  }
  return out;
}
