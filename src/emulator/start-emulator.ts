/**
 * `startEmulator()` and nothing else, so that a caller that only starts an emulator (the
 * `kafkalab emulator` command) loads the handlers and the server but not the explainer: the trace,
 * `--explain` and `--record` formatters (exchange-output.ts, which pulls in the protocol's explain
 * renderers and JSON form) are imported only when one of them is asked for. `kafkalab/emulator`
 * (index.ts) re-exports all of this.
 */
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { Clock } from './clock.js';
import { guardCoordinators } from './cluster/coordinator-guard.js';
import { BrokerLifecycle } from './cluster/lifecycle.js';
import { Cluster } from './cluster.js';
import { type EmulatorConfig, resolveConfig } from './config.js';
import { consumerGroupTransitionLine } from './consumer-group-trace.js';
import { HANDLERS, routeHandlers, servedApis } from './handlers/index.js';
import { type Exchange, Hooks } from './hooks.js';
import { type EmulatorState, inspectState } from './inspect-state.js';
import type { TestCertificates } from './security/certs.js';
import type { ListenerSpec, SecurityProtocol } from './security/config.js';
import type { PreparedSecurity } from './security/listeners.js';
import { EmulatorServer } from './server.js';
import { consumerGroupsOf } from './state/group-consumer/index.js';
import { groupsOf } from './state/groups.js';
import { offsetExpiryOf } from './state/offsets-cleanup.js';
import { transactionsOf } from './state/transactions/wiring.js';

export interface EmulatorOptions extends Partial<EmulatorConfig> {
  /** One line per exchange: a callback, or a stream such as process.stderr. */
  trace?: ((line: string) => void) | Writable;
  /** The full annotated listing of both frames of every exchange: a callback, or a stream. */
  explain?: ((text: string) => void) | Writable;
  /** Keep every exchange (raw bytes + decoded) in `emulator.exchanges`. Off by default: it holds memory. */
  record?: boolean;
  /**
   * Append one JSON line per exchange to this file (created or truncated): connection, client id, API,
   * version, correlation id, times, raw frames in hex and bodies in Kafka's JSON form. `stop()` flushes it.
   */
  recordFile?: string;
  /**
   * The broker's clock (default: real time). A ManualClock lets a test move time: session and
   * rebalance timeouts fire, and produce timestamps are checked, against the time it sets.
   */
  clock?: Clock;
}

export interface EmulatorEndpoint {
  nodeId: number;
  /** The listener's name (`PLAINTEXT`, `SASL_SSL`, or one of listener.security.protocol.map). */
  listener: string;
  protocol: SecurityProtocol;
  bound: { host: string; port: number };
  /** What Metadata tells a client on this listener. */
  host: string;
  port: number;
}

export interface Emulator {
  /** `host:port` to give a client as its bootstrap server (the first broker's advertised address). */
  readonly bootstrap: string;
  /** Every broker's advertised `host:port`, by node id (one element for a single broker). */
  readonly addresses: readonly string[];
  /** Every broker's bound listener `host:port`, by node id (differs from `addresses` under --advertised-*). */
  readonly listeners: readonly string[];
  /** Every listener of every broker: name, security protocol, bound and advertised address. */
  readonly endpoints: readonly EmulatorEndpoint[];
  /**
   * The throwaway CA, broker and client certificates made at start when an SSL listener was asked
   * for without `ssl.keystore.*` (a client trusts `certificates.ca.cert`).
   */
  readonly certificates?: TestCertificates;
  /** The address actually bound (the first broker's listener). */
  readonly host: string;
  readonly port: number;
  readonly nodeId: number;
  readonly cluster: Cluster;
  /** Exchanges recorded so far (only with `record: true`). */
  readonly exchanges: Exchange[];
  readonly hooks: Hooks;
  /** A read-only snapshot of topics/partitions, groups and transactions (the inspector's state view). */
  inspectState(): EmulatorState;
  /**
   * Broker lifecycle (issue 16, cluster/lifecycle.ts), each resolving to one line saying what
   * happened: stopBroker = controlled shutdown (leadership moved away), then listener and
   * connections closed; killBroker = connections reset, fenced only after broker.session.timeout.ms;
   * pauseBroker/resumeBroker = alive but silent, and back; startBroker = listening again on its port,
   * back in the ISR. An unknown node id, or an action the broker's state does not allow, rejects.
   */
  stopBroker(nodeId: number): Promise<string>;
  killBroker(nodeId: number): Promise<string>;
  pauseBroker(nodeId: number): Promise<string>;
  resumeBroker(nodeId: number): Promise<string>;
  startBroker(nodeId: number): Promise<string>;
  /** One line per broker: address, running/paused/stopped/killed, registered/fenced, partitions led. */
  describeBrokers(): string[];
  /** One line for each lifecycle event no call reported (a broker fenced after its session timeout). */
  onBrokerEvent(listener: (line: string) => void): () => void;
  /** Closes every connection and the listener, and settles every parked wait. */
  stop(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const { trace, explain, record, recordFile, clock, ...rest } = options;
  const config = resolveConfig({ ...rest, port: rest.port ?? 0 });
  const cluster = new Cluster(config, clock);
  // Kafka schedules the offset cleanup when its coordinator loads: here, with the cluster.
  offsetExpiryOf(cluster);
  // Group and transaction requests to a broker that is not their coordinator: NOT_COORDINATOR.
  const handlers = guardCoordinators(routeHandlers(HANDLERS));
  const boundAddresses: { host: string; port: number }[] = [];
  const hooks = new Hooks();
  const exchanges: Exchange[] = [];
  const recordStream = recordFile ? await openForWriting(recordFile) : undefined;
  const traceSink = toSink(trace, '\n');
  const explainSink = toSink(explain, '\n');
  const format = traceSink || explainSink || recordStream ? await import('./exchange-output.js') : undefined;
  // Coordinator state changes go to the trace among the exchanges that caused them, and to
  // hooks.observeState listeners: group states; KIP-848 members' epochs, assignments and revocations;
  // a transaction's states with the markers that end it (the trace tells a transaction as one story).
  groupsOf(cluster).onTransition = (t) => {
    if (traceSink && format) traceSink(format.groupTransitionLine(t));
    hooks.notifyState({ kind: 'group', change: t });
  };
  consumerGroupsOf(cluster).onTransition = (t) => {
    if (traceSink) traceSink(consumerGroupTransitionLine(t));
    hooks.notifyState({ kind: 'consumer-group', change: t });
  };
  transactionsOf(cluster).onTransition = (t) => {
    if (traceSink && format) for (const line of format.transactionTransitionLines(t)) traceSink(line);
    hooks.notifyState({ kind: 'transaction', change: t });
  };
  // One listener per broker (issue 16); a single-broker emulator is the cluster of one. With
  // `security` (issue 17), each broker opens every listener of `listeners`.
  let security: PreparedSecurity | undefined;
  try {
    security = config.security
      ? await (await import('./security/listeners.js')).prepareSecurity(cluster, config.security, config)
      : undefined;
  } catch (err) {
    cluster.stop();
    recordStream?.destroy();
    throw err;
  }
  const specs: ListenerSpec[] = security?.settings.listeners ?? [
    { name: 'PLAINTEXT', protocol: 'PLAINTEXT', host: config.host, port: config.port },
  ];
  const servers: EmulatorServer[] = [];
  const endpoints: EmulatorEndpoint[] = [];
  const closeAll = () => Promise.all(servers.map((s) => s.close()));
  for (const [i, broker] of cluster.brokers.entries()) {
    for (const [j, spec] of specs.entries()) {
      const server = new EmulatorServer({
        cluster,
        broker,
        security: security?.forListener(spec),
        handlers,
        served: servedApis(handlers),
        hooks,
        trace: traceSink,
        explain: explainSink,
        format,
        recordLine: recordStream ? (line) => void recordStream.write(`${line}\n`) : undefined,
        record,
        exchanges,
      });
      let bound: { host: string; port: number };
      try {
        bound = await server.listen(spec.host, spec.port === 0 ? 0 : spec.port + i);
      } catch (err) {
        await closeAll();
        cluster.stop();
        recordStream?.destroy();
        throw err;
      }
      servers.push(server);
      // A wildcard bind has no address a client could use; Kafka would advertise the machine's name.
      const named = security?.settings.advertised.get(spec.name);
      const host =
        (named?.host || undefined) ??
        config.advertisedHost ??
        (isWildcard(bound.host) ? '127.0.0.1' : bound.host);
      const port = named?.port
        ? named.port + i
        : j === 0 && config.advertisedPort !== undefined
          ? config.advertisedPort + i
          : bound.port;
      broker.listenerEndpoints.set(spec.name, { host, port });
      endpoints.push({
        nodeId: broker.nodeId,
        listener: spec.name,
        protocol: spec.protocol,
        bound,
        host,
        port,
      });
      if (j > 0) continue;
      // The first listener is the broker's default address (bootstrap, a client on no named listener).
      broker.host = host;
      broker.port = port;
      boundAddresses.push(bound);
      if (traceSink && (broker.host !== bound.host || broker.port !== bound.port)) {
        // The listeners lesson: a client reaches the bootstrap address, then uses only this one.
        traceSink(
          `advertised.listeners: Metadata tells clients that node ${broker.nodeId} is at ` +
            `${broker.host}:${broker.port} (this emulator listens on ${bound.host}:${bound.port})`,
        );
      }
    }
  }
  const bound = boundAddresses[0] as { host: string; port: number };
  const lifecycle = cluster.domain(
    'lifecycle',
    (c) =>
      new BrokerLifecycle(c, (nodeId) =>
        servers.filter((s) => (s.options.broker ?? cluster.broker).nodeId === nodeId),
      ),
  );
  if (traceSink) lifecycle.onEvent(traceSink);
  let stopping: Promise<void> | undefined;
  return {
    bootstrap: cluster.broker.address,
    addresses: cluster.brokers.map((b) => b.address),
    listeners: boundAddresses.map((b) => `${b.host}:${b.port}`),
    endpoints,
    certificates: security?.throwaway,
    host: bound.host,
    port: bound.port,
    nodeId: config.nodeId,
    cluster,
    exchanges,
    hooks,
    inspectState: () => inspectState(cluster),
    stopBroker: (id) => lifecycle.stopBroker(id),
    killBroker: (id) => lifecycle.killBroker(id),
    pauseBroker: async (id) => lifecycle.pauseBroker(id),
    resumeBroker: async (id) => lifecycle.resumeBroker(id),
    startBroker: (id) => lifecycle.startBroker(id),
    describeBrokers: () => lifecycle.describe(),
    onBrokerEvent: (listener) => lifecycle.onEvent(listener),
    stop() {
      stopping ??= (async () => {
        cluster.stop();
        await closeAll();
        if (recordStream) await new Promise<void>((resolve) => recordStream.end(resolve));
      })();
      return stopping;
    },
  };
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '';
}

function toSink(
  out: ((text: string) => void) | Writable | undefined,
  end: string,
): ((text: string) => void) | undefined {
  if (!out) return undefined;
  if (typeof out === 'function') return out;
  return (text) => void out.write(text + end);
}

/** Opens the record file, failing fast (before listening) when it cannot be written. */
function openForWriting(path: string): Promise<Writable> {
  return new Promise((resolve, reject) => {
    const stream = createWriteStream(path, { flags: 'w' });
    stream.once('error', reject);
    stream.once('open', () => {
      stream.off('error', reject);
      resolve(stream);
    });
  });
}
