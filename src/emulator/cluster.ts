/**
 * The emulator's state container: everything a handler may read or change, reached through
 * `ctx.cluster`. State lives here, split by domain (state/*), and changes only on the event loop,
 * so no locking is needed.
 *
 * Domains the core knows (topics, producer ids) are plain fields. Other domains — consumer groups
 * (`'groups'`) and committed offsets (`'offsets'`) — plug in through `domain(name, create)`, which
 * creates the domain on first use and returns the same object ever after. A domain module exposes a
 * typed accessor, so its handlers stay fully typed and the core compiles before the domain exists:
 *
 *     // src/emulator/state/groups.ts
 *     export function groupsOf(cluster: Cluster): Groups {
 *       return cluster.domain('groups', (c) => new Groups(c));
 *     }
 *
 * A domain may implement `stop()` (clear its timers, settle parked waits; called by `cluster.stop()`)
 * and `topicDeleted(name)` (DeleteTopics calls it, e.g. to drop committed offsets of that topic).
 */
import { type Clock, systemClock } from './clock.js';
import { Broker, type BrokerEndpoint } from './cluster/broker.js';
import type { EmulatorConfig } from './config.js';
import { openDataDir } from './persistence/data-dir.js';
import { logEnvironment } from './state/log/environment.js';
import { logManagerOf } from './state/log/log-manager.js';
import type { LogStore, PartitionLog } from './state/partition-log.js';
import { ProducerIds } from './state/producer-ids.js';
import { Topics } from './state/topics.js';

/** Optional lifecycle hooks of a pluggable state domain. */
export interface StateDomain {
  stop?(): void;
  topicDeleted?(topic: string): void;
}

/** The names of the pluggable domains the emulator has today. */
export type DomainName = 'groups' | 'offsets' | (string & {});

export type { BrokerEndpoint } from './cluster/broker.js';

export type AppendListener = (log: PartitionLog) => void;

export class Cluster {
  readonly config: EmulatorConfig;
  /** The one clock of this broker: cluster.now(), group timeouts, produce timestamp checks. */
  readonly clock: Clock;
  readonly topics: Topics;
  readonly producerIds = new ProducerIds();
  /**
   * The brokers of this cluster (cluster/broker.ts), by ascending node id; their advertised addresses
   * are set by startEmulator once each listener is bound (port 0 is resolved then).
   */
  readonly brokers: Broker[];
  /** With a data dir, where every partition log writes (persistence/log-files.ts); set before any log exists. */
  logStore: LogStore | undefined;
  private readonly domains = new Map<string, StateDomain>();
  private readonly appendListeners = new Set<AppendListener>();
  private stopped = false;

  constructor(config: EmulatorConfig, clock: Clock = systemClock) {
    this.config = config;
    this.clock = clock;
    const onAppend = (log: PartitionLog) => {
      for (const l of [...this.appendListeners]) l(log);
    };
    this.topics = new Topics((topic) => ({
      onAppend,
      env: logEnvironment(this, topic),
      store: this.logStore,
    }));
    if (!Number.isInteger(config.brokers) || config.brokers < 1)
      throw new Error(`brokers must be a whole number of at least 1, got ${config.brokers}`);
    this.brokers = [];
    for (let i = 0; i < config.brokers; i++) {
      const port = config.advertisedPort ?? config.port;
      this.brokers.push(
        new Broker({
          nodeId: config.nodeId + i,
          host: config.advertisedHost ?? config.host,
          port: port === 0 ? 0 : port + i,
        }),
      );
    }
    // What a data dir holds comes back first; a configured topic it already has is kept as it is.
    if (config.dataDir) openDataDir(this, config.dataDir, config.fsync);
    for (const t of config.topics) {
      if (config.dataDir && this.topics.get(t.name)) continue;
      const r = this.topics.create(t.name, t.partitions ?? config.numPartitions);
      if (r.errorCode !== 0)
        throw new Error(
          `cannot create topic ${t.name}: ${'errorMessage' in r ? r.errorMessage : r.errorCode}`,
        );
    }
    // Retention and the cleaner run on this cluster's clock from the start (state/log/log-manager.ts).
    logManagerOf(this);
  }

  /**
   * The first broker (node.id of the config): the whole cluster when it has one broker. A handler
   * wants `ctx.broker`, the broker that received its request; setting this changes the first
   * broker's node id and address (tests that drive handlers without a listener).
   */
  get broker(): Broker {
    return this.brokers[0] as Broker;
  }

  set broker(endpoint: BrokerEndpoint) {
    const b = new Broker({ ...endpoint, rack: this.broker.rack });
    this.brokers[0] = b;
  }

  /** Milliseconds since the epoch, from the cluster's clock (a ManualClock in tests that move time). */
  now(): number {
    return this.clock.now();
  }

  /** The domain called `name`, created by `create` on first use. */
  domain<T extends StateDomain>(name: DomainName, create: (cluster: Cluster) => T): T {
    let d = this.domains.get(name);
    if (!d) {
      d = create(this);
      this.domains.set(name, d);
    }
    return d as T;
  }

  /** Called after every append to any partition: Fetch long-polls wake on it. Returns an unsubscribe. */
  onAppend(listener: AppendListener): () => void {
    this.appendListeners.add(listener);
    return () => this.appendListeners.delete(listener);
  }

  /** Deletes a topic and tells every domain about it. */
  deleteTopic(name: string): boolean {
    const t = this.topics.delete(name);
    if (!t) return false;
    this.producerIds.topicDeleted(name);
    for (const d of this.domains.values()) d.topicDeleted?.(name);
    return true;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Stops every domain's timers and parked waits. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const d of this.domains.values()) d.stop?.();
    this.appendListeners.clear();
  }
}
