/**
 * The group coordinator: the broker that owns a group (the leader of its __consumer_offsets
 * partition). Found with FindCoordinator, then talked to over a connection of its own, as Kafka's
 * client does (it gives the coordinator a separate node id): a broker answers each connection's
 * requests one at a time, so a long-polling Fetch on the shared connection would hold up heartbeats.
 */
import { FindCoordinator } from '../../protocol/messages/index.js';
import type { ApiSpec, MessageInput, MessageValue } from '../../protocol/schema/declare.js';
import { backoffMs, type Cluster, delay } from '../cluster.js';
import { Connection, type RequestOptions } from '../connection.js';
import { ConnectionError, KafkaProtocolError } from '../errors.js';

/** COORDINATOR_LOAD_IN_PROGRESS, COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR: find it again, retry. */
export const COORDINATOR_ERRORS = new Set([14, 15, 16]);

export interface CoordinatorNode {
  nodeId: number;
  host: string;
  port: number;
}

/** FindCoordinator's key types: a group's coordinator (0) or a transactional id's (1, KIP-98). */
export type CoordinatorKeyType = 0 | 1;

/**
 * FindCoordinator for a group (keyType 0) or a transactional id (keyType 1), at whatever version the
 * broker speaks (v4+ asks for a list of keys).
 */
export async function findCoordinator(
  cluster: Cluster,
  groupId: string,
  keyType: CoordinatorKeyType = 0,
): Promise<CoordinatorNode> {
  return cluster.withRetries(async () => {
    const conn = await cluster.anyConnection();
    const version = conn.versionFor(FindCoordinator);
    const body = await conn.request(
      FindCoordinator,
      // v4+ (KIP-699) asks for a list of keys; before, one key.
      version >= 4 ? { keyType, coordinatorKeys: [groupId] } : { key: groupId, keyType },
      { version },
    );
    const entry =
      version >= 4
        ? body.coordinators.find((c) => c.key === groupId)
        : {
            nodeId: body.nodeId,
            host: body.host,
            port: body.port,
            errorCode: body.errorCode,
            errorMessage: body.errorMessage ?? null,
          };
    if (!entry) throw new KafkaProtocolError(15, { api: 'FindCoordinator', resource: groupId });
    if (entry.errorCode !== 0) {
      throw new KafkaProtocolError(
        entry.errorCode,
        { api: 'FindCoordinator', resource: groupId, broker: conn.address },
        entry.errorMessage ?? null,
      );
    }
    return { nodeId: entry.nodeId, host: entry.host, port: entry.port };
  });
}

export class Coordinator {
  private node: CoordinatorNode | undefined;
  private connection: Connection | undefined;
  private finding: Promise<Connection> | undefined;
  private closed = false;

  constructor(
    private readonly cluster: Cluster,
    readonly groupId: string,
    private readonly clientId: string,
    /** 1: the coordinator of a transactional id (then `groupId` holds that id). */
    private readonly keyType: CoordinatorKeyType = 0,
  ) {}

  get nodeId(): number | undefined {
    return this.node?.nodeId;
  }

  /** Forget the coordinator (after NOT_COORDINATOR or a dropped connection): the next request finds it again. */
  markUnknown(): void {
    const conn = this.connection;
    this.connection = undefined;
    this.node = undefined;
    void conn?.close();
  }

  private async ensure(): Promise<Connection> {
    if (this.connection && !this.connection.closed) return this.connection;
    this.finding ??= (async () => {
      const node = await findCoordinator(this.cluster, this.groupId, this.keyType);
      const conn = new Connection({
        host: node.host,
        port: node.port,
        nodeId: node.nodeId,
        clientId: this.clientId,
        security: this.cluster.security,
      });
      await conn.connect();
      this.node = node;
      this.connection = conn;
      return conn;
    })().finally(() => {
      this.finding = undefined;
    });
    return this.finding;
  }

  /**
   * Sends one request to the coordinator. `errorCodeOf` picks the top-level error code from the
   * response: a coordinator error or a dropped connection leads to finding the coordinator again and
   * retrying (bounded by the cluster's retry settings); any other code is returned for the caller.
   */
  async request<A extends ApiSpec>(
    api: A,
    body: MessageInput<A['request']> | ((version: number) => MessageInput<A['request']>),
    options: RequestOptions & { errorCodeOf?: (r: MessageValue<A['response']>) => number } = {},
  ): Promise<{ response: MessageValue<A['response']>; version: number }> {
    const retry = this.cluster.retry;
    for (let attempt = 0; ; attempt++) {
      if (this.closed) throw new ConnectionError('the consumer is closed', { broker: '', retriable: false });
      let failure: unknown;
      try {
        const conn = await this.ensure();
        const version = options.version ?? conn.versionFor(api, options);
        const input = typeof body === 'function' ? body(version) : body;
        const response = await conn.request(api, input, { ...options, version });
        const code = options.errorCodeOf?.(response) ?? 0;
        if (!COORDINATOR_ERRORS.has(code)) return { response, version };
        failure = new KafkaProtocolError(code, {
          api: api.name,
          resource: this.groupId,
          broker: conn.address,
        });
      } catch (err) {
        if (
          !(err instanceof ConnectionError) &&
          !(err instanceof KafkaProtocolError && COORDINATOR_ERRORS.has(err.code))
        )
          throw err;
        failure = err;
      }
      this.markUnknown();
      if (attempt >= retry.retries) throw failure;
      await delay(backoffMs(attempt, retry));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.connection?.close();
    this.connection = undefined;
  }
}
