/**
 * Where broker addresses travel in responses, and how the proxy swaps them for its own listeners so
 * that every connection a client opens next comes back through the proxy.
 *
 * A client learns addresses from: Metadata `brokers[]` (the bootstrap step, and every refresh);
 * FindCoordinator's single `nodeId/host/port` (v0-3) or `coordinators[]` (v4+, KIP-699) for group and
 * transaction coordinators; DescribeCluster `brokers[]` for admin clients (KIP-700); and, since
 * KIP-951, the tagged `nodeEndpoints[]` of Produce (v10+) and Fetch (v16+) responses, which name a
 * partition's new leader so that the client can skip a Metadata round trip. Anything else is left
 * alone: the proxy "changes nothing else".
 */
import type { DecodedResponse } from '../protocol/frame.js';
import { ResponseHeader } from '../protocol/headers.js';
import { Reader } from '../protocol/primitives/reader.js';
import { codecFor } from '../protocol/schema/codec.js';
import type { ApiSpec } from '../protocol/schema/declare.js';

/** An upstream broker address as a response gave it. */
export interface BrokerAddress {
  nodeId: number;
  host: string;
  port: number;
}

/** The proxy's answer: where a client should connect instead. */
export type AddressMap = (broker: BrokerAddress) => { host: string; port: number };

export interface RewriteResult {
  /** How many addresses were replaced by a different one. */
  changed: number;
  /** `node 0 127.0.0.1:9092 → 127.0.0.1:40111`, one per replaced address. */
  notes: string[];
}

/** The APIs whose responses may carry broker addresses. */
export const ADDRESS_APIS: ReadonlySet<number> = new Set([0, 1, 3, 10, 60]);

/**
 * Replaces broker addresses in a decoded response body in place. `version` matters only where the
 * shape changes with it (FindCoordinator); `endpointType` 2 (DescribeCluster v1 asking for
 * controllers, KIP-919) is rewritten too: the proxy then forwards to the controller listener.
 */
export function rewriteAddresses(apiKey: number, version: number, body: any, map: AddressMap): RewriteResult {
  const result: RewriteResult = { changed: 0, notes: [] };
  const swap = (o: any, idKey: 'nodeId' | 'brokerId') => {
    if (o === null || typeof o !== 'object') return;
    const nodeId = o[idKey] as number;
    // An error answer carries nodeId -1, host "" and port -1: there is nothing to reach.
    if (typeof o.host !== 'string' || o.host === '' || typeof o.port !== 'number' || o.port < 0) return;
    const to = map({ nodeId, host: o.host, port: o.port });
    if (to.host === o.host && to.port === o.port) return;
    result.notes.push(`node ${nodeId} ${o.host}:${o.port} → ${to.host}:${to.port}`);
    result.changed++;
    o.host = to.host;
    o.port = to.port;
  };
  const each = (list: unknown, idKey: 'nodeId' | 'brokerId') => {
    if (Array.isArray(list)) for (const item of list) swap(item, idKey);
  };
  switch (apiKey) {
    case 0: // Produce
    case 1: // Fetch
      each(body.nodeEndpoints, 'nodeId');
      break;
    case 3: // Metadata
      each(body.brokers, 'nodeId');
      break;
    case 10: // FindCoordinator
      if (version <= 3) swap(body, 'nodeId');
      else each(body.coordinators, 'nodeId');
      break;
    case 60: // DescribeCluster
      each(body.brokers, 'brokerId');
      break;
  }
  return result;
}

/** Whether a decoded response of this API carries any address worth a re-encode. */
export function mayCarryAddresses(apiKey: number, body: any): boolean {
  if (!ADDRESS_APIS.has(apiKey)) return false;
  // Produce and Fetch carry nodeEndpoints only when a leader moved; skip re-encoding the rest.
  if (apiKey === 0 || apiKey === 1)
    return Array.isArray(body?.nodeEndpoints) && body.nodeEndpoints.length > 0;
  return true;
}

/** Every broker address a decoded response names (nothing is changed). */
export function addressesIn(apiKey: number, version: number, body: any): BrokerAddress[] {
  const seen: BrokerAddress[] = [];
  rewriteAddresses(apiKey, version, body, (b) => {
    seen.push(b);
    return b;
  });
  return seen;
}

export interface RewrittenFrame extends RewriteResult {
  /** The frame to forward: the original itself when nothing changed. */
  frame: Buffer;
  /**
   * Whether the untouched decoded body encodes back to the very bytes that came. When it does, the
   * rewritten frame differs from the original in the addresses only.
   */
  faithful: boolean;
}

/**
 * Changes a decoded response body (in place) with `edit` and re-encodes it at the same version. The
 * header is kept byte for byte (with any tagged fields it has); only the body is re-encoded. `edit`
 * returns one note per change; with none, the original frame is returned.
 */
export function editResponseFrame(
  raw: Buffer,
  api: ApiSpec,
  version: number,
  decoded: DecodedResponse,
  edit: (body: any) => RewriteResult,
): RewrittenFrame {
  const codec = codecFor(api.response, version);
  const header = new Reader(raw, { offset: 4 });
  codecFor(ResponseHeader, decoded.headerVersion).read(header);
  const bodyStart = header.offset;
  const faithful = codec.encode(decoded.body).equals(raw.subarray(bodyStart));
  const result = edit(decoded.body);
  if (result.changed === 0) return { ...result, frame: raw, faithful };
  const body = codec.encode(decoded.body);
  const frame = Buffer.allocUnsafe(bodyStart + body.length);
  frame.writeInt32BE(frame.length - 4, 0);
  raw.copy(frame, 4, 4, bodyStart);
  body.copy(frame, bodyStart);
  return { ...result, frame, faithful };
}

/** Rewrites the broker addresses of a decoded response frame (see editResponseFrame). */
export function rewriteResponseFrame(
  raw: Buffer,
  api: ApiSpec,
  version: number,
  decoded: DecodedResponse,
  map: AddressMap,
): RewrittenFrame {
  return editResponseFrame(raw, api, version, decoded, (body) =>
    rewriteAddresses(api.apiKey, version, body, map),
  );
}
