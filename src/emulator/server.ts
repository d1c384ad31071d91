/**
 * The network side: a TCP server that cuts each connection's byte stream into frames, decodes the
 * header, routes to a handler, and writes responses back — one request at a time per connection, so
 * responses leave in request order (Kafka mutes a channel while a request is in flight).
 *
 * Like Kafka, it closes a connection without a response on: a frame over maxRequestBytes or with a
 * negative size, an unknown API key, a version we do not serve (except ApiVersions, answered with
 * UNSUPPORTED_VERSION in a v0 body), or a body that does not decode. Whatever one connection sends,
 * the others and the process carry on (SocketServer's "catch all throwables" rule).
 */

import net from 'node:net';
import { performance } from 'node:perf_hooks';
import tls from 'node:tls';
import { DecodeError } from '../protocol/errors.js';
import { decodeRequestFrame, encodeResponseFrame, FrameSplitter } from '../protocol/frame.js';
import { API_VERSIONS_KEY } from '../protocol/headers.js';
import { ApiVersions } from '../protocol/messages/18-api-versions.js';
import { ensureCodecs, zstdReady } from '../protocol/records/compression/index.js';
import type { Broker } from './cluster/broker.js';
import type { Cluster } from './cluster.js';
import {
  CLOSE_CONNECTION,
  type ConnectionInfo,
  type Handler,
  type HandlerContext,
  NO_RESPONSE,
  type ServedApi,
} from './handler.js';
import {
  collectErrorCodes,
  type Exchange,
  type Hooks,
  overwriteErrorCodes,
  type RequestEvent,
} from './hooks.js';
import type { SaslSettings, SecurityProtocol } from './security/config.js';
import {
  type PrincipalMapper,
  principalMapper,
  subjectDistinguishedName,
} from './security/principal-mapping.js';
import { redactSaslAuthenticate, SASL_AUTHENTICATE_KEY } from './security/redact.js';
import { type ConnectionSecurity, SaslSession } from './security/sasl-session.js';
import { scramCredentialsOf } from './security/scram-credentials.js';

const UNSUPPORTED_VERSION = 35;
/** Produce validates and ListOffsets searches inside compressed batches: zstd must be loaded first. */
const NEEDS_CODECS = new Set([0, 2]);
/** Frames queued on one connection before we stop reading from it (Kafka reads none while busy). */
const MAX_QUEUED_FRAMES = 64;

/**
 * The three exchange formatters of exchange-output.ts. Passed in rather than imported so that a
 * server with no trace, explain or record output never loads the explainer (startup time, issue 3).
 */
export interface ExchangeFormat {
  traceLine(e: Exchange): string;
  explainExchange(e: Exchange): string;
  exchangeJsonLine(e: Exchange): string;
}

/** How one listener secures its connections (absent: PLAINTEXT). */
export interface ListenerSecurity {
  /** The listener's name (upper case), as in `listeners`. */
  listener: string;
  protocol: SecurityProtocol;
  /** SSL and SASL_SSL: Node's TLS server options (cert, key, ca, requestCert, rejectUnauthorized). */
  tls?: tls.TlsOptions;
  /** SASL_PLAINTEXT and SASL_SSL. */
  sasl?: SaslSettings;
  /** SSL: the client certificate's DN → principal name (ssl.principal.mapping.rules). */
  principalMapper?: PrincipalMapper;
}

export interface ServerOptions {
  cluster: Cluster;
  /** TLS and SASL of this listener; default PLAINTEXT. */
  security?: ListenerSecurity;
  /** The broker this listener is (its node id goes into every handler's context); default the first. */
  broker?: Broker;
  handlers: Map<number, Handler<any>>;
  served: readonly ServedApi[];
  hooks: Hooks;
  /** One line per exchange and per notable event (connection closed, why). */
  trace?: (line: string) => void;
  /** The full annotated listing of both frames of every exchange (`--explain`). */
  explain?: (text: string) => void;
  /** One JSON line per exchange (`--record FILE`). */
  recordLine?: (line: string) => void;
  /** Required when `trace`, `explain` or `recordLine` is given: how an exchange is printed. */
  format?: ExchangeFormat;
  /** Keep every exchange (raw + decoded) in `exchanges`. */
  record?: boolean;
  exchanges?: Exchange[];
}

export class EmulatorServer {
  private readonly server: net.Server;
  private readonly connections = new Set<Connection>();
  private nextConnectionId = 1;

  constructor(readonly options: ServerOptions) {
    const security = options.security;
    if (security?.protocol === 'SSL' || security?.protocol === 'SASL_SSL') {
      if (!security.tls)
        throw new Error(`listener ${security.listener} (${security.protocol}) needs TLS settings`);
      // Requests start once the TLS handshake is done ('secureConnection').
      const server = tls.createServer(security.tls, (socket) => this.accept(socket));
      // Random bytes instead of a ClientHello, an untrusted client certificate: that socket is
      // destroyed by Node; the listener and every other connection carry on.
      server.on('tlsClientError', (err, socket) =>
        this.options.trace?.(
          `TLS handshake from ${socket.remoteAddress}:${socket.remotePort} failed: ${err.message}`,
        ),
      );
      this.server = server;
    } else {
      this.server = net.createServer((socket) => this.accept(socket));
    }
    // A failing accept must not take the process down.
    this.server.on('error', (err) => this.options.trace?.(`server error: ${err.message}`));
  }

  listen(host: string, port: number): Promise<{ host: string; port: number }> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      this.server.once('error', onError);
      this.server.listen({ host, port, exclusive: true }, () => {
        this.server.off('error', onError);
        const addr = this.server.address() as net.AddressInfo;
        this.bound = { host: addr.address, port: addr.port };
        resolve(this.bound);
      });
    });
  }

  /** Where the last listen() bound. */
  private bound: { host: string; port: number } | undefined;

  /** Listens again where it was bound before close() (a restarted broker keeps its port). */
  async reopen(): Promise<void> {
    if (!this.bound) throw new Error('this listener was never bound');
    await this.listen(this.bound.host, this.bound.port);
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /**
   * Stops listening and closes every connection (a stopped broker, cluster/lifecycle.ts). With
   * `reset`, as a killed process: each socket is reset (RST) at once and answers not yet written are
   * lost; otherwise answers already given go out first. `listen` may be called again afterwards.
   */
  async close(reason = 'emulator stopping', how: { reset?: boolean } = {}): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.resume();
    for (const c of [...this.connections]) c.close(reason, how.reset === true);
    await closed;
  }

  /** While set, the broker is paused: connections are accepted and read, nothing is handled or answered. */
  private paused: { until: Promise<void>; release: () => void } | undefined;

  /** A paused broker (SIGSTOP): bytes are taken in, nothing is handled or sent until resume(). */
  pause(): void {
    if (this.paused) return;
    let release = () => {};
    const until = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.paused = { until, release };
    for (const c of this.connections) c.hold();
  }

  resume(): void {
    const p = this.paused;
    if (!p) return;
    this.paused = undefined;
    for (const c of this.connections) c.release();
    p.release();
  }

  private accept(socket: net.Socket): void {
    const c = new Connection(
      this.nextConnectionId++,
      socket,
      this.options,
      () => this.connections.delete(c),
      () => this.paused?.until,
    );
    this.connections.add(c);
    if (this.paused) c.hold();
  }
}

class Connection {
  readonly info: ConnectionInfo;
  private readonly splitter: FrameSplitter;
  private readonly queue: Buffer[] = [];
  private readonly abort = new AbortController();
  private busy = false;
  private closed = false;
  /** The last answer is going out and the connection closes after it: no more requests are read. */
  private ending = false;
  /** KIP-219: the throttle time of the answer just sent; the connection is muted for it (throttled()). */
  private throttleMs = 0;
  /** Responses written since the last flush sit corked, to go out in one writev (see send). */
  private corked = false;
  /** Set when an mTLS client's principal cannot be built (no mapping rule applies): it is closed. */
  private principalFailure: string | undefined;
  /** Size of the last response per API key: the next one starts in a buffer that big (see below). */
  private readonly lastResponseSize = new Map<number, number>();

  constructor(
    id: number,
    private readonly socket: net.Socket,
    private readonly o: ServerOptions,
    private readonly onClosed: () => void,
    /** While the broker is paused, a promise that settles when it resumes. */
    private readonly pausedUntil: () => Promise<void> | undefined = () => undefined,
  ) {
    const security = o.security ? this.securityOf(o.security, socket) : undefined;
    this.info = { id, remote: `${socket.remoteAddress}:${socket.remotePort}`, clientId: '', security };
    this.trace(
      `opened from ${this.info.remote}${security ? ` (${security.listener}, ${security.protocol})` : ''}`,
    );
    // sasl.server.max.receive.size until login: an unauthenticated peer cannot make us buffer 100 MB.
    this.splitter = new FrameSplitter({
      maxFrameBytes: security?.sasl
        ? (o.security?.sasl?.maxReceiveBytes ?? 524_288)
        : o.cluster.config.maxRequestBytes,
    });
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', (err) => this.close(`socket error: ${err.message}`));
    socket.on('close', () => this.close('closed by the client'));
    socket.on('end', () => this.close('closed by the client'));
    // After the constructor: the server registers this connection first, and close() unregisters it.
    const failure = this.principalFailure;
    if (failure) queueMicrotask(() => this.close(failure));
  }

  private trace(line: string): void {
    this.o.trace?.(`conn#${this.info.id} ${line}`);
  }

  /** The principal and, on a SASL listener, a SaslSession (Kafka's SaslServerAuthenticator). */
  private securityOf(l: ListenerSecurity, socket: net.Socket): ConnectionSecurity {
    let principal = 'User:ANONYMOUS';
    if (socket instanceof tls.TLSSocket && l.protocol === 'SSL') {
      // Kafka's default principal builder: the client certificate's DN as X500Principal writes it,
      // through ssl.principal.mapping.rules.
      const raw = socket.getPeerCertificate()?.raw;
      if (raw && raw.length > 0) {
        const dn = subjectDistinguishedName(raw);
        // Kafka fails to build the principal then and drops the connection.
        try {
          const name = (l.principalMapper ?? principalMapper()).name(dn);
          if (name === undefined)
            this.principalFailure = `no ssl.principal.mapping.rules rule applies to ${dn}`;
          else principal = `User:${name}`;
        } catch (err) {
          this.principalFailure = `ssl.principal.mapping.rules failed on ${dn}: ${(err as Error).message}`;
        }
      }
    }
    const sasl = l.sasl
      ? new SaslSession({
          settings: l.sasl,
          listener: l.listener,
          credentials: scramCredentialsOf(this.o.cluster),
          now: () => this.o.cluster.now(),
          authenticated: () => {
            this.splitter.maxFrameBytes = this.o.cluster.config.maxRequestBytes;
          },
        })
      : undefined;
    const security: ConnectionSecurity = { protocol: l.protocol, listener: l.listener, principal, sasl };
    return security;
  }

  close(reason?: string, reset = false): void {
    if (this.closed) return;
    this.closed = true;
    if (reason) this.trace(`closed: ${reason}`);
    this.abort.abort();
    this.queue.length = 0;
    if (reset) {
      // A killed broker: the peer sees ECONNRESET, and nothing still queued here is sent.
      this.socket.resetAndDestroy();
    } else {
      // Answers already given go out first, as they did when each was written at once.
      this.release();
      this.flush();
      this.socket.destroy();
    }
    this.onClosed();
  }

  /** The broker paused: answers written from now on stay in the socket's buffer (an extra cork). */
  private holding = false;

  hold(): void {
    if (this.holding || this.closed) return;
    this.holding = true;
    this.socket.cork();
  }

  release(): void {
    if (!this.holding) return;
    this.holding = false;
    this.socket.uncork();
  }

  private onData(chunk: Buffer): void {
    if (this.closed || this.ending) return;
    let frames: Buffer[];
    try {
      frames = this.splitter.push(chunk);
    } catch (err) {
      this.close(err instanceof Error ? err.message : String(err));
      return;
    }
    for (const f of frames) this.queue.push(f);
    if (this.queue.length >= MAX_QUEUED_FRAMES) this.socket.pause();
    if (!this.busy) void this.pump();
  }

  private async pump(): Promise<void> {
    this.busy = true;
    try {
      // Bounded by what was received; each frame is handled to completion before the next.
      while (!this.closed && !this.ending && this.queue.length > 0) {
        // A paused broker reads (up to MAX_QUEUED_FRAMES) but handles nothing until it resumes.
        const paused = this.pausedUntil();
        if (paused) {
          await paused;
          continue;
        }
        const frame = this.queue.shift() as Buffer;
        if (this.queue.length < MAX_QUEUED_FRAMES / 2) this.socket.resume();
        try {
          await this.handleFrame(frame);
        } catch (err) {
          this.close(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        }
        // Kafka mutes a connection until its response has gone out (SocketServer): a client that does
        // not read its answers stops being served instead of having them pile up in memory here (a
        // producer asking Metadata of 10,000 partitions faster than it read it grew this to GBs).
        if (this.socket.writableNeedDrain) {
          this.flush();
          await this.drained();
        }
        if (this.throttleMs > 0) {
          this.flush();
          await this.throttled();
        }
      }
    } finally {
      this.busy = false;
    }
  }

  private async handleFrame(frame: Buffer): Promise<void> {
    const receivedAt = Date.now();
    const started = performance.now();
    const sasl = this.info.security?.sasl;
    if (sasl?.rawTokens) {
      this.rawSaslToken(sasl, frame);
      return;
    }
    if (frame.length < 4 + 8) {
      this.close(`request of ${frame.length - 4} bytes is too short for a request header`);
      return;
    }
    const apiKey = frame.readInt16BE(4);
    const version = frame.readInt16BE(6);
    const handler = this.o.handlers.get(apiKey);
    if (!handler) {
      this.close(`unknown or unserved API key ${apiKey}`);
      return;
    }
    // Before login only ApiVersions, SaslHandshake, then SaslAuthenticate: anything else closes
    // the connection without an answer, as Kafka's SaslServerAuthenticator does.
    const refused = sasl?.refuse(apiKey, handler.api.name);
    if (refused !== undefined) {
      this.close(refused);
      return;
    }
    if (version < handler.versions.min || version > handler.versions.max) {
      if (apiKey === API_VERSIONS_KEY) {
        this.answerUnsupportedApiVersions(frame, version, handler, receivedAt, started);
        return;
      }
      this.close(
        `${handler.api.name} v${version} is not served (v${handler.versions.min}-${handler.versions.max})`,
      );
      return;
    }
    let decoded: ReturnType<typeof decodeRequestFrame>;
    try {
      decoded = decodeRequestFrame(frame);
    } catch (err) {
      const why = err instanceof DecodeError ? err.message : String(err);
      this.close(`malformed ${handler.api.name} v${version} request: ${why}`);
      return;
    }
    this.info.clientId = decoded.header.clientId ?? '';
    // zstd's wasm loads on first need rather than at start, which it would slow by ~15 ms.
    if (NEEDS_CODECS.has(apiKey) && !zstdReady()) await ensureCodecs();
    if (this.closed) return;
    const event: RequestEvent = {
      connection: this.info,
      api: handler.api,
      version,
      header: decoded.header,
      request: decoded.body,
      raw: frame,
    };

    const hooks = this.o.hooks;
    const plan = hooks.active ? await hooks.plan(event) : { delayMs: 0 };
    if (plan.delayMs > 0) await this.sleep(plan.delayMs);
    if (this.closed) return;

    let result: unknown;
    let responseVersion: number | undefined;
    const ctx = this.context(decoded.header, version);
    if (plan.override === 'close') {
      result = CLOSE_CONNECTION;
    } else if (plan.override === 'drop') {
      result = NO_RESPONSE;
    } else if (plan.override) {
      result = plan.override.respond;
      responseVersion = plan.override.version;
    } else if (plan.injectErrorCode !== undefined && handler.errorResponse) {
      result = handler.errorResponse(decoded.body, plan.injectErrorCode, ctx);
    } else {
      result = await handler.handle(decoded.body, ctx);
      if (plan.injectErrorCode !== undefined && typeof result === 'object' && result !== null) {
        overwriteErrorCodes(result, plan.injectErrorCode);
      }
    }
    if (this.closed) return;

    if (result === NO_RESPONSE || result === CLOSE_CONNECTION) {
      this.finish(
        event,
        receivedAt,
        started,
        undefined,
        result === CLOSE_CONNECTION ? 'closed' : 'no-response',
      );
      if (result === CLOSE_CONNECTION) this.close(`${handler.api.name} asked to close the connection`);
      return;
    }
    // A consumer's Fetch responses are alike in size (max.partition.fetch.bytes per partition): start
    // each in a buffer the size of the last one instead of growing one from 512 bytes by doubling,
    // which copied ~4 MiB more per 4 MiB response.
    const raw = encodeResponseFrame({
      api: handler.api,
      version: responseVersion ?? version,
      correlationId: decoded.header.correlationId,
      body: result as any,
      initialSize: this.lastResponseSize.get(apiKey),
    });
    this.lastResponseSize.set(apiKey, raw.length);
    this.send(raw);
    const throttle = (result as { throttleTimeMs?: unknown }).throttleTimeMs;
    if (typeof throttle === 'number' && throttle > 0) this.throttleMs = throttle;
    // The trace, --explain, --record and observers never see a password or a SCRAM proof.
    const shown =
      apiKey === SASL_AUTHENTICATE_KEY
        ? redactSaslAuthenticate(event, { body: result, raw })
        : { event, response: { body: result, raw } };
    this.finish(shown.event, receivedAt, started, shown.response, 'response', responseVersion);
    // A failed login or an unsupported mechanism: the answer goes out, then the connection closes.
    if (sasl?.closeAfterResponse !== undefined) this.closeAfterWrite(sasl.closeAfterResponse);
  }

  /** After SaslHandshake v0 the frames are the mechanism's bytes, answered the same way (no header). */
  private rawSaslToken(sasl: SaslSession, frame: Buffer): void {
    const challenge = sasl.rawToken(frame.subarray(4));
    if (challenge === undefined) {
      this.close(sasl.closeAfterResponse ?? 'SASL authentication failed');
      return;
    }
    const out = Buffer.alloc(4 + challenge.length);
    out.writeInt32BE(challenge.length, 0);
    challenge.copy(out, 4);
    this.send(out);
    this.trace(
      `SASL token of ${frame.length - 4} bytes answered with ${challenge.length} (SaslHandshake v0)`,
    );
  }

  private closeAfterWrite(reason: string): void {
    this.ending = true;
    this.queue.length = 0;
    this.trace(`closing after this answer: ${reason}`);
    this.socket.end(() => this.close(reason));
    // A peer that never reads must not keep the socket.
    setTimeout(() => this.close(reason), 1000).unref();
  }

  /**
   * KIP-511: a client may open with a newer ApiVersions than we know. Kafka does not parse its body;
   * it answers with a v0 body (and, as always for ApiVersions, a v0 header) holding
   * UNSUPPORTED_VERSION and the ApiVersions range it does serve, so the client can retry with that.
   */
  private answerUnsupportedApiVersions(
    frame: Buffer,
    version: number,
    handler: Handler<any>,
    receivedAt: number,
    started: number,
  ): void {
    const correlationId = frame.readInt32BE(8);
    const body = {
      errorCode: UNSUPPORTED_VERSION,
      apiKeys: [
        { apiKey: API_VERSIONS_KEY, minVersion: handler.versions.min, maxVersion: handler.versions.max },
      ],
    };
    const raw = encodeResponseFrame({ api: ApiVersions, version: 0, correlationId, body });
    this.send(raw);
    const header = {
      requestApiKey: API_VERSIONS_KEY,
      requestApiVersion: version,
      correlationId,
      clientId: null,
    };
    const event: RequestEvent = {
      connection: this.info,
      api: ApiVersions,
      version,
      header,
      request: {},
      raw: frame,
    };
    this.finish(event, receivedAt, started, { body, raw }, 'response', 0);
  }

  private context(header: HandlerContext['header'], version: number): HandlerContext {
    const { cluster } = this.o;
    return {
      cluster,
      config: cluster.config,
      broker: this.o.broker ?? cluster.broker,
      connection: this.info,
      header,
      version,
      signal: this.abort.signal,
      served: this.o.served,
      now: () => cluster.now(),
      log: (message) => this.trace(`  ${message}`),
    };
  }

  /**
   * One socket write per turn of the event loop instead of one per response (issue 19: the writes
   * were ~25% of request handling): the first answer corks the socket, the answers to the frames of
   * the same chunk (handled in microtasks) join it, and a setImmediate uncorks them into one writev.
   * Order is the socket's own; a handler that waits on a timer or I/O lets the check phase flush what
   * came before it, so no answer waits behind a long-polling Fetch.
   */
  private send(raw: Buffer): void {
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      setImmediate(this.flush);
    }
    this.socket.write(raw);
  }

  /** Sends what is corked now: before waiting for 'drain' (which a corked socket never emits) or a throttle. */
  private readonly flush = (): void => {
    if (!this.corked) return;
    this.corked = false;
    this.socket.uncork();
  };

  /** Resolves when the socket's write buffer has drained, or the connection is gone. */
  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }

  /**
   * KIP-219, as Kafka's SocketServer does for a quota-throttled answer: the answer goes out at once
   * with its throttleTimeMs, then the connection is muted — nothing more is read from it — until
   * that time has passed on the cluster's clock (a test steps a ManualClock), whether or not the
   * client also waits by itself (KIP-219 clients do; older ones are held back by this alone).
   */
  private throttled(): Promise<void> {
    const ms = this.throttleMs;
    this.throttleMs = 0;
    this.trace(`muted for ${ms} ms: throttled by a client quota (KIP-219)`);
    this.socket.pause();
    return new Promise((resolve) => {
      const signal = this.abort.signal;
      const timer = this.o.cluster.clock.schedule(ms, done);
      const socket = this.socket;
      function done() {
        timer.cancel();
        signal.removeEventListener('abort', done);
        socket.resume();
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const signal = this.abort.signal;
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private finish(
    event: RequestEvent,
    receivedAt: number,
    started: number,
    response: Exchange['response'],
    outcome: Exchange['outcome'],
    responseVersion?: number,
  ): void {
    const o = this.o;
    const observing = o.hooks.observing;
    if (!o.record && !observing && !o.trace && !o.explain && !o.recordLine) return;
    // Fields named, not spread: this runs for every exchange while anything observes.
    const exchange: Exchange = {
      connection: event.connection,
      api: event.api,
      version: event.version,
      header: event.header,
      request: event.request,
      raw: event.raw,
      response,
      ...(responseVersion === undefined ? {} : { responseVersion }),
      outcome,
      errorCodes: response ? collectErrorCodes(response.body) : [],
      receivedAt,
      latencyMs: performance.now() - started,
    };
    const f = o.format;
    if (f) {
      o.trace?.(f.traceLine(exchange));
      o.explain?.(f.explainExchange(exchange));
      o.recordLine?.(f.exchangeJsonLine(exchange));
    }
    if (o.record) o.exchanges?.push(exchange);
    if (observing) o.hooks.notify(exchange);
  }
}

/** A certificate subject as RFC 2253 writes it (most specific first), as Kafka's X500Principal name. */
