/**
 * The decoding proxy: listens where a client expects a broker, forwards to the real one (a real
 * Kafka or the emulator), and shows every frame on the way.
 *
 * So that a client's later connections (to partition leaders, to its group coordinator) come back
 * through the proxy too, the proxy opens one local listener per upstream broker address it sees in
 * a response and puts that listener's address in the response instead. Listeners are keyed by the
 * upstream host:port rather than the node id alone: in a combined KRaft node the broker and the
 * controller share a node id but not a port (DescribeCluster v1 can name either, KIP-919).
 */
import net from 'node:net';
import tls from 'node:tls';
import { type ClientSecurity, resolveClientSecurity } from '../client/security.js';
import { ProxyConnection } from './connection.js';
import type { ProxyContext, ProxyExchange } from './types.js';

export interface ProxyOptions {
  /** The broker clients should reach: `host:port`. */
  upstream: string;
  /** Interface for every listener (default 127.0.0.1). */
  host?: string;
  /** Port of the bootstrap listener (default 0: a free one). Broker listeners always take free ports. */
  port?: number;
  /** One line per exchange. */
  trace?: (line: string) => void;
  /** Full request and response listings per exchange. */
  explain?: (text: string) => void;
  /** Frames forwarded untouched, upstream failures (default: to `trace`, else dropped). */
  warn?: (line: string) => void;
  /** One JSON line per exchange, the emulator's `--record` format (see src/proxy/record.ts). */
  recordLine?: (line: string) => void;
  /** Called with every finished exchange on the event loop (`kafkalab proxy --inspect`); must not wait. */
  onExchange?: (x: ProxyExchange) => void;
  /** Keep every exchange in `proxy.exchanges` (tests). Off by default: it holds every frame. */
  keepExchanges?: boolean;
  /**
   * Lower the versions offered in ApiVersions answers to those kafkalab declares, so that a newer
   * client stays decodable (and routed through the proxy). Off by default: it changes what the
   * client negotiates. See src/proxy/version-cap.ts.
   */
  capVersions?: boolean;
  /** Bound on connecting upstream, TLS handshake and login included (default 10 s). */
  connectTimeoutMs?: number;
  /**
   * How to reach the brokers, as a Kafka client's security settings say it (security.protocol,
   * ssl.*, sasl.*): TLS for SSL/SASL_SSL, and for SASL_* a login of the proxy's own on every upstream
   * connection, so clients connect to the proxy with PLAINTEXT. Default PLAINTEXT. See upstream.ts.
   */
  upstreamSecurity?: ClientSecurity;
  /**
   * TLS on the proxy's own listeners (bootstrap and broker ones alike): clients then connect with
   * security.protocol=SSL, as they would to a secured cluster. A PEM certificate and key for the
   * proxy's host; `kafkalab proxy --listener-ssl` makes throwaway ones. Default: plaintext.
   */
  listenerTls?: { cert: string; key: string };
}

export interface ProxyListener {
  /** `host:port` clients are given. */
  local: string;
  /** `host:port` of the broker it forwards to. */
  upstream: string;
  /** The broker's node id, once a response named it (the bootstrap listener starts without). */
  nodeId?: number;
}

export interface KafkaProxy {
  /** The bootstrap listener, `host:port`, for a client's bootstrap servers. */
  readonly bootstrap: string;
  readonly host: string;
  readonly port: number;
  readonly exchanges: ProxyExchange[];
  listeners(): ProxyListener[];
  readonly connectionCount: number;
  /** Closes every listener and connection. */
  stop(): Promise<void>;
}

export function parseHostPort(value: string): { host: string; port: number } {
  // [v6]:port or host:port
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(value) ?? /^([^:]+):(\d+)$/.exec(value);
  const port = m ? Number(m[2]) : Number.NaN;
  if (!m || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`expected HOST:PORT, got '${value}'`);
  }
  return { host: m[1], port };
}

interface Listener extends ProxyListener {
  server: net.Server;
  port: number;
}

export async function startProxy(options: ProxyOptions): Promise<KafkaProxy> {
  const upstream = parseHostPort(options.upstream);
  const bindHost = options.host ?? '127.0.0.1';
  // A wildcard bind has no address a client could use; advertise loopback then.
  const advertisedHost = bindHost === '0.0.0.0' || bindHost === '::' ? '127.0.0.1' : bindHost;
  const exchanges: ProxyExchange[] = [];
  const listeners = new Map<string, Promise<Listener>>();
  const ready = new Map<string, Listener>();
  const connections = new Set<ProxyConnection>();
  let nextConnectionId = 1;
  let stopping: Promise<void> | undefined;
  const warn = options.warn ?? options.trace ?? (() => {});

  const ctx: ProxyContext = {
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    upstreamSecurity: resolveClientSecurity(options.upstreamSecurity),
    trace: options.trace,
    explain: options.explain,
    warn,
    capVersions: options.capVersions ?? false,
    recordLine: options.recordLine,
    onExchange: options.onExchange,
    exchanges: options.keepExchanges ? exchanges : undefined,
    async listenersFor(brokers) {
      await Promise.all(brokers.map((b) => listen(b, 0)));
    },
    localAddressOf(b) {
      const l = ready.get(`${b.host}:${b.port}`);
      if (!l) throw new Error(`no listener for ${b.host}:${b.port}`);
      if (l.nodeId === undefined && b.nodeId >= 0) l.nodeId = b.nodeId;
      return { host: advertisedHost, port: l.port };
    },
  };

  function listen(target: { host: string; port: number; nodeId?: number }, port: number): Promise<Listener> {
    const key = `${target.host}:${target.port}`;
    let found = listeners.get(key);
    if (found) return found;
    if (stopping) return Promise.reject(new Error('proxy stopping'));
    found = new Promise<Listener>((resolve, reject) => {
      // With TLS the callback runs once the handshake is done (tls.Server's secureConnection).
      const onConnection = (socket: net.Socket) => {
        const l = ready.get(key);
        if (!l || stopping) {
          socket.destroy();
          return;
        }
        const c = new ProxyConnection(
          nextConnectionId++,
          socket,
          { host: target.host, port: target.port, nodeId: l.nodeId, local: l.local },
          ctx,
          () => connections.delete(c),
        );
        connections.add(c);
      };
      const server = options.listenerTls
        ? tls.createServer({ cert: options.listenerTls.cert, key: options.listenerTls.key }, onConnection)
        : net.createServer(onConnection);
      // A client that fails the TLS handshake harms no one else; say why.
      server.on('tlsClientError', (err) => warn(`listener for ${key}: TLS handshake failed: ${err.message}`));
      server.on('error', (err) => {
        if (!ready.has(key)) reject(err);
        else warn(`listener for ${key}: ${err.message}`);
      });
      server.listen({ host: bindHost, port, exclusive: true }, () => {
        const addr = server.address() as net.AddressInfo;
        const l: Listener = {
          server,
          port: addr.port,
          local: `${advertisedHost}:${addr.port}`,
          upstream: key,
          nodeId: target.nodeId !== undefined && target.nodeId >= 0 ? target.nodeId : undefined,
        };
        ready.set(key, l);
        options.trace?.(
          `proxy: ${l.local} → ${key}${l.nodeId === undefined ? ' (bootstrap)' : ` (node ${l.nodeId})`}`,
        );
        resolve(l);
      });
    });
    listeners.set(key, found);
    // A failed listen may be retried by a later response.
    found.catch(() => listeners.delete(key));
    return found;
  }

  const main = await listen(upstream, options.port ?? 0);
  return {
    bootstrap: main.local,
    host: bindHost,
    port: main.port,
    exchanges,
    listeners: () =>
      [...ready.values()].map((l) => ({ local: l.local, upstream: l.upstream, nodeId: l.nodeId })),
    get connectionCount() {
      return connections.size;
    },
    stop() {
      stopping ??= (async () => {
        const all = [...ready.values()];
        const closed = all.map((l) => new Promise<void>((resolve) => l.server.close(() => resolve())));
        for (const c of [...connections]) c.close('proxy stopping');
        await Promise.all(closed);
      })();
      return stopping;
    },
  };
}
