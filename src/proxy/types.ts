/** What a proxied exchange looks like to tests and renderers, and what a connection needs from the proxy. */
import type { ResolvedSecurity } from '../client/security.js';
import type { ApiSpec } from '../protocol/schema/declare.js';
import type { BrokerAddress } from './address-rewrite.js';

export interface ProxyExchange {
  conn: number;
  /** The client's `address:port`. */
  client: string;
  /** The proxy address the client connected to. */
  listener: string;
  /** Where the proxy forwarded it, and which broker that is when a response named it. */
  upstream: string;
  nodeId?: number;
  clientId: string | null;
  apiKey: number;
  /** Undefined when the request did not decode (unknown API key or version). */
  api?: ApiSpec;
  version: number;
  correlationId: number;
  /** Wall clock (epoch ms) when the request reached the proxy. */
  receivedAt: number;
  /** `at`: performance.now() when the frame reached the proxy. */
  request: { raw: Buffer; body?: any; at: number };
  /**
   * `raw` is what the client got; `original` what the broker sent, when the proxy changed it;
   * `version` differs from the request's only for a KIP-511 ApiVersions fallback (v0 body).
   */
  response?: { raw: Buffer; original?: Buffer; body?: any; version: number; at: number };
  /** `node 0 127.0.0.1:9092 → 127.0.0.1:40111`, one per address replaced. */
  rewrites: string[];
  /** `capped Metadata v13 → v12`, one per version lowered in an ApiVersions answer (capVersions). */
  capped: string[];
  warnings: string[];
  outcome: 'pending' | 'response' | 'no-response' | 'closed';
}

/** The proxy as its connections see it. */
export interface ProxyContext {
  connectTimeoutMs: number;
  /** How the proxy reaches the brokers: TLS and its own SASL login when the upstream needs them. */
  upstreamSecurity: ResolvedSecurity;
  trace?: (line: string) => void;
  explain?: (text: string) => void;
  warn(line: string): void;
  /** Lower ApiVersions answers to the versions kafkalab declares (src/proxy/version-cap.ts). */
  capVersions: boolean;
  /** One JSON line per exchange, in the emulator's `--record` format (src/proxy/record.ts). */
  recordLine?: (line: string) => void;
  exchanges?: ProxyExchange[];
  /** Every finished exchange, as it finishes (the inspector's feed). */
  onExchange?: (x: ProxyExchange) => void;
  /** Opens (once) a local listener for each of these upstream brokers. */
  listenersFor(brokers: readonly BrokerAddress[]): Promise<void>;
  /** The local address standing for an upstream broker (its listener must exist). */
  localAddressOf(broker: BrokerAddress): { host: string; port: number };
}
