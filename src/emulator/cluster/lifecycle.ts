/**
 * Broker lifecycle (issue 16): stop, kill, pause, resume and start one broker of a running cluster,
 * as a learner would do to a Kafka node with `kafka-server-stop.sh`, `kill -9`, `kill -STOP` /
 * `kill -CONT` and `kafka-server-start.sh`. The listeners do what the process would (close, reset,
 * go silent, listen again on the same port); the controller (controller.ts) does what Kafka's
 * controller does about it:
 *
 * - stop: controlled shutdown first (BrokerHeartbeat wantShutDown → the controller moves every
 *   leadership away and drops the broker from every ISR), then the listener and connections close.
 * - kill: connections reset at once, no controlled shutdown; the controller only notices when
 *   broker.session.timeout.ms passes without a heartbeat (on the cluster's clock), and fences it then.
 *   Until then clients are still told it leads, and fail to connect.
 * - pause: the process is alive, its sockets take bytes and answer nothing, its followers fetch
 *   nothing: the leaders drop them from the ISR after replica.lag.time.max.ms once they are behind
 *   (replication.ts), and the controller fences it like a killed broker after the session timeout.
 *   resume: it answers what it had queued, heartbeats again, and is back (unfenced); its replicas
 *   rejoin the ISR once they have fetched (replication.ts).
 * - start: listens again on the port it had, registers, is unfenced, leads the partitions that
 *   waited for it, and its other replicas rejoin the ISR once they have fetched from their leader.
 *
 * Each action returns one line that says what happened (the CLI prints it).
 */
import type { Timer } from '../clock.js';
import type { Cluster, StateDomain } from '../cluster.js';
import type { Broker } from './broker.js';
import { controllerOf, type LeaderChange, NO_LEADER } from './controller.js';
import { replicationOf } from './replication.js';

/** What the lifecycle needs of one broker's listeners (EmulatorServer, ../server.ts). */
export interface BrokerListener {
  readonly connectionCount: number;
  close(reason: string, how: { reset?: boolean }): Promise<void>;
  pause(): void;
  resume(): void;
  /** Listens again on the address it was bound to. */
  reopen(): Promise<void>;
}

/** Whether a broker's process runs, is paused, or is gone (and how it went). */
export type BrokerProcess = 'running' | 'paused' | 'stopped' | 'killed';

export class BrokerLifecycle implements StateDomain {
  private readonly process = new Map<number, BrokerProcess>();
  /** Fencing scheduled for a killed or paused broker (broker.session.timeout.ms). */
  private readonly fencing = new Map<number, Timer>();
  /** Who hears what happens without an action: a broker fenced when its session timed out. */
  private readonly listeners = new Set<(line: string) => void>();

  constructor(
    private readonly cluster: Cluster,
    private readonly listenersOf: (nodeId: number) => readonly BrokerListener[],
  ) {
    for (const b of cluster.brokers) this.process.set(b.nodeId, 'running');
    // The leaders' ISR changes are events too (the CLI prints them as they happen).
    replicationOf(cluster).onIsrChange((c) => {
      const what =
        c.shrunk.length > 0
          ? `shrunk: ${c.shrunk.join(', ')} out of sync for replica.lag.time.max.ms (${cluster.config.replicaLagTimeMaxMs} ms)`
          : `expanded: ${c.expanded.join(', ')} caught up`;
      const line = `ISR of ${c.topic}-${c.partition} ${what}; ISR now [${c.isr.join(', ')}]`;
      for (const l of [...this.listeners]) l(line);
    });
  }

  /** Calls `listener` with one line for each event no action reported; returns an unsubscribe. */
  onEvent(listener: (line: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stateOf(nodeId: number): BrokerProcess {
    return this.process.get(nodeId) ?? 'running';
  }

  async stopBroker(nodeId: number): Promise<string> {
    const broker = this.running(nodeId, 'stop');
    const controller = controllerOf(this.cluster);
    // Its replicas stop fetching where they are (a stopped broker's log ends there when it starts).
    replicationOf(this.cluster).freeze(nodeId);
    const moved = broker.up ? controller.removeBroker(nodeId) : [];
    this.fence(broker);
    replicationOf(this.cluster).changed();
    const connections = this.connections(nodeId);
    this.process.set(nodeId, 'stopped');
    for (const l of this.listenersOf(nodeId)) await l.close(`broker ${nodeId} stopped`, {});
    return `broker ${nodeId} stopped: controlled shutdown ${describeChanges(moved)}; listener ${broker.address} closed, ${plural(connections, 'connection')} closed`;
  }

  async killBroker(nodeId: number): Promise<string> {
    const broker = this.running(nodeId, 'kill');
    const connections = this.connections(nodeId);
    this.process.set(nodeId, 'killed');
    // Its followers stop fetching: acks=all waits and the high watermark stays until it is fenced.
    replicationOf(this.cluster).freeze(nodeId);
    for (const l of this.listenersOf(nodeId)) await l.close(`broker ${nodeId} killed`, { reset: true });
    return `broker ${nodeId} killed: ${plural(connections, 'connection')} reset, no controlled shutdown; ${this.scheduleFencing(broker)}`;
  }

  pauseBroker(nodeId: number): string {
    const broker = this.get(nodeId);
    const state = this.stateOf(nodeId);
    if (state !== 'running') throw new Error(`broker ${nodeId} is ${state}, not running: cannot pause it`);
    this.process.set(nodeId, 'paused');
    replicationOf(this.cluster).freeze(nodeId);
    for (const l of this.listenersOf(nodeId)) l.pause();
    return `broker ${nodeId} paused: connections stay open, requests are read and not answered; ${this.scheduleFencing(broker)}`;
  }

  resumeBroker(nodeId: number): string {
    const broker = this.get(nodeId);
    if (this.stateOf(nodeId) !== 'paused') throw new Error(`broker ${nodeId} is not paused`);
    this.process.set(nodeId, 'running');
    this.cancelFencing(nodeId);
    for (const l of this.listenersOf(nodeId)) l.resume();
    const back = this.unfence(broker);
    replicationOf(this.cluster).thaw(nodeId);
    return `broker ${nodeId} resumed: answering again${back}`;
  }

  async startBroker(nodeId: number): Promise<string> {
    const broker = this.get(nodeId);
    const state = this.stateOf(nodeId);
    if (state !== 'stopped' && state !== 'killed')
      throw new Error(`broker ${nodeId} is ${state}: only a stopped or killed broker can be started`);
    this.cancelFencing(nodeId);
    for (const l of this.listenersOf(nodeId)) await l.reopen();
    this.process.set(nodeId, 'running');
    const back = this.unfence(broker);
    replicationOf(this.cluster).thaw(nodeId);
    return `broker ${nodeId} started: listening on ${broker.address}${back}`;
  }

  /** One line per broker: node id, address, process state, registration, partitions led. */
  describe(): string[] {
    const controller = controllerOf(this.cluster);
    const led = new Map<number, number>();
    for (const t of this.cluster.topics.list())
      for (let p = 0; p < t.partitions.length; p++) {
        const leader = controller.describe(t, p).leaderId;
        led.set(leader, (led.get(leader) ?? 0) + 1);
      }
    const lines = this.cluster.brokers.map(
      (b) =>
        `broker ${b.nodeId} ${b.address} ${this.stateOf(b.nodeId)}, ${b.up ? 'registered' : 'fenced'}, leads ${plural(led.get(b.nodeId) ?? 0, 'partition')}`,
    );
    const offline = led.get(NO_LEADER) ?? 0;
    if (offline > 0) lines.push(`${plural(offline, 'partition')} offline (no leader)`);
    return lines;
  }

  /** Fencing timers go with the cluster (a StateDomain: cluster.stop() calls it). */
  stop(): void {
    for (const t of this.fencing.values()) t.cancel();
    this.fencing.clear();
  }

  private get(nodeId: number): Broker {
    const b = this.cluster.brokers.find((x) => x.nodeId === nodeId);
    if (!b)
      throw new Error(
        `no broker ${nodeId} in this cluster (brokers: ${this.cluster.brokers.map((x) => x.nodeId).join(', ')})`,
      );
    return b;
  }

  private running(nodeId: number, what: string): Broker {
    const b = this.get(nodeId);
    const state = this.stateOf(nodeId);
    if (state === 'stopped' || state === 'killed')
      throw new Error(`broker ${nodeId} is already ${state}: cannot ${what} it`);
    // A paused broker can be stopped or killed: its pause ends with it.
    if (state === 'paused') for (const l of this.listenersOf(nodeId)) l.resume();
    return b;
  }

  private connections(nodeId: number): number {
    return this.listenersOf(nodeId).reduce((n, l) => n + l.connectionCount, 0);
  }

  private scheduleFencing(broker: Broker): string {
    if (!broker.up) return 'already fenced';
    const ms = this.cluster.config.brokerSessionTimeoutMs;
    this.cancelFencing(broker.nodeId);
    this.fencing.set(
      broker.nodeId,
      this.cluster.clock.schedule(ms, () => {
        this.fencing.delete(broker.nodeId);
        if (!broker.up || this.stateOf(broker.nodeId) === 'running') return;
        const changes = controllerOf(this.cluster).removeBroker(broker.nodeId);
        this.fence(broker);
        replicationOf(this.cluster).changed();
        const line = `broker ${broker.nodeId} fenced: no heartbeat for broker.session.timeout.ms (${ms} ms), ${describeChanges(changes)}`;
        for (const l of [...this.listeners]) l(line);
      }),
    );
    return `the controller fences it after broker.session.timeout.ms (${ms} ms)`;
  }

  private cancelFencing(nodeId: number): void {
    this.fencing.get(nodeId)?.cancel();
    this.fencing.delete(nodeId);
  }

  private fence(broker: Broker): void {
    broker.up = false;
  }

  private unfence(broker: Broker): string {
    if (broker.up) return '';
    broker.up = true;
    const changes = controllerOf(this.cluster).addBroker(broker.nodeId);
    return `; registered again, ${describeChanges(changes)}; its replicas rejoin the ISR once caught up`;
  }
}

function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

/** "leadership of 2 partitions moved (t-0 0→1, t-1 0→none)" or "no leadership moved". */
export function describeChanges(changes: readonly LeaderChange[]): string {
  if (changes.length === 0) return 'no leadership moved';
  const shown = changes.slice(0, 8).map((c) => {
    const to = c.to === NO_LEADER ? 'none' : String(c.to);
    const from = c.from === NO_LEADER ? 'none' : String(c.from);
    return `${c.topic}-${c.partition} ${from}→${to}${c.unclean ? ' (unclean)' : ''}`;
  });
  const more = changes.length > 8 ? `, … ${changes.length - 8} more` : '';
  return `leadership of ${plural(changes.length, 'partition')} moved (${shown.join(', ')}${more})`;
}
