/**
 * One TCP connection to one broker. It owns the socket and nothing else: correlation ids, the map of
 * in-flight requests, pipelining (any number of requests written before the first answer; a broker
 * answers in request order), a timeout per request, and version negotiation — ApiVersions first, then
 * every request goes out at the highest version both sides support.
 *
 * Bytes only through src/protocol: encodeRequestFrame, decodeResponseFrame, FrameSplitter.
 */
import net from 'node:net';
import tls from 'node:tls';
import { DecodeError } from '../protocol/errors.js';
import { decodeResponseFrame, encodeRequestFrame, FrameSplitter } from '../protocol/frame.js';
import { ApiVersions } from '../protocol/messages/18-api-versions.js';
import type { ApiSpec, MessageInput, MessageValue } from '../protocol/schema/declare.js';
import { parseVersions } from '../protocol/schema/versions.js';
import {
  ConnectionError,
  KafkaProtocolError,
  RequestTimeoutError,
  UnsupportedVersionError,
} from './errors.js';
import {
  type ClientSecurity,
  type ResolvedSecurity,
  resolveClientSecurity,
  saslLogin,
  tlsConnectOptions,
} from './security.js';

export const CLIENT_SOFTWARE_NAME = 'kafkalab';
export const CLIENT_SOFTWARE_VERSION = '0.1.0';

const UNSUPPORTED_VERSION = 35;

export interface ConnectionOptions {
  host: string;
  port: number;
  clientId?: string;
  /** Default 10 s. */
  connectTimeoutMs?: number;
  /** Default 30 s (Kafka's request.timeout.ms). */
  requestTimeoutMs?: number;
  /** Node id, when the address came from Metadata: it appears in error messages. */
  nodeId?: number;
  /** TLS and SASL (security.protocol, ssl.*, sasl.*); default PLAINTEXT. */
  security?: ClientSecurity;
}

export interface RequestOptions {
  /** Send exactly this version (it must be one the broker serves). */
  version?: number;
  /** Bounds for the negotiated version: e.g. Produce needs v3+ for record batches v2. */
  minVersion?: number;
  maxVersion?: number;
  timeoutMs?: number;
}

export interface VersionRange {
  min: number;
  max: number;
}

interface InFlight {
  api: ApiSpec;
  version: number;
  resolve(body: unknown): void;
  reject(err: Error): void;
  /** performance.now() after which the request has timed out. */
  deadline: number;
  timeoutMs: number;
}

type State = 'new' | 'connecting' | 'ready' | 'closed';

/** One request and its outcome, as an exchange observer sees it (decoded bodies, no bytes). */
export interface ObservedExchange {
  /** `host:port` of the connection. */
  broker: string;
  api: ApiSpec;
  version: number;
  correlationId: number;
  request: unknown;
  /** The decoded body; undefined for a one-way request (acks=0) or a failure. */
  response?: unknown;
  error?: Error;
}

const exchangeObservers = new Set<(exchange: ObservedExchange) => void>();

/**
 * Calls `fn` with every exchange of every Connection in this process until the returned function is
 * called. For the conformance suite, which records what its client said to each broker.
 */
export function observeExchanges(fn: (exchange: ObservedExchange) => void): () => void {
  exchangeObservers.add(fn);
  return () => exchangeObservers.delete(fn);
}

function notifyObservers(exchange: ObservedExchange): void {
  for (const fn of exchangeObservers) fn(exchange);
}

/**
 * An ApiVersions answer, in whichever form the broker wrote it. A broker that does not know the asked
 * version answers UNSUPPORTED_VERSION (KIP-511): Kafka in the v0 form, librdkafka's mock cluster in
 * (its own take on) the form of the version asked. Like Kafka's ApiVersionsResponse.parse: decode at
 * the asked version, and when that fails read the bytes again as v0 (a v0 body never reads as a later
 * version: its int32 array count starts with a 0 byte, a null compact array, and v1-v2 need a
 * throttle time after it).
 *
 * librdkafka 2.0's mock writes a one-byte array count without the compact +1 and no tag buffers, which
 * reads as neither. Java's parser does not look for trailing bytes, so it reads that answer as
 * UNSUPPORTED_VERSION with an empty list and (NetworkClient) retries at v0. The error code is the
 * first body field in every version: when it is UNSUPPORTED_VERSION and the rest is unreadable,
 * answer the same — no range, so negotiate() retries at v0.
 */
function decodeApiVersionsAnswer(frame: Buffer, version: number): unknown {
  try {
    return decodeResponseFrame(frame, ApiVersions, version).body;
  } catch (asAsked) {
    if (!(asAsked instanceof DecodeError)) throw asAsked;
    try {
      return decodeResponseFrame(frame, ApiVersions, 0).body;
    } catch (asV0) {
      if (!(asV0 instanceof DecodeError)) throw asV0;
      // size (4) + correlation id (4): ApiVersions answers always carry header v0.
      if (frame.length >= 10 && frame.readInt16BE(8) === UNSUPPORTED_VERSION)
        return { errorCode: UNSUPPORTED_VERSION, apiKeys: [], throttleTimeMs: 0 };
      throw new DecodeError(
        `${asAsked.message}; read as v0 (KIP-511): ${asV0.reason}`,
        asV0.offset,
        asV0.path,
      );
    }
  }
}

export class Connection {
  readonly host: string;
  readonly port: number;
  readonly nodeId: number | undefined;
  private readonly clientId: string;
  private readonly connectTimeoutMs: number;
  readonly requestTimeoutMs: number;
  private readonly security: ResolvedSecurity;
  /** sessionLifetimeMs of the last SASL login (0: none or no SASL): the session re-authenticates before it ends. */
  saslSessionLifetimeMs = 0n;
  /** KIP-368: set by a timer when the session nears its end; the next request logs in again first. */
  private reauthDue = false;
  private reauthTimer: NodeJS.Timeout | undefined;
  private reauthenticating: Promise<void> | undefined;
  /** How many times this connection re-authenticated (KIP-368): for tests and the curious. */
  reauthentications = 0;
  private socket: net.Socket | undefined;
  private readonly splitter = new FrameSplitter();
  private readonly inFlight = new Map<number, InFlight>();
  private nextCorrelationId = 0;
  private state: State = 'new';
  private opening: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  private closeError: Error | undefined;
  /** What the broker advertised in ApiVersions, by API key. */
  private brokerVersions = new Map<number, VersionRange>();
  /** The ApiVersions version that the broker accepted. */
  apiVersionsVersion = -1;
  private readonly closeListeners = new Set<(err: Error | undefined) => void>();
  /**
   * One timer per connection instead of one per request (a setTimeout and a clearTimeout per request
   * showed in the producer's profile). It is armed for the earliest deadline it knows of and is not
   * cleared when answers arrive: when it fires it times out what is overdue and re-arms for the
   * earliest deadline still in flight, if any.
   */
  private deadlineTimer: NodeJS.Timeout | undefined;
  private deadlineTimerAt = Number.POSITIVE_INFINITY;
  /** performance.now() until which the broker asked us to hold requests back (KIP-219 throttling). */
  private throttledUntil = 0;
  /** How many responses asked this connection to wait (throttleTimeMs > 0): for tests and the curious. */
  throttleCount = 0;

  constructor(options: ConnectionOptions) {
    this.host = options.host;
    this.port = options.port;
    this.nodeId = options.nodeId;
    this.clientId = options.clientId ?? 'kafkalab';
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.security = resolveClientSecurity(options.security);
  }

  /** `host:port`, with the node id when known: what every error of this connection names. */
  get address(): string {
    const hp = `${this.host}:${this.port}`;
    return this.nodeId === undefined ? hp : `${hp} (node ${this.nodeId})`;
  }

  get ready(): boolean {
    return this.state === 'ready';
  }

  get closed(): boolean {
    return this.state === 'closed';
  }

  /** Requests written and not yet answered. */
  get pending(): number {
    return this.inFlight.size;
  }

  /** Called once when the connection closes, for any reason (error undefined on a clean close). */
  onClose(fn: (err: Error | undefined) => void): () => void {
    this.closeListeners.add(fn);
    return () => this.closeListeners.delete(fn);
  }

  /** Opens the socket and negotiates versions. Idempotent; a closed connection cannot reopen. */
  connect(): Promise<void> {
    if (this.state === 'closed') {
      return Promise.reject(
        this.closeError ??
          new ConnectionError(`connection to ${this.address} is closed`, { broker: this.address }),
      );
    }
    this.opening ??= this.open();
    return this.opening;
  }

  private async open(): Promise<void> {
    this.state = 'connecting';
    await new Promise<void>((resolve, reject) => {
      // SSL and SASL_SSL: requests start once the TLS handshake is done ('secureConnect').
      const t = this.security.tls;
      const socket = t
        ? tls.connect(tlsConnectOptions(this.host, this.port, t))
        : net.connect({ host: this.host, port: this.port, noDelay: true });
      if (t) socket.setNoDelay(true);
      this.socket = socket;
      const timer = setTimeout(() => {
        socket.destroy();
        reject(
          new ConnectionError(`connect to ${this.address} timed out after ${this.connectTimeoutMs} ms`, {
            broker: this.address,
          }),
        );
      }, this.connectTimeoutMs);
      const fail = (err: Error) => {
        clearTimeout(timer);
        reject(
          new ConnectionError(`cannot connect to ${this.address}: ${err.message}`, {
            broker: this.address,
            cause: err,
          }),
        );
      };
      socket.once('error', fail);
      socket.once(t ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        socket.off('error', fail);
        socket.on('error', (err) =>
          this.fail(
            new ConnectionError(`connection to ${this.address} failed: ${err.message}`, {
              broker: this.address,
              cause: err,
            }),
          ),
        );
        socket.on('close', () =>
          this.fail(
            new ConnectionError(`connection to ${this.address} was closed by the broker`, {
              broker: this.address,
            }),
          ),
        );
        socket.on('data', (chunk) => this.onData(chunk));
        resolve();
      });
    }).catch((err) => {
      this.state = 'closed';
      this.closeError = err;
      this.emitClose(err);
      throw err;
    });
    try {
      await this.negotiate();
      if (this.security.sasl) await this.login();
    } catch (err) {
      this.fail(err as Error);
      throw err;
    }
    if (this.state === 'connecting') this.state = 'ready';
  }

  /** SaslHandshake + SaslAuthenticate; with a session lifetime, re-authentication is scheduled. */
  private async login(): Promise<void> {
    this.saslSessionLifetimeMs = await saslLogin(
      (api, version, body) => this.send(api, version, body),
      (api) => this.versionFor(api),
      this.security.sasl!,
      this.address,
    );
    const lifetime = Number(this.saslSessionLifetimeMs);
    if (lifetime <= 0 || this.state === 'closed') return;
    // SaslClientAuthenticator: at a random point between 85% and 95% of the session, so that many
    // clients logged in together do not all come back at once.
    this.reauthTimer = setTimeout(
      () => {
        this.reauthTimer = undefined;
        this.reauthDue = true;
      },
      Math.floor(lifetime * (0.85 + 0.1 * Math.random())),
    );
    this.reauthTimer.unref();
  }

  /**
   * KIP-368 re-authentication on the same connection: SaslHandshake and SaslAuthenticate again (no
   * ApiVersions, as Java's client), same mechanism and principal. Requests asked for meanwhile wait
   * for it; answers to requests sent before it still arrive by correlation id. A failure closes the
   * connection, as the broker would once the session ends.
   */
  private reauthenticate(): Promise<void> {
    this.reauthDue = false;
    this.reauthenticating ??= this.login().then(
      () => {
        this.reauthenticating = undefined;
        this.reauthentications++;
      },
      (err: Error) => {
        this.reauthenticating = undefined;
        this.fail(err);
        throw err;
      },
    );
    return this.reauthenticating;
  }

  /**
   * ApiVersions at our newest version. A broker that does not know that version answers (KIP-511)
   * with UNSUPPORTED_VERSION and the ApiVersions range it serves (v0 form or the asked form, see
   * decodeApiVersionsAnswer); retry at its max.
   */
  private async negotiate(): Promise<void> {
    const ours = parseVersions(ApiVersions.request.validVersions);
    let version = ours.high;
    for (let attempt = 0; attempt < 3; attempt++) {
      const body = (await this.send(ApiVersions, version, {
        clientSoftwareName: CLIENT_SOFTWARE_NAME,
        clientSoftwareVersion: CLIENT_SOFTWARE_VERSION,
      })) as MessageValue<typeof ApiVersions.response>;
      if (body.errorCode === UNSUPPORTED_VERSION) {
        const theirs = body.apiKeys.find((k) => k.apiKey === ApiVersions.apiKey);
        const next = Math.min(theirs?.maxVersion ?? 0, ours.high);
        if (next >= version) break;
        version = next;
        continue;
      }
      if (body.errorCode !== 0) {
        throw new KafkaProtocolError(body.errorCode, { api: 'ApiVersions', broker: this.address });
      }
      this.apiVersionsVersion = version;
      this.brokerVersions = new Map(
        body.apiKeys.map((k) => [k.apiKey, { min: k.minVersion, max: k.maxVersion }]),
      );
      return;
    }
    throw new UnsupportedVersionError(`${this.address} accepts no ApiVersions version kafkalab can send`);
  }

  /** The versions the broker advertised for an API, or undefined if it does not serve it. */
  brokerRange(api: ApiSpec): VersionRange | undefined {
    return this.brokerVersions.get(api.apiKey);
  }

  /** The highest version both sides support (within the caller's bounds), or an UnsupportedVersionError. */
  versionFor(api: ApiSpec, bounds: { minVersion?: number; maxVersion?: number } = {}): number {
    const theirs = this.brokerVersions.get(api.apiKey);
    const ours = parseVersions(api.request.validVersions);
    if (!theirs)
      throw new UnsupportedVersionError(`${this.address} does not serve ${api.name} (API key ${api.apiKey})`);
    const low = Math.max(theirs.min, ours.low, bounds.minVersion ?? 0);
    const high = Math.min(theirs.max, ours.high, bounds.maxVersion ?? Number.POSITIVE_INFINITY);
    if (high < low) {
      const want =
        bounds.minVersion !== undefined || bounds.maxVersion !== undefined
          ? `, needed ${bounds.minVersion ?? 0}-${bounds.maxVersion ?? ours.high}`
          : '';
      throw new UnsupportedVersionError(
        `no common ${api.name} version with ${this.address}: broker v${theirs.min}-${theirs.max}, kafkalab v${ours.low}-${ours.high}${want}`,
      );
    }
    return high;
  }

  /** Sends a request at the negotiated (or given) version and resolves to the decoded response body. */
  request<A extends ApiSpec>(
    api: A,
    body: MessageInput<A['request']>,
    options: RequestOptions = {},
  ): Promise<MessageValue<A['response']>> {
    // Not async: a ready connection writes now, without an extra promise and turn around it.
    if (this.state !== 'ready') return this.connect().then(() => this.requestNow(api, body, options));
    if (this.reauthDue || this.reauthenticating)
      return this.reauthenticate().then(() => this.requestNow(api, body, options));
    return this.requestNow(api, body, options);
  }

  private requestNow<A extends ApiSpec>(
    api: A,
    body: MessageInput<A['request']>,
    options: RequestOptions,
  ): Promise<MessageValue<A['response']>> {
    let version: number;
    try {
      version = options.version ?? this.versionFor(api, options);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.send(api, version, body, options.timeoutMs) as Promise<MessageValue<A['response']>>;
  }

  /**
   * Writes a request that gets no response (Produce with acks=0): resolves once the bytes are handed
   * to the socket. The correlation id is still consumed, as Kafka's client does.
   */
  async sendOneWay<A extends ApiSpec>(
    api: A,
    body: MessageInput<A['request']>,
    options: RequestOptions = {},
  ): Promise<void> {
    if (this.state !== 'ready') await this.connect();
    if (this.reauthDue || this.reauthenticating) await this.reauthenticate();
    const version = options.version ?? this.versionFor(api, options);
    const correlationId = this.takeCorrelationId();
    const frame = encodeRequestFrame({ api, version, correlationId, clientId: this.clientId, body });
    const socket = this.writable();
    if (exchangeObservers.size > 0)
      notifyObservers({ broker: `${this.host}:${this.port}`, api, version, correlationId, request: body });
    await new Promise<void>((resolve, reject) => {
      socket.write(frame, (err) =>
        err
          ? reject(
              new ConnectionError(`write to ${this.address} failed: ${err.message}`, {
                broker: this.address,
                cause: err,
              }),
            )
          : resolve(),
      );
    });
  }

  private takeCorrelationId(): number {
    const id = this.nextCorrelationId;
    // int32 on the wire; wrap before it turns negative.
    this.nextCorrelationId = id === 0x7fffffff ? 0 : id + 1;
    return id;
  }

  private writable(): net.Socket {
    if (!this.socket || this.state === 'closed' || this.socket.destroyed) {
      throw (
        this.closeError ??
        new ConnectionError(`connection to ${this.address} is closed`, { broker: this.address })
      );
    }
    return this.socket;
  }

  private send(
    api: ApiSpec,
    version: number,
    body: unknown,
    timeoutMs = this.requestTimeoutMs,
  ): Promise<unknown> {
    let socket: net.Socket;
    try {
      socket = this.writable();
    } catch (err) {
      return Promise.reject(err);
    }
    const correlationId = this.takeCorrelationId();
    const frame = encodeRequestFrame({
      api,
      version,
      correlationId,
      clientId: this.clientId,
      body: body as never,
    });
    const answer = new Promise((resolve, reject) => {
      const write = () => {
        if (this.state === 'closed') {
          reject(
            this.closeError ??
              new ConnectionError(`connection to ${this.address} is closed`, { broker: this.address }),
          );
          return;
        }
        const deadline = performance.now() + timeoutMs;
        this.inFlight.set(correlationId, { api, version, resolve, reject, deadline, timeoutMs });
        if (deadline < this.deadlineTimerAt) this.armDeadlineTimer(deadline);
        socket.write(frame);
      };
      // KIP-219: after a response carrying throttleTimeMs, nothing goes to this broker until that time
      // has passed (requests wait in order; their timeout starts when they are sent).
      const wait = this.throttledUntil - performance.now();
      if (wait > 0) setTimeout(write, Math.ceil(wait));
      else write();
    });
    if (exchangeObservers.size === 0) return answer;
    const seen = { broker: `${this.host}:${this.port}`, api, version, correlationId, request: body };
    answer.then(
      (response) => notifyObservers({ ...seen, response }),
      (error: Error) => notifyObservers({ ...seen, error }),
    );
    return answer;
  }

  private armDeadlineTimer(deadline: number): void {
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    this.deadlineTimerAt = deadline;
    // Timers may fire a fraction of a millisecond early by performance.now(); round up.
    this.deadlineTimer = setTimeout(
      () => this.onDeadlineTimer(),
      Math.max(1, Math.ceil(deadline - performance.now())),
    );
    // The socket keeps the process alive while requests are in flight; this timer need not.
    this.deadlineTimer.unref();
  }

  private onDeadlineTimer(): void {
    this.deadlineTimer = undefined;
    this.deadlineTimerAt = Number.POSITIVE_INFINITY;
    if (this.state === 'closed') return;
    const now = performance.now();
    let next = Number.POSITIVE_INFINITY;
    for (const [correlationId, entry] of this.inFlight) {
      if (entry.deadline <= now) {
        this.inFlight.delete(correlationId);
        const err = new RequestTimeoutError({
          broker: this.address,
          api: `${entry.api.name} v${entry.version}`,
          timeoutMs: entry.timeoutMs,
        });
        entry.reject(err);
        // A late answer would leave us unsure what the broker did with the others; start afresh.
        this.fail(
          new ConnectionError(`connection to ${this.address} closed after a request timed out`, {
            broker: this.address,
            cause: err,
          }),
        );
        return;
      }
      if (entry.deadline < next) next = entry.deadline;
    }
    if (next !== Number.POSITIVE_INFINITY) this.armDeadlineTimer(next);
  }

  private clearDeadlineTimer(): void {
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    this.deadlineTimer = undefined;
    this.deadlineTimerAt = Number.POSITIVE_INFINITY;
  }

  private onData(chunk: Buffer): void {
    let frames: Buffer[];
    try {
      frames = this.splitter.push(chunk);
    } catch (err) {
      this.fail(
        new ConnectionError(`bad frame from ${this.address}: ${(err as Error).message}`, {
          broker: this.address,
          cause: err,
        }),
      );
      return;
    }
    for (const frame of frames) {
      if (frame.length < 8) {
        this.fail(
          new ConnectionError(`response from ${this.address} too short for a header`, {
            broker: this.address,
          }),
        );
        return;
      }
      const correlationId = frame.readInt32BE(4);
      const entry = this.inFlight.get(correlationId);
      if (!entry) {
        this.fail(
          new ConnectionError(`response from ${this.address} with unknown correlation id ${correlationId}`, {
            broker: this.address,
          }),
        );
        return;
      }
      this.inFlight.delete(correlationId);
      try {
        const body = this.decode(frame, entry);
        const throttle = (body as { throttleTimeMs?: unknown } | null)?.throttleTimeMs;
        if (typeof throttle === 'number' && throttle > 0) {
          this.throttledUntil = Math.max(this.throttledUntil, performance.now() + throttle);
          this.throttleCount++;
        }
        entry.resolve(body);
      } catch (err) {
        const why = err instanceof DecodeError ? err.message : String(err);
        entry.reject(
          new ConnectionError(
            `cannot decode ${entry.api.name} v${entry.version} response from ${this.address}: ${why}`,
            { broker: this.address, retriable: false, cause: err },
          ),
        );
      }
    }
  }

  private decode(frame: Buffer, entry: InFlight): unknown {
    if (entry.api.apiKey === ApiVersions.apiKey && entry.version > 0)
      return decodeApiVersionsAnswer(frame, entry.version);
    return decodeResponseFrame(frame, entry.api, entry.version).body;
  }

  /** Rejects everything in flight with `err` and closes the socket. */
  private fail(err: Error): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.closeError = err;
    this.clearDeadlineTimer();
    if (this.reauthTimer) clearTimeout(this.reauthTimer);
    for (const entry of this.inFlight.values()) entry.reject(err);
    this.inFlight.clear();
    this.socket?.destroy();
    this.emitClose(err);
  }

  private emitClose(err: Error | undefined): void {
    for (const fn of [...this.closeListeners]) fn(err);
    this.closeListeners.clear();
  }

  /** Clean close: in-flight requests fail with a ConnectionError, then the socket ends. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      const socket = this.socket;
      if (this.state === 'closed' || !socket || socket.destroyed) {
        this.state = 'closed';
        resolve();
        return;
      }
      const err = new ConnectionError(`connection to ${this.address} was closed by the client`, {
        broker: this.address,
        retriable: false,
      });
      this.state = 'closed';
      this.closeError = err;
      this.clearDeadlineTimer();
      if (this.reauthTimer) clearTimeout(this.reauthTimer);
      for (const entry of this.inFlight.values()) entry.reject(err);
      this.inFlight.clear();
      socket.once('close', () => resolve());
      socket.end();
      // A peer that never acknowledges the FIN must not keep close() pending.
      setTimeout(() => socket.destroy(), 1000).unref();
      this.emitClose(undefined);
    });
    return this.closing;
  }
}
