/**
 * One client connection through the proxy: one upstream connection, bytes forwarded both ways as
 * soon as a whole frame is there, every request decoded (it names its API and version) and every
 * response decoded as the answer to the request with its correlation id. Responses that carry broker
 * addresses are re-encoded at the same version with the proxy's listeners in place; nothing else is
 * ever re-encoded, so every other frame leaves byte for byte as it came.
 */
import type net from 'node:net';
import { performance } from 'node:perf_hooks';
import { DecodeError } from '../protocol/errors.js';
import { type DecodedResponse, decodeRequestFrame, decodeResponseFrame } from '../protocol/frame.js';
import { API_VERSIONS_KEY } from '../protocol/headers.js';
import { apiByKey } from '../protocol/messages/index.js';
import type { ApiSpec } from '../protocol/schema/declare.js';
import { maskInFrame, maskSaslToken, SASL_AUTHENTICATE_KEY } from '../trace/sasl-redact.js';
import {
  addressesIn,
  editResponseFrame,
  mayCarryAddresses,
  rewriteResponseFrame,
} from './address-rewrite.js';
import { FrameStream } from './frame-stream.js';
import { proxyExplain, proxyRecordLine, proxyTraceLine } from './record.js';
import type { ProxyContext, ProxyExchange } from './types.js';
import { connectUpstream } from './upstream.js';
import { capApiVersions } from './version-cap.js';

const PRODUCE_KEY = 0;
/** Requests waiting for a response on one connection before the oldest is given up (a misbehaving peer). */
const MAX_PENDING = 10_000;
/** Kafka's socket.request.max.bytes default for requests; responses may be larger (fetch.max.bytes is 50 MiB by default, but a broker may exceed it for one batch). */
const MAX_REQUEST_FRAME = 104_857_600;
const MAX_RESPONSE_FRAME = 268_435_456;

export class ProxyConnection {
  private readonly upstream: net.Socket;
  private readonly fromClient = new FrameStream(MAX_REQUEST_FRAME);
  private readonly fromUpstream = new FrameStream(MAX_RESPONSE_FRAME);
  private readonly pending = new Map<number, ProxyExchange>();
  /** Responses are handled in order; a rewrite may have to open a listener first. */
  private chain: Promise<void> = Promise.resolve();
  private clientId: string | null = null;
  private readonly remote: string;
  private closed = false;
  /** Why the connection ended, for exchanges it cut short. */
  closeReason?: string;

  constructor(
    readonly id: number,
    private readonly client: net.Socket,
    private readonly target: { host: string; port: number; nodeId?: number; local: string },
    private readonly ctx: ProxyContext,
    private readonly onClosed: () => void,
  ) {
    client.setNoDelay(true);
    const upstreamAddress = `${target.host}:${target.port}`;
    this.remote = `${client.remoteAddress}:${client.remotePort}`;
    const upstream = connectUpstream(target, ctx.upstreamSecurity);
    this.upstream = upstream.socket;
    // Bound the connect, the TLS handshake and the proxy's login: once ready, idle connections are
    // the client's business.
    this.upstream.setTimeout(ctx.connectTimeoutMs, () => {
      this.ctx.warn(
        `conn#${id}: upstream ${upstreamAddress} not ready within ${ctx.connectTimeoutMs} ms (connect${ctx.upstreamSecurity.tls ? ', TLS' : ''}${ctx.upstreamSecurity.sasl ? ', SASL login' : ''})`,
      );
      this.close('upstream connect timed out');
    });
    this.upstream.on('error', (err) => {
      this.ctx.warn(`conn#${id}: upstream ${upstreamAddress}: ${err.message}`);
      this.close(`upstream error: ${err.message}`);
    });
    // Responses still on their way through the chain go out before the client is cut off.
    this.upstream.on('close', () => void this.chain.then(() => this.close('upstream closed')));
    this.client.on('error', () => this.close('client error'));
    this.client.on('close', () => this.close('client closed'));
    // The client's bytes wait in its socket until the upstream is ready (a SASL login of the proxy's
    // own goes first); reading starts only then.
    upstream.ready.then(
      () => {
        if (this.closed) return;
        this.upstream.setTimeout(0);
        const sasl = ctx.upstreamSecurity.sasl;
        if (sasl)
          ctx.trace?.(
            `conn#${id}: logged in to ${upstreamAddress} as ${'username' in sasl ? sasl.username : 'the token principal'} (${sasl.mechanism})`,
          );
        this.client.on('data', (chunk: Buffer) => this.onClientData(chunk));
        this.upstream.on('data', (chunk: Buffer) => this.onUpstreamData(chunk));
        this.upstream.resume();
      },
      (err: Error) => {
        if (this.closed) return;
        this.ctx.warn(`conn#${id}: upstream ${upstreamAddress}: ${err.message}`);
        this.close(`upstream not ready: ${err.message}`);
      },
    );
  }

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.closeReason = reason;
    for (const x of this.pending.values()) this.finish(x, 'closed');
    this.pending.clear();
    this.client.destroy();
    this.upstream.destroy();
    this.onClosed();
  }

  // ---- client → upstream -------------------------------------------------------------------------

  private onClientData(chunk: Buffer): void {
    const out = this.fromClient.push(chunk);
    if (out.kind === 'raw') {
      if (out.reason)
        this.ctx.warn(`conn#${this.id}: request stream: ${out.reason}; forwarding the rest untouched`);
      for (const b of out.bytes) this.send(this.upstream, this.client, b);
      return;
    }
    for (const frame of out.frames) {
      this.onRequest(frame);
      this.send(this.upstream, this.client, frame);
    }
  }

  private onRequest(raw: Buffer): void {
    const at = performance.now();
    let x: ProxyExchange;
    try {
      const d = decodeRequestFrame(raw);
      this.clientId = d.header.clientId ?? null;
      x = this.exchange(raw, at, d.api.apiKey, d.version, d.header.correlationId, d.api, d.body);
    } catch (err) {
      if (!(err instanceof DecodeError)) throw err;
      // Still pair the response: the first 12 bytes of any request header are key, version, correlation id.
      const apiKey = raw.length >= 6 ? raw.readInt16BE(4) : -1;
      const version = raw.length >= 8 ? raw.readInt16BE(6) : -1;
      const correlationId = raw.length >= 12 ? raw.readInt32BE(8) : -1;
      x = this.exchange(raw, at, apiKey, version, correlationId, undefined, undefined);
      x.warnings.push(`request does not decode: ${err.message}`);
      this.ctx.warn(
        `conn#${this.id}: ${apiName(apiKey)} v${version} corr=${correlationId}: request of ${raw.length} bytes does not decode (${err.message}); forwarded untouched`,
      );
    }
    this.ctx.exchanges?.push(x);
    // acks=0: the broker sends nothing back (ProduceRequest.acks, Kafka's "fire and forget").
    if (x.apiKey === PRODUCE_KEY && x.request.body?.acks === 0) {
      this.finish(x, 'no-response');
      return;
    }
    if (this.pending.size >= MAX_PENDING) {
      const oldest = this.pending.values().next().value as ProxyExchange;
      this.pending.delete(oldest.correlationId);
      this.finish(oldest, 'no-response');
    }
    this.pending.set(x.correlationId, x);
  }

  private exchange(
    raw: Buffer,
    at: number,
    apiKey: number,
    version: number,
    correlationId: number,
    api: ApiSpec | undefined,
    body: unknown,
  ): ProxyExchange {
    return {
      conn: this.id,
      client: this.remote,
      receivedAt: Date.now(),
      listener: this.target.local,
      upstream: `${this.target.host}:${this.target.port}`,
      nodeId: this.target.nodeId,
      clientId: this.clientId,
      apiKey,
      api,
      version,
      correlationId,
      request: { raw, body, at },
      rewrites: [],
      capped: [],
      warnings: [],
      outcome: 'pending',
    };
  }

  // ---- upstream → client -------------------------------------------------------------------------

  private onUpstreamData(chunk: Buffer): void {
    const out = this.fromUpstream.push(chunk);
    if (out.kind === 'raw') {
      if (out.reason)
        this.ctx.warn(`conn#${this.id}: response stream: ${out.reason}; forwarding the rest untouched`);
      this.chain = this.chain.then(() => {
        for (const b of out.bytes) this.send(this.client, this.upstream, b);
      });
      return;
    }
    for (const frame of out.frames) {
      this.chain = this.chain
        .then(() => this.onResponse(frame))
        .catch((err: unknown) => {
          // A bug in the proxy must not stall the connection: forward the frame as it came.
          this.ctx.warn(
            `conn#${this.id}: ${err instanceof Error ? err.message : String(err)}; response forwarded untouched`,
          );
          this.send(this.client, this.upstream, frame);
        });
    }
  }

  private async onResponse(raw: Buffer): Promise<void> {
    if (this.closed) return;
    const at = performance.now();
    const correlationId = raw.length >= 8 ? raw.readInt32BE(4) : -1;
    const x = this.pending.get(correlationId);
    if (!x) {
      this.ctx.warn(
        `conn#${this.id}: response corr=${correlationId} (${raw.length} bytes) answers no request seen; forwarded untouched`,
      );
      this.send(this.client, this.upstream, raw);
      return;
    }
    this.pending.delete(correlationId);
    let forwarded = raw;
    let decoded: DecodedResponse | undefined;
    let responseVersion = x.version;
    if (x.api) {
      try {
        [decoded, responseVersion] = decodeAnswer(raw, x.api, x.version);
      } catch (err) {
        if (!(err instanceof DecodeError)) throw err;
        x.warnings.push(`response does not decode: ${err.message}`);
        this.ctx.warn(
          `conn#${this.id}: ${x.api.name} v${x.version} corr=${correlationId}: response of ${raw.length} bytes does not decode (${err.message}); forwarded untouched`,
        );
      }
    }
    if (decoded && x.api && mayCarryAddresses(x.apiKey, decoded.body)) {
      forwarded = await this.rewrite(raw, x, decoded);
    } else if (decoded && x.api && x.apiKey === API_VERSIONS_KEY && this.ctx.capVersions) {
      const r = editResponseFrame(raw, x.api, responseVersion, decoded, capApiVersions);
      if (!r.faithful) x.warnings.push('re-encoding this response changes more than the versions');
      x.capped.push(...r.notes);
      forwarded = r.frame;
    }
    if (this.closed) return;
    x.response = {
      raw: forwarded,
      original: forwarded === raw ? undefined : raw,
      body: decoded?.body,
      version: responseVersion,
      at,
    };
    this.send(this.client, this.upstream, forwarded);
    this.finish(x, 'response');
  }

  /** Swaps broker addresses for proxy listeners; returns the frame to forward. */
  private async rewrite(raw: Buffer, x: ProxyExchange, decoded: DecodedResponse): Promise<Buffer> {
    const seen = addressesIn(x.apiKey, x.version, decoded.body);
    if (seen.length === 0) return raw;
    await this.ctx.listenersFor(seen);
    const r = rewriteResponseFrame(raw, x.api as ApiSpec, x.version, decoded, (b) =>
      this.ctx.localAddressOf(b),
    );
    if (!r.faithful) x.warnings.push('re-encoding this response changes more than the addresses');
    x.rewrites.push(...r.notes);
    return r.frame;
  }

  private finish(x: ProxyExchange, outcome: 'response' | 'no-response' | 'closed'): void {
    const done = Object.assign(x, { outcome });
    if (x.apiKey === SASL_AUTHENTICATE_KEY) maskSecrets(x);
    if (outcome === 'closed' && this.closeReason) x.warnings.push(this.closeReason);
    this.ctx.trace?.(proxyTraceLine(done));
    this.ctx.explain?.(proxyExplain(done));
    this.ctx.recordLine?.(proxyRecordLine(done));
    this.ctx.onExchange?.(done);
  }

  /** Writes and, when the receiving side is full, stops reading the sending side until it drains. */
  private send(to: net.Socket, from: net.Socket, bytes: Buffer): void {
    if (this.closed || to.destroyed) return;
    if (!to.write(bytes) && !from.isPaused()) {
      from.pause();
      to.once('drain', () => from.resume());
    }
  }
}

/**
 * A client's own SASL login forwarded through the proxy: what the trace, --explain, --record and the
 * inspector show of it has the password / SCRAM proof masked (the sockets already got the real bytes).
 */
function maskSecrets(x: ProxyExchange): void {
  const token: Buffer | undefined = x.request.body?.authBytes;
  const masked = token && maskSaslToken(token);
  if (token && masked) {
    x.request = {
      ...x.request,
      raw: maskInFrame(x.request.raw, token, masked),
      body: { ...x.request.body, authBytes: masked },
    };
  }
  const answer: Buffer | undefined = x.response?.body?.authBytes;
  const maskedAnswer = answer && maskSaslToken(answer);
  if (x.response && answer && maskedAnswer) {
    x.response = {
      ...x.response,
      raw: maskInFrame(x.response.raw, answer, maskedAnswer),
      body: { ...x.response.body, authBytes: maskedAnswer },
    };
  }
}

/** KIP-511: an ApiVersions request newer than the broker knows is answered with a v0 body. */
function decodeAnswer(raw: Buffer, api: ApiSpec, version: number): [DecodedResponse, number] {
  try {
    return [decodeResponseFrame(raw, api, version), version];
  } catch (err) {
    if (api.apiKey === API_VERSIONS_KEY && version > 0) return [decodeResponseFrame(raw, api, 0), 0];
    throw err;
  }
}

function apiName(apiKey: number): string {
  return apiByKey(apiKey)?.name ?? `apiKey=${apiKey}`;
}
