/**
 * The proxy's side of a connection to a broker: plain TCP, or TLS when the upstream listener is SSL
 * or SASL_SSL, and for SASL_* a login of the proxy's own before the client's first byte goes through.
 *
 * Why the proxy logs in itself: a learner points it at a secured cluster (a managed Kafka is
 * SASL_SSL) with the settings any Kafka client takes, and connects their own client to it with
 * PLAINTEXT, so every frame after the login is visible — the decoding proxy no longer stops at the
 * door. With SSL alone (no SASL in the settings) the proxy only adds TLS, and a client that logs in
 * itself (SASL_PLAINTEXT to the proxy) has its SaslHandshake/SaslAuthenticate forwarded like any
 * frame; the trace and recordings mask their secrets (src/trace/sasl-redact.ts).
 */
import net from 'node:net';
import tls from 'node:tls';
import {
  type ResolvedSecurity,
  type SaslCredentials,
  saslLogin,
  tlsConnectOptions,
} from '../client/security.js';
import { decodeResponseFrame, encodeRequestFrame, FrameSplitter } from '../protocol/frame.js';
import type { ApiSpec } from '../protocol/schema/declare.js';

/** The client id of the proxy's own requests (the login), as a broker's request log shows it. */
export const PROXY_CLIENT_ID = 'kafkalab-proxy';

export interface Upstream {
  socket: net.Socket;
  /** Resolves once the socket may carry the client's frames: connected, TLS done, logged in. */
  ready: Promise<void>;
}

export function connectUpstream(
  target: { host: string; port: number },
  security: ResolvedSecurity,
): Upstream {
  const secure = security.tls !== undefined;
  const socket = secure
    ? tls.connect(tlsConnectOptions(target.host, target.port, security.tls!))
    : net.connect({ host: target.host, port: target.port });
  socket.setNoDelay(true);
  const connected = new Promise<void>((resolve, reject) => {
    socket.once(secure ? 'secureConnect' : 'connect', () => resolve());
    socket.once('close', () => reject(new Error('closed before it was ready')));
    // The caller's 'error' listener reports the cause; this only stops waiting.
    socket.once('error', (err) => reject(err));
  });
  const sasl = security.sasl;
  const ready = sasl ? connected.then(() => login(socket, sasl, `${target.host}:${target.port}`)) : connected;
  // Rejections are the caller's to handle through `ready`; never an unhandled one.
  ready.catch(() => {});
  return { socket, ready };
}

/**
 * SaslHandshake v1 then SaslAuthenticate rounds (KIP-43, KIP-152), one request at a time on the bare
 * socket. The versions are fixed, not negotiated: v1 of both has been served since Kafka 1.0, and
 * skipping ApiVersions keeps the proxy's own requests to the login alone.
 */
async function login(socket: net.Socket, sasl: SaslCredentials, broker: string): Promise<void> {
  const splitter = new FrameSplitter({ maxFrameBytes: 1024 * 1024 });
  let waiting: { resolve: (frame: Buffer) => void; reject: (err: Error) => void } | undefined;
  const onData = (chunk: Buffer) => {
    try {
      for (const frame of splitter.push(chunk)) {
        const w = waiting;
        waiting = undefined;
        w?.resolve(frame);
      }
    } catch (err) {
      waiting?.reject(err as Error);
    }
  };
  const onClose = () => waiting?.reject(new Error(`${broker} closed the connection during the SASL login`));
  socket.on('data', onData);
  socket.on('close', onClose);
  let correlationId = 0;
  const send = async (api: ApiSpec, version: number, body: unknown): Promise<unknown> => {
    const frame = await new Promise<Buffer>((resolve, reject) => {
      waiting = { resolve, reject };
      socket.write(
        encodeRequestFrame({
          api,
          version,
          correlationId: ++correlationId,
          clientId: PROXY_CLIENT_ID,
          body,
        } as never),
      );
    });
    return decodeResponseFrame(frame, api, version).body;
  };
  try {
    await saslLogin(send, () => 1, sasl, broker);
  } finally {
    socket.off('data', onData);
    socket.off('close', onClose);
    // Held until the connection attaches its own reader: nothing the broker sends next is lost.
    socket.pause();
  }
}
