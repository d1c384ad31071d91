/**
 * The client's view of a Kafka cluster: the bootstrap list, a Metadata cache (brokers, topics,
 * partition leaders), and one Connection per broker address, re-opened with exponential backoff and
 * jitter when it drops. Partition leaders may live on any broker: nothing here assumes one broker.
 *
 * The cache is refreshed when it is older than metadataMaxAgeMs, when a topic is not in it, and when a
 * caller reports an error of the stale-metadata family (NOT_LEADER_OR_FOLLOWER,
 * UNKNOWN_TOPIC_OR_PARTITION, LEADER_NOT_AVAILABLE, ...; see errors.ts).
 */
import { Metadata } from '../protocol/messages/03-metadata.js';
import type { ApiSpec, MessageInput, MessageValue } from '../protocol/schema/declare.js';
import { Connection, type RequestOptions } from './connection.js';
import {
  ConnectionError,
  KafkaClientError,
  KafkaProtocolError,
  UnreachableAdvertisedAddressError,
  UnsupportedVersionError,
} from './errors.js';
import { AuthenticationError, type ClientSecurity } from './security.js';

/** KIP-1102: Metadata v13's answer when the client should go back to its bootstrap servers. */
const REBOOTSTRAP_REQUIRED = 129;

export interface RetryOptions {
  /** Attempts after the first (default 5). */
  retries?: number;
  /** First backoff (default 100 ms, Kafka's retry.backoff.ms). */
  initialBackoffMs?: number;
  /** Backoff cap (default 1000 ms, Kafka's retry.backoff.max.ms). */
  maxBackoffMs?: number;
}

export interface ClusterOptions {
  /** `host:port` or a list of them (bootstrap.servers). */
  bootstrap: string | string[];
  clientId?: string;
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
  retry?: RetryOptions;
  /** metadata.max.age.ms (default 5 min). */
  metadataMaxAgeMs?: number;
  /** allow.auto.create.topics for the Metadata requests this client sends (default true, as Java). */
  allowAutoTopicCreation?: boolean;
  /** security.protocol, TLS and SASL for every connection (default PLAINTEXT). */
  security?: ClientSecurity;
}

export interface BrokerInfo {
  nodeId: number;
  host: string;
  port: number;
  rack: string | null;
}

export interface PartitionInfo {
  partition: number;
  /** -1 when there is no leader right now. */
  leader: number;
  leaderEpoch: number;
  replicas: number[];
  isr: number[];
  offlineReplicas: number[];
  errorCode: number;
}

export interface TopicInfo {
  name: string;
  /** Kafka's Uuid string form; AAAAAAAAAAAAAAAAAAAAAA when the broker sent none. */
  topicId: string;
  isInternal: boolean;
  errorCode: number;
  partitions: PartitionInfo[];
}

/** `host:port` → parts; IPv6 in brackets (`[::1]:9092`). */
export function parseAddress(address: string): { host: string; port: number } {
  const m = address.trim().match(/^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/);
  if (!m)
    throw new KafkaClientError(`bad broker address "${address}": expected host:port`, { retriable: false });
  const port = Number(m[3]);
  if (port < 1 || port > 65535)
    throw new KafkaClientError(`bad port in broker address "${address}"`, { retriable: false });
  return { host: m[1] ?? m[2], port };
}

function addressOf(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Exponential backoff with ±20% jitter, as Kafka's ExponentialBackoff. */
export function backoffMs(attempt: number, retry: Required<RetryOptions>): number {
  const base = Math.min(retry.maxBackoffMs, retry.initialBackoffMs * 2 ** attempt);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

export function resolveRetry(retry: RetryOptions = {}): Required<RetryOptions> {
  return {
    retries: retry.retries ?? 5,
    initialBackoffMs: retry.initialBackoffMs ?? 100,
    maxBackoffMs: retry.maxBackoffMs ?? 1000,
  };
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

interface AddressState {
  connection?: Connection;
  /** True once any connection to this address negotiated versions: later failures are outages, not a bad address. */
  everConnected: boolean;
}

export class Cluster {
  readonly bootstrap: readonly string[];
  readonly retry: Required<RetryOptions>;
  private readonly options: ClusterOptions;

  /** The TLS/SASL settings of this client's connections (a group or transaction coordinator's too). */
  get security(): ClientSecurity | undefined {
    return this.options.security;
  }
  private readonly addresses = new Map<string, AddressState>();
  brokers = new Map<number, BrokerInfo>();
  private readonly topicCache = new Map<string, TopicInfo>();
  clusterId: string | null = null;
  controllerId = -1;
  /** The broker whose answer last filled the cache, for the advertised.listeners error. */
  private metadataFrom = '';
  private metadataAt = 0;
  private refreshing: Promise<void> | undefined;
  /** Topics this client has asked about: a refresh covers all of them. */
  private readonly interest = new Set<string>();
  private closed = false;

  constructor(options: ClusterOptions) {
    const list = Array.isArray(options.bootstrap) ? options.bootstrap : options.bootstrap.split(',');
    this.bootstrap = list.map((a) => a.trim()).filter((a) => a.length > 0);
    if (this.bootstrap.length === 0)
      throw new KafkaClientError('no bootstrap servers given', { retriable: false });
    for (const a of this.bootstrap) parseAddress(a);
    this.options = options;
    this.retry = resolveRetry(options.retry);
  }

  /** Reaches a bootstrap server and loads the broker list. */
  async connect(): Promise<void> {
    await this.refreshMetadata();
  }

  topics(): ReadonlyMap<string, TopicInfo> {
    return this.topicCache;
  }

  /** A connection to a node from the Metadata cache; connects (with retries and backoff) if needed. */
  async connectionTo(nodeId: number): Promise<Connection> {
    let broker = this.brokers.get(nodeId);
    if (!broker) {
      await this.refreshMetadata();
      broker = this.brokers.get(nodeId);
    }
    if (!broker)
      throw new KafkaClientError(`node ${nodeId} is not in the cluster's Metadata`, { retriable: true });
    return this.connectTo(addressOf(broker.host, broker.port), { nodeId, advertisedBy: this.metadataFrom });
  }

  /**
   * Any reachable broker: a ready connection if there is one, else the known brokers, else the
   * bootstrap list. With `bootstrapOnly`, a bootstrap server (KIP-1102's rebootstrap).
   */
  async anyConnection(bootstrapOnly = false): Promise<Connection> {
    if (bootstrapOnly) {
      for (const a of this.bootstrap) {
        const conn = this.addresses.get(a)?.connection;
        if (conn?.ready) return conn;
      }
    } else {
      for (const state of this.addresses.values()) {
        if (state.connection?.ready) return state.connection;
      }
    }
    const candidates: { address: string; nodeId?: number }[] = [];
    if (!bootstrapOnly)
      for (const b of shuffle([...this.brokers.values()]))
        candidates.push({ address: addressOf(b.host, b.port), nodeId: b.nodeId });
    for (const a of shuffle([...this.bootstrap])) candidates.push({ address: a });
    let last: unknown;
    for (let attempt = 0; attempt <= this.retry.retries; attempt++) {
      for (const c of candidates) {
        try {
          return await this.openOnce(c.address, c.nodeId);
        } catch (err) {
          last = err;
          // A refused login does not get better by trying again (Java's AuthenticationException).
          if (err instanceof AuthenticationError) throw err;
        }
      }
      if (attempt < this.retry.retries) await delay(backoffMs(attempt, this.retry));
    }
    const tried = [...new Set(candidates.map((c) => c.address))].join(', ');
    throw new ConnectionError(
      `cannot reach any broker (tried ${tried}): ${last instanceof Error ? last.message : String(last)}`,
      { broker: tried, cause: last },
    );
  }

  private async connectTo(
    address: string,
    origin: { nodeId: number; advertisedBy: string },
  ): Promise<Connection> {
    let last: unknown;
    for (let attempt = 0; attempt <= this.retry.retries; attempt++) {
      this.assertOpen();
      try {
        return await this.openOnce(address, origin.nodeId);
      } catch (err) {
        last = err;
        if (err instanceof KafkaClientError && !err.retriable) throw err;
      }
      if (attempt < this.retry.retries) await delay(backoffMs(attempt, this.retry));
    }
    const state = this.addresses.get(address);
    // An address that has never worked, learnt from a broker's answer rather than from the user: the
    // seed's lesson (a broker advertising localhost or a container name) — say where it came from.
    if (!state?.everConnected && !this.bootstrap.includes(address) && origin.advertisedBy) {
      throw new UnreachableAdvertisedAddressError({
        broker: address,
        nodeId: origin.nodeId,
        advertisedBy: origin.advertisedBy,
        cause: last,
      });
    }
    throw last;
  }

  /** One attempt: reuse a live connection to this address, or open a new one. */
  private async openOnce(address: string, nodeId?: number): Promise<Connection> {
    this.assertOpen();
    let state = this.addresses.get(address);
    if (!state) {
      state = { everConnected: false };
      this.addresses.set(address, state);
    }
    let conn = state.connection;
    if (!conn || conn.closed) {
      const { host, port } = parseAddress(address);
      conn = new Connection({
        host,
        port,
        nodeId,
        clientId: this.options.clientId,
        connectTimeoutMs: this.options.connectTimeoutMs,
        requestTimeoutMs: this.options.requestTimeoutMs,
        security: this.options.security,
      });
      state.connection = conn;
    }
    await conn.connect();
    state.everConnected = true;
    return conn;
  }

  private assertOpen(): void {
    if (this.closed) throw new KafkaClientError('the client is closed', { retriable: false });
  }

  /**
   * Sends Metadata for every topic of interest (plus `topics`) to any broker and replaces the cache.
   * Concurrent callers share one request.
   */
  async refreshMetadata(topics: readonly string[] = []): Promise<void> {
    for (const t of topics) this.interest.add(t);
    if (this.refreshing) {
      await this.refreshing;
      if (topics.every((t) => this.topicCache.has(t))) return;
    }
    this.refreshing = this.fetchMetadata([...this.interest]).finally(() => {
      this.refreshing = undefined;
    });
    await this.refreshing;
  }

  /** Metadata for every topic in the cluster (listTopics). Does not touch the interest list. */
  async fetchAllTopics(): Promise<TopicInfo[]> {
    const body = await this.requestMetadata(null);
    return body.topics.map(toTopicInfo);
  }

  private async requestMetadata(topics: string[] | null): Promise<MessageValue<typeof Metadata.response>> {
    return this.withRetries(async () => {
      // KIP-1102: from v13 a broker may answer REBOOTSTRAP_REQUIRED — this client's view of the
      // cluster is stale (brokers replaced, say). Like Java's client: forget the broker table, ask a
      // bootstrap server again; a second such answer is an error, not a loop.
      for (let rebootstraps = 0; ; rebootstraps++) {
        const conn = await this.anyConnection(rebootstraps > 0);
        const version = conn.versionFor(Metadata);
        // v0 has no null list: an empty one meant "all topics". v1+ asks for all with null, none with [].
        const list = topics === null ? (version === 0 ? [] : null) : topics.map((name) => ({ name }));
        const allowAutoTopicCreation = this.options.allowAutoTopicCreation ?? true;
        // allowAutoTopicCreation is v4+: before it the broker's auto.create.topics.enable decides. As
        // Java's MetadataRequest.Builder: nothing to say for all topics or `true`; `false` cannot be said.
        if (version < 4 && !allowAutoTopicCreation && topics !== null && topics.length > 0)
          throw new UnsupportedVersionError(
            `${conn.address} serves Metadata up to v${version}: before v4 a Metadata request cannot carry allowAutoTopicCreation=false`,
          );
        const body = await conn.request(
          Metadata,
          version < 4 ? { topics: list } : { topics: list, allowAutoTopicCreation },
          { version },
        );
        if (body.errorCode === REBOOTSTRAP_REQUIRED) {
          if (rebootstraps > 0)
            throw new KafkaProtocolError(REBOOTSTRAP_REQUIRED, { api: 'Metadata', broker: conn.address });
          this.brokers = new Map();
          continue;
        }
        this.absorbBrokers(body, conn.address);
        return body;
      }
    });
  }

  private async fetchMetadata(topics: string[]): Promise<void> {
    const body = await this.requestMetadata(topics);
    for (const t of body.topics) {
      if (t.name === null) continue;
      // Keep an unknown or errored topic out of the cache so that the next look-up asks again.
      if (t.errorCode !== 0) this.topicCache.delete(t.name);
      else this.topicCache.set(t.name, toTopicInfo(t));
    }
    this.metadataAt = Date.now();
  }

  private absorbBrokers(body: MessageValue<typeof Metadata.response>, from: string): void {
    this.brokers = new Map(
      body.brokers.map((b) => [
        b.nodeId,
        { nodeId: b.nodeId, host: b.host, port: b.port, rack: b.rack ?? null },
      ]),
    );
    this.clusterId = body.clusterId ?? null;
    this.controllerId = body.controllerId ?? -1;
    this.metadataFrom = from;
  }

  /** The cached metadata of a topic, refreshed when missing or stale; a topic error is thrown typed. */
  async topic(name: string): Promise<TopicInfo> {
    this.interest.add(name);
    const maxAge = this.options.metadataMaxAgeMs ?? 300_000;
    let info = this.topicCache.get(name);
    if (!info || Date.now() - this.metadataAt > maxAge) {
      for (let attempt = 0; ; attempt++) {
        const body = await this.requestMetadata([name]);
        const t = body.topics.find((x) => x.name === name);
        const code = t ? t.errorCode : 3;
        if (code === 0 && t) {
          info = toTopicInfo(t);
          this.topicCache.set(name, info);
          this.metadataAt = Date.now();
          break;
        }
        const err = new KafkaProtocolError(code, { api: 'Metadata', topic: name });
        // UNKNOWN_TOPIC_OR_PARTITION right after auto-creation (LEADER_NOT_AVAILABLE from older
        // brokers): the topic appears a moment later.
        if (!err.retriable || attempt >= this.retry.retries) throw err;
        await delay(backoffMs(attempt, this.retry));
      }
    }
    return info;
  }

  /**
   * Whether the cache is due for a refresh: older than metadata.max.age.ms or invalidated after an
   * error. A sender that keeps using the cached leaders meanwhile refreshes in the background.
   */
  get stale(): boolean {
    return Date.now() - this.metadataAt > (this.options.metadataMaxAgeMs ?? 300_000);
  }

  /** The leader node of a partition; -1 when it has none right now. */
  async leaderFor(topic: string, partition: number): Promise<number> {
    const info = await this.topic(topic);
    const p = info.partitions.find((x) => x.partition === partition);
    if (!p) throw new KafkaProtocolError(3, { api: 'Metadata', topic, partition });
    return p.leader;
  }

  /** Marks the cache stale: the next look-up asks a broker again. Call on a stale-metadata error. */
  invalidate(): void {
    this.metadataAt = 0;
  }

  /** Reacts to an error: stale metadata → invalidate; a dropped connection needs nothing (reconnect is lazy). */
  noteError(err: unknown): void {
    if (err instanceof KafkaProtocolError && err.staleMetadata) this.invalidate();
    if (err instanceof ConnectionError) this.invalidate();
  }

  /** Runs `fn`, retrying retriable errors with backoff; refreshes metadata when an error calls for it. */
  async withRetries<T>(fn: (attempt: number) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn(attempt);
      } catch (err) {
        this.noteError(err);
        const retriable =
          err instanceof KafkaClientError &&
          err.retriable &&
          !(err instanceof UnreachableAdvertisedAddressError);
        if (!retriable || attempt >= this.retry.retries || this.closed) throw err;
        await delay(backoffMs(attempt, this.retry));
      }
    }
  }

  /** A request to a given node. */
  async requestTo<A extends ApiSpec>(
    nodeId: number,
    api: A,
    body: MessageInput<A['request']>,
    options: RequestOptions = {},
  ): Promise<MessageValue<A['response']>> {
    const conn = await this.connectionTo(nodeId);
    return conn.request(api, body, options);
  }

  /** A request to any broker (admin requests that any broker forwards to the controller). */
  async requestAny<A extends ApiSpec>(
    api: A,
    body: MessageInput<A['request']>,
    options: RequestOptions = {},
  ): Promise<MessageValue<A['response']>> {
    const conn = await this.anyConnection();
    return conn.request(api, body, options);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.addresses.values()].map((s) => s.connection?.close()));
  }
}

/** One Metadata topic as the client sees it: partitions sorted by index, absent optional fields defaulted. */
export function toTopicInfo(t: MessageValue<typeof Metadata.response>['topics'][number]): TopicInfo {
  return {
    name: t.name ?? '',
    topicId: t.topicId ?? 'AAAAAAAAAAAAAAAAAAAAAA',
    isInternal: t.isInternal ?? false,
    errorCode: t.errorCode,
    partitions: t.partitions
      .map((p) => ({
        partition: p.partitionIndex,
        leader: p.leaderId,
        leaderEpoch: p.leaderEpoch ?? -1,
        replicas: [...p.replicaNodes],
        isr: [...p.isrNodes],
        offlineReplicas: [...(p.offlineReplicas ?? [])],
        errorCode: p.errorCode,
      }))
      .sort((a, b) => a.partition - b.partition),
  };
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
