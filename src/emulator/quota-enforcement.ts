/**
 * Where Produce and Fetch meet the client quotas (state/quotas.ts), as KafkaApis does: a Produce
 * records its request's size against producer_byte_rate, a consumer Fetch its response's size
 * against consumer_byte_rate, both their handling time against request_percentage; the larger
 * throttle time goes into the response. A throttled Fetch answers with no data (its bytes taken
 * back), as FetchContext.getThrottledResponse does. Sizes are measured only while a quota of that
 * kind exists, so an emulator without quotas pays nothing.
 */
import { Fetch, Produce } from '../protocol/messages/index.js';
import { codecFor, isFlexible } from '../protocol/schema/codec.js';
import type { HandlerContext } from './handler.js';
import { quotasOf } from './state/quotas.js';

/** Without authentication Kafka's principal is User:ANONYMOUS; quotas match its name. */
const USER = 'ANONYMOUS';

/** ClientRequestQuotaManager: thread time recorded as a percentage of one second. */
const percentOfSecond = (ms: number) => ms / 10;
/** ClientRequestQuotaManager caps its throttle at one quota window. */
const REQUEST_QUOTA_MAX_THROTTLE_MS = 1000;

/** Request header v1 (v2 adds a tag buffer): api key, version, correlation id, client id. */
const requestHeaderBytes = (ctx: HandlerContext, flexible: boolean) =>
  2 + 2 + 4 + 2 + Buffer.byteLength(ctx.connection.clientId) + (flexible ? 1 : 0);

function requestTime(ctx: HandlerContext, startedAt: number): number {
  const quotas = quotasOf(ctx.cluster);
  if (!quotas.has('request_percentage')) return 0;
  return quotas.recordAndThrottle(
    'request_percentage',
    USER,
    ctx.connection.clientId,
    percentOfSecond(performance.now() - startedAt),
    ctx.now(),
    REQUEST_QUOTA_MAX_THROTTLE_MS,
  );
}

/** The throttle time of a Produce that was handled from `startedAt` (performance.now()). */
export function produceThrottleMs(ctx: HandlerContext, request: unknown, startedAt: number): number {
  const quotas = quotasOf(ctx.cluster);
  let bandwidth = 0;
  if (quotas.has('producer_byte_rate')) {
    const size =
      codecFor(Produce.request, ctx.version).encode(request as never).length +
      requestHeaderBytes(ctx, isFlexible(Produce.request, ctx.version));
    bandwidth = quotas.recordAndThrottle(
      'producer_byte_rate',
      USER,
      ctx.connection.clientId,
      size,
      ctx.now(),
    );
  }
  return Math.max(bandwidth, requestTime(ctx, startedAt));
}

/**
 * The throttle time of a consumer Fetch about to answer `response`; when it is > 0 the caller sends
 * an empty response instead (the bytes are not counted then).
 */
export function fetchThrottleMs(ctx: HandlerContext, response: unknown, startedAt: number): number {
  const quotas = quotasOf(ctx.cluster);
  let bandwidth = 0;
  let size = 0;
  if (quotas.has('consumer_byte_rate')) {
    size =
      codecFor(Fetch.response, ctx.version).encode(response as never).length +
      4 +
      (isFlexible(Fetch.response, ctx.version) ? 1 : 0);
    bandwidth = quotas.recordAndThrottle(
      'consumer_byte_rate',
      USER,
      ctx.connection.clientId,
      size,
      ctx.now(),
    );
  }
  const throttle = Math.max(bandwidth, requestTime(ctx, startedAt));
  if (throttle > 0 && size > 0)
    quotas.unrecord('consumer_byte_rate', USER, ctx.connection.clientId, size, ctx.now());
  return throttle;
}
