/**
 * The JSON form of a message: the same shape Apache Kafka's generated `<Name>DataJsonConverter`
 * classes read and write, so that our output can be fed to Kafka's tools and checked against them
 * (test/oracle). It is also what `kafkalab decode --format json` prints.
 *
 * The rules, each checked against kafka-clients 3.9.1 and 4.1.1:
 * - keys are the field names in camelCase, in declaration order; only the fields the version carries;
 * - a tagged field is left out while it equals its default (Kafka's converter writes it only then);
 * - int64 is an exact JSON integer (bigint here; Kafka rejects it as a string);
 * - float64 is written with a fraction or exponent (Kafka's reader refuses `5`, wants `5.0`); the
 *   non-finite values are the strings "NaN", "Infinity", "-Infinity", as Jackson writes them (Kafka's
 *   reader cannot read those back: a Kafka limitation, not ours);
 * - bytes are standard base64 with padding; uuid is Kafka's Uuid.toString (22 base64url characters);
 * - records are base64 too. Kafka's converter *reads* them that way but *writes* an empty string in
 *   their place (it never serializes record batches to JSON), so ours carries more than Kafka's;
 *   with the `records` option the decoded batches are written beside the field (`recordsDecoded`);
 * - unknown tagged fields (which the codec keeps) have no place in Kafka's JSON and are left out.
 */
import type { Field, MessageSpec, StructType, Type } from './declare.js';
import { defaultOf, isDefault } from './defaults.js';
import { inVersions } from './versions.js';

export type KafkaJson = null | boolean | number | bigint | string | KafkaJson[] | KafkaJsonObject;
export interface KafkaJsonObject {
  [key: string]: KafkaJson;
}

/** JSON that does not fit the declaration, with the field path where it went wrong. */
export class KafkaJsonError extends Error {
  override name = 'KafkaJsonError';
  constructor(
    readonly reason: string,
    readonly path: string,
  ) {
    super(path ? `${reason} (${path})` : reason);
  }
}

/** A field and whether it sits in the tag buffer at this version; undefined when the version lacks it. */
function placement(f: Field, version: number): 'inline' | 'tagged' | undefined {
  if (f.tag !== undefined) return inVersions(version, f.taggedVersions) ? 'tagged' : undefined;
  return inVersions(version, f.versions) ? 'inline' : undefined;
}

// ---- value → JSON tree ------------------------------------------------------------------------

export interface KafkaJsonOptions {
  /**
   * Decodes the bytes of a `records` field (record batches) into JSON, written beside the field as
   * `<name>Decoded` (`recordsDecoded`); the field itself stays Kafka's base64. `path` is the field's
   * path in the body, e.g. `topicData[0].partitionData[0].records`. explain/records-json.ts has the
   * decoder (`recordsToJson`); `toKafkaJsonWithRecords` there passes it. Kafka's reader and
   * fromKafkaJson ignore the extra key.
   */
  records?: (bytes: Uint8Array | null, path: string) => KafkaJson;
}

/** The key a `records` field's decoded batches are written under, beside the field. */
export function decodedRecordsKey(field: string): string {
  return `${field}Decoded`;
}

/** The JSON tree of a message value (int64 as bigint, bytes as base64 strings). */
export function toKafkaJson(
  spec: MessageSpec,
  version: number,
  value: unknown,
  options: KafkaJsonOptions = {},
): KafkaJsonObject {
  return structToJson(spec.body, version, value ?? {}, '', options);
}

function structToJson(
  t: StructType,
  version: number,
  value: any,
  path: string,
  o: KafkaJsonOptions,
): KafkaJsonObject {
  const out: KafkaJsonObject = {};
  for (const [name, f] of Object.entries(t.fields) as [string, Field][]) {
    const where = placement(f, version);
    if (!where) continue;
    let v = value[name];
    if (v === undefined) v = defaultOf(f);
    if (where === 'tagged' && isDefault(f, v)) continue;
    const sub = path ? `${path}.${name}` : name;
    out[name] = typeToJson(f.type, version, v, sub, o);
    if (f.type.kind === 'records' && o.records) out[decodedRecordsKey(name)] = o.records(v, sub);
  }
  return out;
}

function typeToJson(t: Type, version: number, v: any, path: string, o: KafkaJsonOptions): KafkaJson {
  if (v === null) return null;
  switch (t.kind) {
    case 'bool':
    case 'int8':
    case 'int16':
    case 'uint16':
    case 'int32':
    case 'uint32':
    case 'string':
    case 'uuid':
      return v;
    case 'int64':
      return BigInt(v);
    case 'float64':
      return Number.isFinite(v) ? v : String(v); // "NaN", "Infinity", "-Infinity" like Jackson
    case 'bytes':
    case 'records':
      return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
    case 'array':
      return (v as unknown[]).map((item, i) => typeToJson(t.items, version, item, `${path}[${i}]`, o));
    case 'struct':
      return structToJson(t, version, v, path, o);
  }
}

// ---- JSON text ----------------------------------------------------------------------------------

/** The JSON text of a message value; `indent` > 0 pretty-prints. */
export function toKafkaJsonText(
  spec: MessageSpec,
  version: number,
  value: unknown,
  indent = 0,
  options: KafkaJsonOptions = {},
): string {
  return writeText(spec.body, toKafkaJson(spec, version, value, options), indent, '');
}

/**
 * JSON text of a tree with no declaration behind it (int64 stays an exact integer); what sits
 * beside a declared field, such as decoded records, is written with this.
 */
export function kafkaJsonText(v: KafkaJson, indent = 0, pad = ''): string {
  if (v === null) return 'null';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v !== 'object') return JSON.stringify(v);
  const inner = pad + ' '.repeat(indent);
  const sep = indent ? ': ' : ':';
  const parts = Array.isArray(v)
    ? v.map((x) => kafkaJsonText(x, indent, inner))
    : Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}${sep}${kafkaJsonText(x, indent, inner)}`);
  const [open, close] = Array.isArray(v) ? ['[', ']'] : ['{', '}'];
  if (parts.length === 0) return open + close;
  return indent
    ? `${open}\n${inner}${parts.join(`,\n${inner}`)}\n${pad}${close}`
    : `${open}${parts.join(',')}${close}`;
}

function writeText(t: Type, v: KafkaJson, indent: number, pad: string): string {
  if (v === null) return 'null';
  if (t.kind === 'float64' && typeof v === 'number') return floatText(v);
  if (t.kind === 'array') {
    const items = v as KafkaJson[];
    if (items.length === 0) return '[]';
    const inner = pad + ' '.repeat(indent);
    const parts = items.map((x) => writeText(t.items, x, indent, inner));
    return indent ? `[\n${inner}${parts.join(`,\n${inner}`)}\n${pad}]` : `[${parts.join(',')}]`;
  }
  if (t.kind === 'struct') {
    const obj = v as KafkaJsonObject;
    const keys = Object.keys(obj);
    if (keys.length === 0) return '{}';
    const inner = pad + ' '.repeat(indent);
    const sep = indent ? ': ' : ':';
    const parts = keys.map((k) => {
      const f = t.fields[k] as Field | undefined;
      const text = f ? writeText(f.type, obj[k], indent, inner) : kafkaJsonText(obj[k], indent, inner);
      return `${JSON.stringify(k)}${sep}${text}`;
    });
    return indent ? `{\n${inner}${parts.join(`,\n${inner}`)}\n${pad}}` : `{${parts.join(',')}}`;
  }
  if (typeof v === 'bigint') return v.toString();
  return JSON.stringify(v);
}

/** Kafka reads float64 only from a JSON floating-point literal: `5` is refused, `5.0` accepted. */
function floatText(x: number): string {
  if (!Number.isFinite(x)) return JSON.stringify(String(x));
  if (Object.is(x, -0)) return '-0.0';
  const s = String(x);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

/**
 * Parses JSON text keeping integers exact: an integer literal outside ±2^53 becomes a bigint (JSON.parse
 * alone would round it). Everything else is as JSON.parse gives it.
 */
export function parseKafkaJson(text: string): KafkaJson {
  // With no run of 16+ digits anywhere, every integer literal is below 2^53 and JSON.parse is exact.
  if (!/\d{16}/.test(text)) return parseOrExplain(text);
  // Otherwise quote each long integer literal (strings are matched first, so digits inside them stay
  // put) with a marker no string of the text contains, and turn the marked strings back into integers.
  let mark = '\\u0000int64:';
  for (let i = 0; text.includes(mark); i++) mark = `\\u0000int64.${i}:`;
  let found = false;
  const quoted = text.replace(LONG_INTEGER, (m) => {
    if (m.startsWith('"')) return m;
    found = true;
    return `"${mark}${m}"`;
  });
  if (!found) return parseOrExplain(text);
  const prefix = JSON.parse(`"${mark}"`) as string;
  return parseOrExplain(quoted, (_key, v) => {
    if (typeof v !== 'string' || !v.startsWith(prefix)) return v;
    const n = BigInt(v.slice(prefix.length));
    return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
  });
}

/** A JSON string literal, or an integer literal of 16+ digits standing where a value may start. */
const LONG_INTEGER = /"(?:[^"\\]|\\.)*"|(?<=^|[:[,\s])-?\d{16,}(?![\d.eE])/g;

function parseOrExplain(text: string, reviver?: (key: string, value: any) => any): KafkaJson {
  try {
    return JSON.parse(text, reviver);
  } catch (err) {
    throw new KafkaJsonError(`not JSON: ${(err as Error).message}`, '');
  }
}

// ---- JSON → value -------------------------------------------------------------------------------

/**
 * The message value of a JSON form (tree or text). Like Kafka's reader: every field the version carries
 * inline must be there; tagged fields may be left out (→ default); fields the version lacks are
 * ignored and take their defaults.
 */
export function fromKafkaJson(spec: MessageSpec, version: number, json: KafkaJson): Record<string, unknown> {
  const tree = typeof json === 'string' ? parseKafkaJson(json) : json;
  return structFromJson(spec.body, version, tree, '');
}

function structFromJson(
  t: StructType,
  version: number,
  json: KafkaJson,
  path: string,
): Record<string, unknown> {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new KafkaJsonError(`expected an object for ${t.name}`, path);
  }
  const out: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(t.fields) as [string, Field][]) {
    const where = placement(f, version);
    const sub = path ? `${path}.${name}` : name;
    const has = Object.hasOwn(json, name);
    if (!where || (!has && where === 'tagged')) {
      out[name] = freshDefault(f);
      continue;
    }
    if (!has) throw new KafkaJsonError(`missing field, which version ${version} carries`, sub);
    const v = json[name];
    if (v === null) {
      if (!inVersions(version, f.nullableVersions))
        throw new KafkaJsonError('null is not allowed at this version', sub);
      out[name] = null;
    } else {
      out[name] = typeFromJson(f.type, version, v, sub);
    }
  }
  return out;
}

function freshDefault(f: Field): unknown {
  const d = defaultOf(f);
  if (Array.isArray(d)) return [];
  if (d instanceof Uint8Array) return Buffer.alloc(0);
  if (d !== null && typeof d === 'object') return structuredClone(d);
  return d;
}

const INT_RANGES = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
} as const;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function typeFromJson(t: Type, version: number, v: KafkaJson, path: string): unknown {
  const bad = (what: string): never => {
    throw new KafkaJsonError(
      `expected ${what}, got ${v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v}`,
      path,
    );
  };
  switch (t.kind) {
    case 'bool':
      return typeof v === 'boolean' ? v : bad('a boolean');
    case 'int8':
    case 'int16':
    case 'uint16':
    case 'int32':
    case 'uint32': {
      const [lo, hi] = INT_RANGES[t.kind];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) return bad(`an ${t.kind}`);
      return v;
    }
    case 'int64': {
      let n: bigint | undefined;
      if (typeof v === 'bigint') n = v;
      else if (typeof v === 'number' && Number.isSafeInteger(v)) n = BigInt(v);
      else if (typeof v === 'string' && /^-?\d+$/.test(v)) n = BigInt(v);
      if (n === undefined || n < -(2n ** 63n) || n >= 2n ** 63n) return bad('an int64 (an exact integer)');
      return n;
    }
    case 'float64':
      if (typeof v === 'number') return v;
      if (v === 'NaN' || v === 'Infinity' || v === '-Infinity') return Number(v);
      return bad('a float64');
    case 'string':
      return typeof v === 'string' ? v : bad('a string');
    case 'uuid':
      if (typeof v !== 'string' || !/^[A-Za-z0-9_-]{22}$/.test(v))
        return bad("a uuid (Kafka's 22-character base64url form)");
      return v;
    case 'bytes':
    case 'records':
      if (typeof v !== 'string' || !BASE64.test(v)) return bad('base64 bytes');
      return Buffer.from(v, 'base64');
    case 'array':
      if (!Array.isArray(v)) return bad('an array');
      return v.map((item, i) => {
        if (item === null) throw new KafkaJsonError('array elements cannot be null', `${path}[${i}]`);
        return typeFromJson(t.items, version, item, `${path}[${i}]`);
      });
    case 'struct':
      return structFromJson(t, version, v, path);
  }
}
