/**
 * Admin: topics, partitions, cluster and configs, and offsets by time. Each call negotiates its
 * version per broker through the Connection; a non-zero error code becomes a typed KafkaProtocolError
 * naming the topic. Requests go where Kafka's Admin client (KafkaAdminClient) sends them:
 * CreateTopics, DeleteTopics and CreatePartitions to the controller named by Metadata
 * (ControllerNodeProvider) — KRaft brokers forward them from anywhere since KIP-590, but a broker that
 * does not (franz-go's kfake, ZooKeeper-era Kafka) answers NOT_CONTROLLER, and then the client
 * refreshes Metadata and asks the controller it names now; ListOffsets to each partition's leader; a
 * broker's configs to that broker; Metadata, DescribeCluster and topic configs to any broker.
 *
 * Group administration (listGroups, describeGroups, deleteGroups, committed offsets and lag) lives in
 * admin-groups.ts, next to the consumer that knows the group protocol.
 */

import { ListOffsets } from '../protocol/messages/02-list-offsets.js';
import { Metadata } from '../protocol/messages/03-metadata.js';
import { CreateTopics } from '../protocol/messages/19-create-topics.js';
import { DeleteTopics } from '../protocol/messages/20-delete-topics.js';
import { DeleteRecords } from '../protocol/messages/21-delete-records.js';
import { DescribeConfigs } from '../protocol/messages/32-describe-configs.js';
import { AlterConfigs } from '../protocol/messages/33-alter-configs.js';
import { CreatePartitions } from '../protocol/messages/37-create-partitions.js';
import { IncrementalAlterConfigs } from '../protocol/messages/44-incremental-alter-configs.js';
import { DescribeCluster } from '../protocol/messages/60-describe-cluster.js';
import type { ApiSpec, MessageInput, MessageValue } from '../protocol/schema/declare.js';
import {
  type AclBinding,
  type AclBindingFilter,
  type AclCreateResult,
  type AclDeleteResult,
  ANY_ACL,
  createAcls,
  deleteAcls,
  describeAcls,
} from './admin-acls.js';
import { describeLogDirs, type LogDirDescription } from './admin-log-dirs.js';
import { Cluster, type ClusterOptions, type PartitionInfo, toTopicInfo } from './cluster.js';
import type { Connection } from './connection.js';
import { KafkaClientError, KafkaProtocolError, throwIfError, UnsupportedVersionError } from './errors.js';

export interface AdminOptions {
  cluster?: Cluster;
  bootstrap?: ClusterOptions['bootstrap'];
  clientId?: string;
  requestTimeoutMs?: number;
  retry?: ClusterOptions['retry'];
  /** security.protocol, TLS and SASL (see ClientSecurity). */
  security?: ClusterOptions['security'];
  /** The timeoutMs sent to the controller in topic requests (default 30 s). */
  operationTimeoutMs?: number;
}

export interface NewTopic {
  topic: string;
  /** -1 (the default) lets the broker use num.partitions. */
  numPartitions?: number;
  /** -1 (the default) lets the broker use default.replication.factor. */
  replicationFactor?: number;
  configs?: Record<string, string>;
}

export interface CreatedTopic {
  topic: string;
  topicId: string | null;
  numPartitions: number;
  replicationFactor: number;
}

export interface TopicDescription {
  topic: string;
  topicId: string;
  isInternal: boolean;
  partitions: PartitionInfo[];
}

/** One partition's answer to deleteRecords: its new low watermark, or why it was refused. */
export type DeletedRecords =
  | { topic: string; partition: number; lowWatermark: bigint; error?: undefined }
  | { topic: string; partition: number; lowWatermark?: undefined; error: KafkaProtocolError };

export interface ClusterDescription {
  clusterId: string | null;
  controllerId: number;
  brokers: { nodeId: number; host: string; port: number; rack: string | null }[];
}

export type ConfigResourceType = 'topic' | 'broker';

export interface ConfigEntry {
  name: string;
  value: string | null;
  readOnly: boolean;
  isDefault: boolean;
  isSensitive: boolean;
  /** Kafka's ConfigSource (1 dynamic topic, 4 static broker, 5 default, ...); -1 when not sent (v0). */
  source: number;
  /** Where the value could come from, highest precedence first (asked with includeSynonyms; v1+). */
  synonyms: { name: string; value: string | null; source: number }[];
  /** DescribeConfigs configType (1 BOOLEAN … 9 PASSWORD; 0 unknown or not sent before v3). */
  configType: number;
  /** Asked with includeDocumentation (v3+); null otherwise. */
  documentation: string | null;
}

/** Kafka's ConfigEntry.ConfigSource names by code, as kafka-configs prints them. */
export const CONFIG_SOURCE_NAMES: Readonly<Record<number, string>> = {
  0: 'UNKNOWN',
  1: 'DYNAMIC_TOPIC_CONFIG',
  2: 'DYNAMIC_BROKER_CONFIG',
  3: 'DYNAMIC_DEFAULT_BROKER_CONFIG',
  4: 'STATIC_BROKER_CONFIG',
  5: 'DEFAULT_CONFIG',
  6: 'DYNAMIC_BROKER_LOGGER_CONFIG',
  7: 'CLIENT_METRICS_CONFIG',
  8: 'GROUP_CONFIG',
};

/** IncrementalAlterConfigs' operations (AlterConfigOp.OpType); append/subtract are for LIST configs. */
export type ConfigOpType = 'set' | 'delete' | 'append' | 'subtract';

export interface ConfigOp {
  name: string;
  op: ConfigOpType;
  /** Ignored (sent as null) for delete. */
  value?: string | null;
}

/** A config resource: a topic, or a broker by node id ('' for the cluster-wide default). */
export interface ConfigResource {
  type: ConfigResourceType;
  name: string;
}

export interface ConfigDescription {
  type: ConfigResourceType;
  name: string;
  configs: ConfigEntry[];
}

/** 'earliest' (-2), 'latest' (-1), or a timestamp in ms: the first offset whose record is at/after it. */
export type OffsetSpec = 'earliest' | 'latest' | { timestamp: number | bigint };

export interface PartitionOffset {
  topic: string;
  partition: number;
  /** -1 when no record is at or after the asked timestamp. */
  offset: bigint;
  timestamp: bigint;
}

const RESOURCE_TYPE: Record<ConfigResourceType, number> = { topic: 2, broker: 4 };
const OP_TYPE: Record<ConfigOpType, number> = { set: 0, delete: 1, append: 2, subtract: 3 };
const CONFIG_SOURCE_DEFAULT = 5;
const NOT_CONTROLLER = 41;

export class Admin {
  readonly cluster: Cluster;
  private readonly ownsCluster: boolean;
  private readonly timeoutMs: number;
  /** Set when the controller Metadata named refused a request: ask Metadata again before the next. */
  private controllerStale = true;

  constructor(options: AdminOptions) {
    if (options.cluster) {
      this.cluster = options.cluster;
      this.ownsCluster = false;
    } else {
      if (!options.bootstrap)
        throw new KafkaClientError('an admin client needs bootstrap servers or a cluster', {
          retriable: false,
        });
      this.cluster = new Cluster({
        bootstrap: options.bootstrap,
        clientId: options.clientId,
        requestTimeoutMs: options.requestTimeoutMs,
        retry: options.retry,
        security: options.security,
        // An admin looks, it does not create topics by asking about them.
        allowAutoTopicCreation: false,
      });
      this.ownsCluster = true;
    }
    this.timeoutMs = options.operationTimeoutMs ?? 30_000;
  }

  async connect(): Promise<void> {
    await this.cluster.connect();
  }

  async close(): Promise<void> {
    if (this.ownsCluster) await this.cluster.close();
  }

  /**
   * Sends a request to the controller and retries, after a Metadata refresh, while any of the answer's
   * error codes is NOT_CONTROLLER: the controller moved, or the Metadata that named it was stale.
   */
  private toController<A extends ApiSpec>(
    api: A,
    body: (version: number) => MessageInput<A['request']>,
    errorCodes: (res: MessageValue<A['response']>) => number[],
  ): Promise<MessageValue<A['response']>> {
    return this.cluster.withRetries(async () => {
      const conn = await this.controllerConnection();
      const version = conn.versionFor(api);
      const res = await conn.request(api, body(version), { version });
      if (errorCodes(res).includes(NOT_CONTROLLER)) {
        this.controllerStale = true;
        throw new KafkaProtocolError(NOT_CONTROLLER, { api: api.name, broker: conn.address });
      }
      return res;
    });
  }

  /** The controller from Metadata (refreshed when unknown or refused); any broker when Metadata v0 names none. */
  private async controllerConnection(): Promise<Connection> {
    if (this.controllerStale || this.cluster.controllerId < 0) {
      await this.cluster.refreshMetadata();
      this.controllerStale = false;
    }
    const id = this.cluster.controllerId;
    return id < 0 ? this.cluster.anyConnection() : this.cluster.connectionTo(id);
  }

  /** Creates topics; throws the first topic's error (TOPIC_ALREADY_EXISTS, INVALID_PARTITIONS, ...). */
  async createTopics(o: { topics: NewTopic[]; validateOnly?: boolean }): Promise<CreatedTopic[]> {
    const res = await this.toController(
      CreateTopics,
      () => ({
        topics: o.topics.map((t) => ({
          name: t.topic,
          numPartitions: t.numPartitions ?? -1,
          replicationFactor: t.replicationFactor ?? -1,
          assignments: [],
          configs: Object.entries(t.configs ?? {}).map(([name, value]) => ({ name, value })),
        })),
        timeoutMs: this.timeoutMs,
        validateOnly: o.validateOnly ?? false,
      }),
      (r) => r.topics.map((t) => t.errorCode),
    );
    for (const t of res.topics)
      throwIfError(t.errorCode, { api: 'CreateTopics', topic: t.name }, t.errorMessage ?? null);
    this.cluster.invalidate();
    return res.topics.map((t) => {
      const asked = o.topics.find((x) => x.topic === t.name);
      return {
        topic: t.name,
        topicId: t.topicId && t.topicId !== 'AAAAAAAAAAAAAAAAAAAAAA' ? t.topicId : null,
        // v5+ answers with the real counts; older versions only echo what was asked.
        numPartitions: t.numPartitions ?? asked?.numPartitions ?? -1,
        replicationFactor: t.replicationFactor ?? asked?.replicationFactor ?? -1,
      };
    });
  }

  async deleteTopics(o: { topics: string[] }): Promise<void> {
    const res = await this.toController(
      DeleteTopics,
      // v6 names topics in a struct list (by name or id); older versions send a plain name list.
      (version) =>
        version >= 6
          ? { topics: o.topics.map((name) => ({ name })), timeoutMs: this.timeoutMs }
          : { topicNames: o.topics, timeoutMs: this.timeoutMs },
      (r) => r.responses.map((t) => t.errorCode),
    );
    for (const r of res.responses)
      throwIfError(r.errorCode, { api: 'DeleteTopics', topic: r.name ?? undefined }, r.errorMessage ?? null);
    this.cluster.invalidate();
  }

  /** Raises a topic's partition count to `count` (Kafka cannot lower it). */
  async createPartitions(o: {
    topics: { topic: string; count: number }[];
    validateOnly?: boolean;
  }): Promise<void> {
    const res = await this.toController(
      CreatePartitions,
      () => ({
        topics: o.topics.map((t) => ({ name: t.topic, count: t.count, assignments: null })),
        timeoutMs: this.timeoutMs,
        validateOnly: o.validateOnly ?? false,
      }),
      (r) => r.results.map((t) => t.errorCode),
    );
    for (const r of res.results)
      throwIfError(r.errorCode, { api: 'CreatePartitions', topic: r.name }, r.errorMessage ?? null);
    this.cluster.invalidate();
  }

  /** Topic names, internal topics left out unless asked for. */
  async listTopics(o: { includeInternal?: boolean } = {}): Promise<string[]> {
    const topics = await this.cluster.fetchAllTopics();
    return topics
      .filter((t) => t.errorCode === 0 && (o.includeInternal || !t.isInternal))
      .map((t) => t.name)
      .sort();
  }

  /** Partitions with leader, replicas and ISR, and the topic id; every topic when none are named. */
  async describeTopics(o: { topics?: string[] } = {}): Promise<TopicDescription[]> {
    const res = await this.cluster.withRetries(async () => {
      const conn = await this.cluster.anyConnection();
      const version = conn.versionFor(Metadata);
      // v0 says "all topics" with an empty list. allowAutoTopicCreation is v4+: before it, naming a
      // topic may create it (auto.create.topics.enable), which Java's admin refuses to risk, as here.
      const topics = o.topics ? o.topics.map((name) => ({ name })) : version === 0 ? [] : null;
      if (version < 4 && o.topics)
        throw new UnsupportedVersionError(
          `${conn.address} serves Metadata up to v${version}: before v4 a Metadata request cannot carry allowAutoTopicCreation=false`,
        );
      return conn.request(Metadata, version < 4 ? { topics } : { topics, allowAutoTopicCreation: false }, {
        version,
      });
    });
    const out: TopicDescription[] = [];
    for (const t of res.topics) {
      throwIfError(t.errorCode, { api: 'Metadata', topic: t.name ?? undefined });
      const info = toTopicInfo(t);
      out.push({
        topic: info.name,
        topicId: info.topicId,
        isInternal: info.isInternal,
        partitions: info.partitions,
      });
    }
    return out.sort((a, b) => a.topic.localeCompare(b.topic));
  }

  /** DescribeCluster (KIP-700) when the broker serves it, else what Metadata says. */
  async describeCluster(): Promise<ClusterDescription> {
    return this.cluster.withRetries(async () => {
      const conn = await this.cluster.anyConnection();
      if (conn.brokerRange(DescribeCluster)) {
        const res = await conn.request(DescribeCluster, { includeClusterAuthorizedOperations: false });
        throwIfError(res.errorCode, { api: 'DescribeCluster' }, res.errorMessage ?? null);
        return {
          clusterId: res.clusterId,
          controllerId: res.controllerId,
          brokers: res.brokers.map((b) => ({
            nodeId: b.brokerId,
            host: b.host,
            port: b.port,
            rack: b.rack ?? null,
          })),
        };
      }
      await this.cluster.refreshMetadata();
      return {
        clusterId: this.cluster.clusterId,
        controllerId: this.cluster.controllerId,
        brokers: [...this.cluster.brokers.values()],
      };
    });
  }

  /** Configs of topics or brokers (all keys, or only `keys`). Broker configs are asked of that broker. */
  async describeConfigs(o: {
    resources: { type: ConfigResourceType; name: string; keys?: string[] }[];
    /** Each entry's synonyms (DescribeConfigs v1+). */
    includeSynonyms?: boolean;
    /** Each entry's documentation (v3+). */
    includeDocumentation?: boolean;
  }): Promise<ConfigDescription[]> {
    const out: ConfigDescription[] = [];
    for (const r of o.resources) {
      const body = {
        resources: [
          { resourceType: RESOURCE_TYPE[r.type], resourceName: r.name, configurationKeys: r.keys ?? null },
        ],
        includeSynonyms: o.includeSynonyms ?? false,
        includeDocumentation: o.includeDocumentation ?? false,
      };
      const res = await this.cluster.withRetries(() =>
        // A broker's configs from that broker (an empty name: the cluster-wide defaults, anywhere).
        r.type === 'broker' && r.name !== ''
          ? this.cluster.requestTo(Number(r.name), DescribeConfigs, body)
          : this.cluster.requestAny(DescribeConfigs, body),
      );
      for (const result of res.results) {
        throwIfError(
          result.errorCode,
          { api: 'DescribeConfigs', resource: `${r.type} ${r.name}` },
          result.errorMessage ?? null,
        );
        out.push({
          type: r.type,
          name: result.resourceName,
          configs: result.configs.map((c) => ({
            name: c.name,
            value: c.value ?? null,
            readOnly: c.readOnly,
            // v0 had isDefault; v1+ replaced it with configSource.
            isDefault:
              c.configSource !== undefined && c.configSource !== -1
                ? c.configSource === CONFIG_SOURCE_DEFAULT
                : (c.isDefault ?? false),
            isSensitive: c.isSensitive,
            source: c.configSource ?? -1,
            synonyms: (c.synonyms ?? []).map((y) => ({
              name: y.name,
              value: y.value ?? null,
              source: y.source,
            })),
            configType: c.configType ?? 0,
            documentation: c.documentation ?? null,
          })),
        });
      }
    }
    return out;
  }

  /**
   * IncrementalAlterConfigs (KIP-339): set, delete, append to or subtract from single entries of each
   * resource. A broker's own configs go to that broker, topic configs and the cluster default
   * (broker '') to any (KafkaAdminClient routes them so). Throws the first resource's error.
   */
  async incrementalAlterConfigs(o: {
    resources: (ConfigResource & { ops: ConfigOp[] })[];
    validateOnly?: boolean;
  }): Promise<void> {
    for (const r of o.resources) {
      const body = {
        resources: [
          {
            resourceType: RESOURCE_TYPE[r.type],
            resourceName: r.name,
            configs: r.ops.map((c) => ({
              name: c.name,
              configOperation: OP_TYPE[c.op],
              value: c.op === 'delete' ? null : (c.value ?? null),
            })),
          },
        ],
        validateOnly: o.validateOnly ?? false,
      };
      const res = await this.cluster.withRetries(() =>
        r.type === 'broker' && r.name !== ''
          ? this.cluster.requestTo(Number(r.name), IncrementalAlterConfigs, body)
          : this.cluster.requestAny(IncrementalAlterConfigs, body),
      );
      for (const x of res.responses)
        throwIfError(
          x.errorCode,
          { api: 'IncrementalAlterConfigs', resource: `${r.type} ${r.name}` },
          x.errorMessage ?? null,
        );
    }
  }

  /**
   * AlterConfigs (KIP-133, deprecated by IncrementalAlterConfigs): the given entries become each
   * resource's whole dynamic config; whatever is left out goes back to what it inherits.
   */
  async alterConfigs(o: {
    resources: (ConfigResource & { configs: Record<string, string> })[];
    validateOnly?: boolean;
  }): Promise<void> {
    for (const r of o.resources) {
      const body = {
        resources: [
          {
            resourceType: RESOURCE_TYPE[r.type],
            resourceName: r.name,
            configs: Object.entries(r.configs).map(([name, value]) => ({ name, value })),
          },
        ],
        validateOnly: o.validateOnly ?? false,
      };
      const res = await this.cluster.withRetries(() =>
        r.type === 'broker' && r.name !== ''
          ? this.cluster.requestTo(Number(r.name), AlterConfigs, body)
          : this.cluster.requestAny(AlterConfigs, body),
      );
      for (const x of res.responses)
        throwIfError(
          x.errorCode,
          { api: 'AlterConfigs', resource: `${r.type} ${r.name}` },
          x.errorMessage ?? null,
        );
    }
  }

  /** Offsets of every partition of `topic` (or of `partitions`), asked of each partition's leader. */
  async listOffsets(o: {
    topic: string;
    partitions?: number[];
    spec: OffsetSpec;
  }): Promise<PartitionOffset[]> {
    const timestamp = o.spec === 'earliest' ? -2n : o.spec === 'latest' ? -1n : BigInt(o.spec.timestamp);
    const info = await this.cluster.topic(o.topic);
    const wanted = o.partitions ?? info.partitions.map((p) => p.partition);
    const out: PartitionOffset[] = [];
    await this.cluster.withRetries(async () => {
      out.length = 0;
      const byLeader = new Map<number, number[]>();
      for (const partition of wanted) {
        const leader = await this.cluster.leaderFor(o.topic, partition);
        if (leader < 0) throw new KafkaProtocolError(5, { api: 'ListOffsets', topic: o.topic, partition });
        byLeader.set(leader, [...(byLeader.get(leader) ?? []), partition]);
      }
      for (const [leader, partitions] of byLeader) {
        const conn = await this.cluster.connectionTo(leader);
        // v1+ returns one offset and its timestamp; v0's offset lists are not worth supporting.
        const version = conn.versionFor(ListOffsets, { minVersion: 1 });
        const res = await conn.request(
          ListOffsets,
          {
            replicaId: -1,
            isolationLevel: 0,
            topics: [
              {
                name: o.topic,
                partitions: partitions.map((p) => ({ partitionIndex: p, timestamp, currentLeaderEpoch: -1 })),
              },
            ],
            timeoutMs: this.timeoutMs,
          },
          { version },
        );
        for (const t of res.topics) {
          for (const p of t.partitions) {
            throwIfError(p.errorCode, {
              api: 'ListOffsets',
              topic: t.name,
              partition: p.partitionIndex,
              broker: conn.address,
            });
            out.push({
              topic: t.name,
              partition: p.partitionIndex,
              offset: p.offset,
              timestamp: p.timestamp,
            });
          }
        }
      }
    });
    return out.sort((a, b) => a.partition - b.partition);
  }

  /** Adds ACL bindings (admin-acls.ts); each binding gets its own result, refusals included. */
  createAcls(bindings: readonly AclBinding[]): Promise<AclCreateResult[]> {
    return createAcls(this.cluster, bindings);
  }

  /** The ACL bindings a filter matches (all of them by default). */
  describeAcls(filter: AclBindingFilter = ANY_ACL): Promise<AclBinding[]> {
    return describeAcls(this.cluster, filter);
  }

  /** Removes the ACL bindings each filter matches; per filter, what was removed. */
  deleteAcls(filters: readonly AclBindingFilter[]): Promise<AclDeleteResult[]> {
    return deleteAcls(this.cluster, filters);
  }

  /**
   * Each broker's log directories and the replicas in them (Admin.describeLogDirs, KIP-113): every
   * known broker unless `brokerIds` names some; `topics` limits the partitions (null: all).
   */
  async describeLogDirs(
    brokerIds?: readonly number[],
    topics: { topic: string; partitions: number[] }[] | null = null,
  ): Promise<Map<number, LogDirDescription[]>> {
    if (!brokerIds) await this.cluster.connect();
    const ids = brokerIds ?? [...this.cluster.brokers.keys()].sort((a, b) => a - b);
    return describeLogDirs(this.cluster, ids, topics);
  }

  /**
   * Deletes the records before `offset` in each partition (Admin.deleteRecords, KIP-107): asked of
   * each partition's leader, answered with the new low watermark (the log start offset) or the
   * partition's own error, never thrown, so one refused partition does not hide the others. An
   * offset of -1n means the high watermark.
   */
  async deleteRecords(o: {
    partitions: { topic: string; partition: number; offset: bigint }[];
  }): Promise<DeletedRecords[]> {
    const out: DeletedRecords[] = [];
    const byLeader = new Map<number, { topic: string; partition: number; offset: bigint }[]>();
    for (const p of o.partitions) {
      try {
        const leader = await this.cluster.leaderFor(p.topic, p.partition);
        if (leader < 0)
          throw new KafkaProtocolError(5, { api: 'DeleteRecords', topic: p.topic, partition: p.partition });
        byLeader.set(leader, [...(byLeader.get(leader) ?? []), p]);
      } catch (err) {
        if (!(err instanceof KafkaProtocolError)) throw err;
        out.push({ topic: p.topic, partition: p.partition, error: err });
      }
    }
    for (const [leader, partitions] of byLeader) {
      const res = await this.cluster.withRetries(async () => {
        const conn = await this.cluster.connectionTo(leader);
        const topics = [...new Set(partitions.map((p) => p.topic))].map((name) => ({
          name,
          partitions: partitions
            .filter((p) => p.topic === name)
            .map((p) => ({ partitionIndex: p.partition, offset: p.offset })),
        }));
        return conn.request(DeleteRecords, { topics, timeoutMs: this.timeoutMs });
      });
      for (const t of res.topics) {
        for (const p of t.partitions) {
          out.push(
            p.errorCode === 0
              ? { topic: t.name, partition: p.partitionIndex, lowWatermark: p.lowWatermark }
              : {
                  topic: t.name,
                  partition: p.partitionIndex,
                  error: new KafkaProtocolError(p.errorCode, {
                    api: 'DeleteRecords',
                    topic: t.name,
                    partition: p.partitionIndex,
                  }),
                },
          );
        }
      }
    }
    return out.sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
  }
}
