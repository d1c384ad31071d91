/**
 * Turns a decoded response (or any checkpoint value) into plain JSON in which two brokers that behave
 * alike give equal values: volatile fields (ids a broker makes up, clocks, addresses, free-text
 * messages) become placeholders, bigints and bytes become strings, record batches become the records
 * a consumer would see, and this run's unique suffix is taken out of names.
 */
import { apiByKey } from '../../src/protocol/messages/index.js';
import { decodeRecordBatches } from '../../src/protocol/records/index.js';

export type Plain = null | boolean | number | string | Plain[] | { [key: string]: Plain };

/**
 * Field names whose value one broker makes up and another cannot know: replaced by `<name>` when
 * set. Each for a reason:
 * - clusterId, topicId, memberId, leader (JoinGroup's leader member id), producerId, sessionId
 *   (fetch sessions, KIP-227): random or counter ids chosen by the broker;
 * - throttleTimeMs (quota-dependent), logAppendTimeMs, currentTime-like fields: clocks;
 * - nodeId, leaderId, controllerId, coordinatorId, host, port, clientHost: addresses of the broker
 *   and of us (both targets run node 0 on 127.0.0.1 today, but an external broker need not);
 * - errorMessage: free text, worded differently by every implementation (the code is compared).
 */
const VOLATILE = new Set([
  'clusterId',
  'topicId',
  'memberId',
  'leader',
  'producerId',
  'sessionId',
  'throttleTimeMs',
  'logAppendTimeMs',
  'nodeId',
  'leaderId',
  'controllerId',
  'host',
  'port',
  'clientHost',
  'errorMessage',
]);

/** -1 (and null) stay as they are where they mean "none": a placeholder would hide a real difference. */
function placeholder(key: string, value: unknown): Plain | undefined {
  if (!VOLATILE.has(key)) return undefined;
  // errorMessage: null and text alike, since brokers differ in whether they explain at all.
  if (key === 'errorMessage') return '<errorMessage>';
  if (value === null || value === -1 || value === -1n || value === '') return plainOf(value);
  if (key === 'topicId' && value === 'AAAAAAAAAAAAAAAAAAAAAA') return value;
  return `<${key}>`;
}

function plainOf(value: unknown): Plain {
  if (typeof value === 'bigint') return `${value}n`;
  return value as Plain;
}

/**
 * Lists whose order carries no meaning and whose members have a natural key become objects keyed by
 * it, so that one missing member shows as one difference (`apiKeys.DescribeAcls`) rather than a shift
 * of every later index: ApiVersions' apiKeys by API name, CreateTopics' configs by config name.
 */
const KEYED: Record<string, (list: unknown[]) => Map<string, unknown> | undefined> = {
  apiKeys: (list) => byField(list, 'apiKey', (k) => apiByKey(Number(k))?.name ?? `api-${k}`),
  configs: (list) => byField(list, 'name', String),
  supportedFeatures: (list) => byField(list, 'name', String),
  finalizedFeatures: (list) => byField(list, 'name', String),
};

function byField(
  list: unknown[],
  field: string,
  name: (k: unknown) => string,
): Map<string, unknown> | undefined {
  if (!list.every((x) => typeof x === 'object' && x !== null && field in x)) return undefined;
  return new Map(list.map((x) => [name((x as Record<string, unknown>)[field]), x]));
}

export interface NormaliseOptions {
  /** This run's unique suffix (see ScenarioContext.name), replaced by `<run>`. */
  runId: string;
}

export function normalise(value: unknown, options: NormaliseOptions, key = ''): Plain {
  const fixed = placeholder(key, value);
  if (fixed !== undefined) return fixed;
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'string') return value.split(options.runId).join('<run>');
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Uint8Array) {
    if (key === 'records') return recordsOf(value, options);
    return `base64:${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')}`;
  }
  if (Array.isArray(value)) {
    const keyed = KEYED[key]?.(value);
    if (keyed) return normalise(keyed, options, key);
    return value.map((v) => normalise(v, options, key));
  }
  if (value instanceof Map)
    return Object.fromEntries([...value].map(([k, v]) => [String(k), normalise(v, options, String(k))]));
  if (typeof value === 'object') {
    const out: { [k: string]: Plain } = {};
    for (const [k, v] of Object.entries(value)) {
      // Unknown tagged fields kept by the codec are not part of the message's meaning.
      if (k === 'unknownTaggedFields' || k === '_unknownTaggedFields') continue;
      out[k] = normalise(v, options, k);
    }
    return out;
  }
  return String(value);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function text(bytes: Buffer | null, options: NormaliseOptions): Plain {
  if (bytes === null) return null;
  try {
    return normalise(utf8.decode(bytes), options);
  } catch {
    return `base64:${bytes.toString('base64')}`;
  }
}

/**
 * A Fetch response's records as a consumer sees them: per batch its compression, timestamp type and
 * records (offset, key, value, headers). Left out: CRC and lengths (they follow from the rest and
 * from the codec's output, which differs between zlib/lz4/zstd implementations), timestamps (clocks),
 * producer id/epoch (volatile), leader epoch.
 */
function recordsOf(bytes: Uint8Array, options: NormaliseOptions): Plain {
  if (bytes.byteLength === 0) return [];
  try {
    const { batches, truncatedBytes } = decodeRecordBatches(bytes);
    const out: Plain[] = batches.map((b) => ({
      baseOffset: `${b.baseOffset}n`,
      compression: b.attributes.compression,
      timestampType: b.attributes.timestampType,
      isTransactional: b.attributes.isTransactional,
      isControl: b.attributes.isControl,
      baseSequence: b.baseSequence,
      records: b.records.map((r) => ({
        offset: `${r.offset}n`,
        key: text(r.key, options),
        value: text(r.value, options),
        headers: r.headers.map((h) => ({ key: h.key, value: text(h.value, options) })),
      })),
    }));
    if (truncatedBytes > 0) out.push({ truncatedBytes: '<partial batch>' });
    return out;
  } catch (err) {
    return `undecodable records: ${(err as Error).message}`;
  }
}
