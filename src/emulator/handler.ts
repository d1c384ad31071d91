/**
 * The handler contract: what every `handlers/NN-name.ts` file implements and what the server gives it.
 *
 * A handler is thin: it receives the decoded request body, calls into `ctx.cluster` (state/*), and
 * returns the response body as a plain object; the server encodes it at the request's version, writes
 * the response header, keeps responses in request order, and records/traces the exchange. Everything a
 * handler needs comes through the context argument, never through imports of server state.
 *
 *     export default defineHandler({
 *       api: Heartbeat,
 *       versions: { min: 0, max: 4 },
 *       handle(request, ctx) {
 *         const groups = groupsOf(ctx.cluster);
 *         return { errorCode: groups.heartbeat(request.groupId, request.memberId, request.generationId) };
 *       },
 *     });
 *
 * A handler may return a promise (Fetch long-poll, JoinGroup waiting for the rebalance); the
 * connection handles no further request until it settles, as a Kafka broker mutes the channel. It may
 * return NO_RESPONSE (acks=0 Produce) or CLOSE_CONNECTION (acks=0 Produce that failed: Kafka closes
 * the connection so the producer notices and refreshes metadata). A thrown error closes the
 * connection too, like an unexpected exception in a broker's request handler would end that request.
 */
import type { RequestHeaderValue } from '../protocol/headers.js';
import type { ApiSpec, MessageInput, MessageValue } from '../protocol/schema/declare.js';
import { parseVersions } from '../protocol/schema/versions.js';
import type { Broker } from './cluster/broker.js';
import type { Cluster } from './cluster.js';
import type { EmulatorConfig } from './config.js';
import type { ConnectionSecurity } from './security/sasl-session.js';

/** Send nothing back and go on with the next request (Produce with acks=0). */
export const NO_RESPONSE: unique symbol = Symbol('NO_RESPONSE');
/** Send nothing back and close the connection (Produce with acks=0 and an error). */
export const CLOSE_CONNECTION: unique symbol = Symbol('CLOSE_CONNECTION');

export type RequestOf<A extends ApiSpec> = MessageValue<A['request']>;
export type ResponseOf<A extends ApiSpec> = MessageInput<A['response']>;

export type HandlerResult<A extends ApiSpec> = ResponseOf<A> | typeof NO_RESPONSE | typeof CLOSE_CONNECTION;

/** The client connection a request came in on. */
export interface ConnectionInfo {
  /** Emulator-wide sequence number, 1, 2, 3… in accept order. */
  readonly id: number;
  /** `address:port` of the client. */
  readonly remote: string;
  /** Client id of the latest request on this connection (a null client id reads as ''). */
  clientId: string;
  /** Listener, security protocol, principal and SASL state; absent on a plain listener. */
  readonly security?: ConnectionSecurity;
}

export interface ServedApi {
  readonly apiKey: number;
  readonly minVersion: number;
  readonly maxVersion: number;
}

export interface HandlerContext {
  /** All state: topics, producer ids, pluggable domains (groups, offsets), the clock. */
  readonly cluster: Cluster;
  /** Same object as cluster.config. */
  readonly config: EmulatorConfig;
  /** The broker whose listener received this request (one of cluster.brokers). */
  readonly broker: Broker;
  readonly connection: ConnectionInfo;
  /** The decoded request header (api key, version, correlation id, client id). */
  readonly header: RequestHeaderValue;
  /** The request's API version, already checked against the handler's `versions`. */
  readonly version: number;
  /**
   * Aborted when the connection closes or the emulator stops: a handler that parks a wait (Fetch,
   * JoinGroup) must settle when it fires, so no timer or promise outlives its client.
   */
  readonly signal: AbortSignal;
  /** The versions this emulator serves, per API key, ascending (what ApiVersions advertises). */
  readonly served: readonly ServedApi[];
  /** Milliseconds since the epoch (cluster.now()). */
  now(): number;
  /** A line for the trace output (shown with --trace), tagged with this connection and request. */
  log(message: string): void;
}

export interface Handler<A extends ApiSpec = ApiSpec> {
  readonly api: A;
  /** Versions this emulator serves: advertised by ApiVersions and enforced before `handle` runs. */
  readonly versions: { readonly min: number; readonly max: number };
  handle(request: RequestOf<A>, ctx: HandlerContext): HandlerResult<A> | Promise<HandlerResult<A>>;
  /**
   * The response to send, without touching state, when a test injects `errorCode` for this API
   * (hooks.injectError); Kafka's equivalent is AbstractRequest.getErrorResponse. Without it the server
   * handles the request normally and then sets every `errorCode` field of the response to the code.
   */
  errorResponse?(request: RequestOf<A>, errorCode: number, ctx: HandlerContext): HandlerResult<A>;
}

/** Identity function that lets TypeScript infer request and response types from `api`. */
export function defineHandler<A extends ApiSpec>(handler: Handler<A>): Handler<A> {
  return handler;
}

/**
 * The whole declared span of an API: most handlers serve every version the protocol core declares.
 * `ceiling` caps it where the protocol core declares newer versions than the handler implements.
 */
export function declaredVersions(
  api: ApiSpec,
  floor = 0,
  ceiling = Number.POSITIVE_INFINITY,
): { min: number; max: number } {
  const r = parseVersions(api.request.validVersions);
  return { min: Math.max(r.low, floor), max: Math.min(r.high, ceiling) };
}
