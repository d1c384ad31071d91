/**
 * The one engine that turns a declaration plus a version into an encoder and a decoder.
 * All version logic lives here and nowhere else: compact vs classic lengths, nullable forms, a
 * TAG_BUFFER per struct in flexible versions, unknown tags kept and written back, absent fields
 * taking their defaults, and an error (not silent loss) when a non-ignorable field is set that the
 * chosen version cannot carry. Codecs are compiled once per (declaration, version) and cached.
 */
import { annotateDecode, annotateEncode, DecodeError, EncodeError } from '../errors.js';
import { Reader } from '../primitives/reader.js';
import type { Span, SpanRecorder } from '../primitives/spans.js';
import type { WireType } from '../primitives/wire-types.js';
import { Writer } from '../primitives/writer.js';
import type {
  Field,
  MessageInput,
  MessageSpec,
  MessageValue,
  RawTaggedField,
  StructType,
  Type,
} from './declare.js';
import { defaultOf, isDefault, ZERO_UUID } from './defaults.js';
import { inVersions } from './versions.js';

type Enc = (w: Writer, v: any) => void;
type Dec = (r: Reader) => any;

/** How one type is written at one version: encoder, decoder, wire name, least bytes it can take. */
interface TypeCodec {
  enc: Enc;
  dec: Dec;
  wire: WireType;
  minSize: number;
  /** Structs and arrays record their own spans; scalars get one value span from the caller. */
  container: boolean;
  /** A short explanation of an encoding that is not obvious. */
  note?: (value: any) => string | undefined;
}

interface FieldPlan {
  name: string;
  field: Field;
  codec: TypeCodec;
  /** Whether null is allowed at this version. */
  nullable: boolean;
  defaultValue: unknown;
}

interface StructPlan {
  inline: FieldPlan[];
  tagged: Map<number, FieldPlan>;
  /** Fields the version does not carry: decode fills defaults, encode refuses non-default values. */
  absent: { name: string; field: Field }[];
  flexible: boolean;
  minSize: number;
}

export interface Codec<V = any, I = any> {
  readonly spec: MessageSpec;
  readonly version: number;
  readonly flexible: boolean;
  /** Encodes into a fresh buffer. */
  encode(value: I): Buffer;
  /** Appends to an existing writer (frames, headers). */
  write(w: Writer, value: I): void;
  /** Reads from the reader's offset; leaves the offset after the message. */
  read(r: Reader): V;
  /** Decodes a whole buffer; trailing bytes are an error. */
  decode(bytes: Uint8Array, options?: { recorder?: SpanRecorder }): V;
}

const codecCache = new WeakMap<MessageSpec, Map<number, Codec>>();

export function isFlexible(spec: MessageSpec, version: number): boolean {
  return inVersions(version, spec.flexibleVersions);
}

export function codecFor<M extends MessageSpec<any>>(
  spec: M,
  version: number,
): Codec<MessageValue<M>, MessageInput<M>> {
  let byVersion = codecCache.get(spec);
  if (!byVersion) {
    byVersion = new Map();
    codecCache.set(spec, byVersion);
  }
  let codec = byVersion.get(version);
  if (!codec) {
    if (!inVersions(version, spec.validVersions)) {
      throw new EncodeError(`${spec.name} has no version ${version} (valid: ${spec.validVersions})`);
    }
    codec = compileMessage(spec, version);
    byVersion.set(version, codec);
  }
  return codec as Codec<MessageValue<M>, MessageInput<M>>;
}

function compileMessage(spec: MessageSpec, version: number): Codec {
  const flexible = isFlexible(spec, version);
  const body = structCodec(spec.body, version, flexible, false);
  return {
    spec,
    version,
    flexible,
    encode(value) {
      const w = new Writer();
      body.enc(w, value ?? {});
      return w.finish();
    },
    write(w, value) {
      body.enc(w, value ?? {});
    },
    read(r) {
      return body.dec(r);
    },
    decode(bytes, options = {}) {
      const r = new Reader(bytes, { recorder: options.recorder });
      const value = body.dec(r);
      if (r.remaining !== 0) {
        throw new DecodeError(`${r.remaining} unexpected bytes after ${spec.name} v${version}`, r.offset);
      }
      return value;
    },
  };
}

// ---- structs -----------------------------------------------------------------------------------

const planCache = new WeakMap<StructType, Map<string, StructPlan>>();

function planStruct(t: StructType, version: number, flexible: boolean): StructPlan {
  const key = `${version}/${flexible}`;
  let byKey = planCache.get(t);
  if (!byKey) {
    byKey = new Map();
    planCache.set(t, byKey);
  }
  const cached = byKey.get(key);
  if (cached) return cached;

  const plan: StructPlan = { inline: [], tagged: new Map(), absent: [], flexible, minSize: flexible ? 1 : 0 };
  byKey.set(key, plan); // set before recursing: a struct type never contains itself, but be safe
  for (const [name, f] of Object.entries(t.fields) as [string, Field][]) {
    const isTagged = f.tag !== undefined && inVersions(version, f.taggedVersions);
    const present = isTagged || (f.tag === undefined && inVersions(version, f.versions));
    if (!present) {
      plan.absent.push({ name, field: f });
      continue;
    }
    const nullable = inVersions(version, f.nullableVersions);
    const fieldFlexible =
      isTagged || (f.flexibleVersions !== undefined ? inVersions(version, f.flexibleVersions) : flexible);
    const fp: FieldPlan = {
      name,
      field: f,
      codec: typeCodec(f.type, version, fieldFlexible, nullable),
      nullable,
      defaultValue: defaultOf(f),
    };
    if (isTagged) {
      if (!flexible) throw new Error(`${t.name}.${name}: tagged field in a non-flexible version ${version}`);
      plan.tagged.set(f.tag!, fp);
    } else {
      plan.inline.push(fp);
      plan.minSize += fp.codec.minSize;
    }
  }
  return plan;
}

function structCodec(t: StructType, version: number, flexible: boolean, nullable: boolean): TypeCodec {
  const plan = planStruct(t, version, flexible);
  const taggedSorted = [...plan.tagged.entries()].sort((a, b) => a[0] - b[0]);

  const encFields: Enc = (w, value) => {
    for (const fp of plan.inline) {
      let v = value[fp.name];
      if (v === undefined) v = fp.defaultValue;
      try {
        if (v === null && !fp.nullable)
          throw new EncodeError(`null is not allowed for ${fp.field.type.kind} at version ${version}`);
        fp.codec.enc(w, v);
      } catch (err) {
        throw annotateEncode(err, fp.name);
      }
    }
    for (const a of plan.absent) {
      const v = value[a.name];
      if (!a.field.ignorable && !isDefault(a.field, v)) {
        throw new EncodeError(
          `${t.name}.${a.name} cannot be written at version ${version} (versions ${a.field.taggedVersions ?? a.field.versions}) and is not ignorable; leave it unset or pick another version`,
          a.name,
        );
      }
    }
    if (flexible) writeTagBuffer(w, value, taggedSorted);
  };

  const decFields: Dec = (r) => {
    const out: Record<string, unknown> = {};
    const rec = r.recorder;
    for (const fp of plan.inline) {
      const start = r.offset;
      try {
        if (rec) rec.enter(fp.name);
        const v = fp.codec.dec(r);
        if (v === null && !fp.nullable) {
          throw new DecodeError(`non-nullable field was serialized as null`, start);
        }
        out[fp.name] = v;
        if (rec) {
          // Containers record their own spans, a null one included (as a single value span).
          if (!fp.codec.container) {
            rec.add({
              offset: start,
              length: r.offset - start,
              wireType: fp.codec.wire,
              value: v,
              kind: 'value',
              note: fp.codec.note?.(v),
            });
          }
          rec.leave();
        }
      } catch (err) {
        throw annotateDecode(err, fp.name, start);
      }
    }
    for (const a of plan.absent) out[a.name] = cloneDefault(defaultOf(a.field));
    for (const fp of plan.tagged.values()) out[fp.name] = cloneDefault(fp.defaultValue);
    if (flexible) readTagBuffer(r, out, plan.tagged);
    return out;
  };

  const enc: Enc = nullable
    ? (w, v) => {
        if (v === null) return w.int8(-1);
        w.int8(1);
        encFields(w, v);
      }
    : encFields;

  const dec: Dec = (r) => {
    const rec = r.recorder;
    const span = rec ? rec.open(r.offset, nullable ? 'NULLABLE_STRUCT' : 'STRUCT', t.name) : undefined;
    if (nullable) {
      const at = r.offset;
      const presence = r.int8();
      if (rec) {
        // A null struct is nothing but its presence byte: one value span at the field's own path.
        if (presence < 0)
          rec.add({
            offset: at,
            length: 1,
            wireType: 'INT8',
            kind: 'value',
            value: null,
            note: '-1 = null struct',
          });
        else
          rec.add({
            offset: at,
            length: 1,
            wireType: 'INT8',
            kind: 'length',
            value: presence,
            note: '1 = struct present',
            path: rec.path + '.<present>',
          });
      }
      if (presence < 0) {
        if (span) rec!.close(span, r.offset);
        return null;
      }
    }
    const value = decFields(r);
    if (span) rec!.close(span, r.offset);
    return value;
  };

  return {
    enc,
    dec,
    wire: nullable ? 'NULLABLE_STRUCT' : 'STRUCT',
    minSize: nullable ? 1 : plan.minSize,
    container: true,
  };
}

/**
 * A fresh copy of a default, so that callers may mutate what they decoded. Defaults are plain
 * objects, empty arrays and immutable scalars; a hand-written copy is several times cheaper than
 * structuredClone, which showed as half of a Produce response decode (absent currentLeader structs).
 */
function cloneDefault(v: unknown): unknown {
  if (Array.isArray(v)) return [];
  if (v === null || typeof v !== 'object' || v instanceof Uint8Array) return v;
  const copy: Record<string, unknown> = {};
  for (const key in v) copy[key] = cloneDefault((v as Record<string, unknown>)[key]);
  return copy;
}

// ---- tagged fields (KIP-482) -------------------------------------------------------------------

function writeTagBuffer(w: Writer, value: any, tagged: [number, FieldPlan][]): void {
  const unknown: RawTaggedField[] = value._unknownTaggedFields ?? [];
  const known: [number, FieldPlan, unknown][] = [];
  for (const [tag, fp] of tagged) {
    const v = value[fp.name];
    // Kafka writes a tagged field only when it differs from its default.
    if (!isDefault(fp.field, v)) known.push([tag, fp, v]);
  }
  w.uvarint(known.length + unknown.length);
  if (known.length + unknown.length === 0) return;
  const entries: { tag: number; write: () => void }[] = [];
  for (const [tag, fp, v] of known) {
    entries.push({
      tag,
      write: () => {
        const sub = new Writer(64);
        try {
          if (v === null && !fp.nullable) throw new EncodeError(`null is not allowed here`);
          fp.codec.enc(sub, v);
        } catch (err) {
          throw annotateEncode(err, fp.name);
        }
        const bytes = sub.finish();
        w.uvarint(tag);
        w.uvarint(bytes.length);
        w.bytes(bytes);
      },
    });
  }
  for (const u of unknown) {
    if (tagged.some(([tag]) => tag === u.tag))
      throw new EncodeError(`unknown tagged field ${u.tag} collides with a declared tag`);
    entries.push({
      tag: u.tag,
      write: () => {
        w.uvarint(u.tag);
        w.uvarint(u.data.length);
        w.bytes(u.data);
      },
    });
  }
  entries.sort((a, b) => a.tag - b.tag);
  for (const e of entries) e.write();
}

function readTagBuffer(r: Reader, out: Record<string, unknown>, tagged: Map<number, FieldPlan>): void {
  const rec = r.recorder;
  const start = r.offset;
  const span = rec ? rec.open(start, 'TAG_BUFFER') : undefined;
  if (rec) rec.enter('<tags>');
  try {
    const count = r.uvarint();
    if (rec) {
      rec.add({
        offset: start,
        length: r.offset - start,
        wireType: 'UNSIGNED_VARINT',
        kind: 'length',
        value: count,
        note:
          count === 0
            ? 'tag buffer: 0 = no tagged fields'
            : `tag buffer: ${count} tagged field${count === 1 ? '' : 's'}`,
      });
    }
    r.checkCount(count, 2, 'tagged field count', start);
    let unknown: RawTaggedField[] | undefined;
    for (let i = 0; i < count; i++) {
      const tagAt = r.offset;
      const tag = r.uvarint();
      const size = r.uvarint();
      r.need(size);
      const fp = tagged.get(tag);
      const end = r.offset + size;
      if (rec)
        rec.add({
          offset: tagAt,
          length: r.offset - tagAt,
          wireType: 'TAGGED_FIELD',
          kind: 'length',
          value: { tag, size },
          note: `tag ${tag}${fp ? ` (${fp.name})` : ' (unknown, kept verbatim)'}, ${size} bytes`,
        });
      if (fp) {
        const sub = new Reader(r.buf, { offset: r.offset, end, recorder: rec });
        if (rec) rec.leave();
        if (rec) rec.enter(fp.name);
        const valueAt = sub.offset;
        try {
          const v = fp.codec.dec(sub);
          if (v === null && !fp.nullable)
            throw new DecodeError('non-nullable tagged field was serialized as null', valueAt);
          out[fp.name] = v;
          if (rec && !fp.codec.container) {
            rec.add({
              offset: valueAt,
              length: sub.offset - valueAt,
              wireType: fp.codec.wire,
              value: v,
              kind: 'value',
              note: fp.codec.note?.(v),
            });
          }
        } catch (err) {
          throw annotateDecode(err, fp.name, valueAt);
        }
        if (sub.offset !== end) {
          throw new DecodeError(
            `tagged field ${tag} declared ${size} bytes but its value took ${sub.offset - valueAt}`,
            valueAt,
            fp.name,
          );
        }
        if (rec) rec.leave();
        if (rec) rec.enter('<tags>');
      } else {
        unknown ??= [];
        unknown.push({ tag, data: Buffer.from(r.buf.subarray(r.offset, end)) });
        if (rec && size > 0)
          rec.add({
            offset: r.offset,
            length: size,
            wireType: 'RAW',
            kind: 'value',
            value: r.buf.subarray(r.offset, end),
          });
      }
      r.offset = end;
    }
    if (unknown) out._unknownTaggedFields = unknown;
  } finally {
    if (rec) {
      rec.leave();
      rec.close(span!, r.offset);
    }
  }
}

// ---- types -------------------------------------------------------------------------------------

function typeCodec(t: Type, version: number, flexible: boolean, nullable: boolean): TypeCodec {
  switch (t.kind) {
    case 'bool':
      return {
        enc: (w, v) => w.bool(checkBool(v)),
        dec: (r) => r.bool(),
        wire: 'BOOLEAN',
        minSize: 1,
        container: false,
      };
    case 'int8':
      return { enc: (w, v) => w.int8(v), dec: (r) => r.int8(), wire: 'INT8', minSize: 1, container: false };
    case 'int16':
      return {
        enc: (w, v) => w.int16(v),
        dec: (r) => r.int16(),
        wire: 'INT16',
        minSize: 2,
        container: false,
      };
    case 'uint16':
      return {
        enc: (w, v) => w.uint16(v),
        dec: (r) => r.uint16(),
        wire: 'UINT16',
        minSize: 2,
        container: false,
      };
    case 'int32':
      return {
        enc: (w, v) => w.int32(v),
        dec: (r) => r.int32(),
        wire: 'INT32',
        minSize: 4,
        container: false,
      };
    case 'uint32':
      return {
        enc: (w, v) => w.uint32(v),
        dec: (r) => r.uint32(),
        wire: 'UINT32',
        minSize: 4,
        container: false,
      };
    case 'int64':
      return {
        enc: (w, v) => w.int64(toBigInt(v)),
        dec: (r) => r.int64(),
        wire: 'INT64',
        minSize: 8,
        container: false,
      };
    case 'float64':
      return {
        enc: (w, v) => w.float64(checkNumber(v)),
        dec: (r) => r.float64(),
        wire: 'FLOAT64',
        minSize: 8,
        container: false,
      };
    case 'uuid':
      return {
        enc: writeUuid,
        dec: readUuid,
        wire: 'UUID',
        minSize: 16,
        container: false,
        note: (v) => (v === ZERO_UUID ? 'all-zero uuid = none' : undefined),
      };
    case 'string':
      return stringCodec(flexible, nullable);
    case 'bytes':
    case 'records':
      return bytesCodec(flexible, nullable, t.kind === 'records');
    case 'array':
      return arrayCodec(t.items, version, flexible, nullable);
    case 'struct':
      return structCodec(t, version, flexible, nullable);
  }
}

/** Kafka refuses a null where the version does not allow one ("non-nullable field was serialized as null"). */
function nullOrThrow(nullable: boolean, at: number): null {
  if (!nullable) throw new DecodeError('non-nullable field was serialized as null', at);
  return null;
}

function checkBool(v: unknown): boolean {
  if (typeof v !== 'boolean') throw new EncodeError(`expected a boolean, got ${typeof v}`);
  return v;
}

function checkNumber(v: unknown): number {
  if (typeof v !== 'number') throw new EncodeError(`expected a number, got ${typeof v}`);
  return v;
}

function toBigInt(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  throw new EncodeError(`expected an int64 (bigint or safe integer), got ${String(v)}`);
}

function writeUuid(w: Writer, v: string): void {
  const bytes = typeof v === 'string' ? Buffer.from(v, 'base64url') : undefined;
  if (bytes?.length !== 16)
    throw new EncodeError(`expected a uuid as 22 base64url characters (Kafka's Uuid form), got ${String(v)}`);
  w.bytes(bytes);
}

function readUuid(r: Reader): string {
  return r.bytes(16).toString('base64url');
}

function stringCodec(flexible: boolean, nullable: boolean): TypeCodec {
  const wire: WireType = flexible
    ? nullable
      ? 'COMPACT_NULLABLE_STRING'
      : 'COMPACT_STRING'
    : nullable
      ? 'NULLABLE_STRING'
      : 'STRING';
  const enc: Enc = (w, v) => {
    if (v === null) return flexible ? w.uvarint(0) : w.int16(-1);
    if (typeof v !== 'string') throw new EncodeError(`expected a string, got ${typeof v}`);
    const n = Buffer.byteLength(v, 'utf8');
    if (flexible) w.uvarint(n + 1);
    else {
      if (n > 0x7fff) throw new EncodeError(`string of ${n} bytes is longer than STRING allows (32767)`);
      w.int16(n);
    }
    w.utf8(v, n);
  };
  const dec: Dec = (r) => {
    const at = r.offset;
    let n: number;
    if (flexible) {
      n = r.uvarint() - 1;
    } else {
      n = r.int16();
      if (n < -1) throw new DecodeError(`string length ${n} is negative`, at);
    }
    if (n === -1) return nullOrThrow(nullable, at);
    if (n > r.remaining)
      throw new DecodeError(`string length ${n} exceeds the ${r.remaining} bytes left`, at);
    return r.utf8(n);
  };
  const note = (v: string | null) => {
    if (v === null) return flexible ? 'compact nullable string: 0 = null' : 'length -1 = null';
    const n = Buffer.byteLength(v, 'utf8');
    return flexible ? `compact string: ${n + 1} = ${n} bytes + 1` : `int16 length ${n}`;
  };
  return { enc, dec, wire, minSize: flexible ? 1 : 2, container: false, note };
}

function bytesCodec(flexible: boolean, nullable: boolean, records: boolean): TypeCodec {
  const wire: WireType = records
    ? flexible
      ? 'COMPACT_RECORDS'
      : 'RECORDS'
    : flexible
      ? nullable
        ? 'COMPACT_NULLABLE_BYTES'
        : 'COMPACT_BYTES'
      : nullable
        ? 'NULLABLE_BYTES'
        : 'BYTES';
  const enc: Enc = (w, v) => {
    if (v === null) return flexible ? w.uvarint(0) : w.int32(-1);
    if (!(v instanceof Uint8Array)) throw new EncodeError(`expected bytes (Uint8Array), got ${typeof v}`);
    if (flexible) w.uvarint(v.length + 1);
    else w.int32(v.length);
    w.bytes(v);
  };
  const dec: Dec = (r) => {
    const at = r.offset;
    let n: number;
    if (flexible) n = r.uvarint() - 1;
    else {
      n = r.int32();
      if (n < -1) throw new DecodeError(`bytes length ${n} is negative`, at);
    }
    if (n === -1) return nullOrThrow(nullable, at);
    if (n > r.remaining) throw new DecodeError(`bytes length ${n} exceeds the ${r.remaining} bytes left`, at);
    return r.bytes(n);
  };
  const note = (v: Uint8Array | null) => {
    if (v === null) return flexible ? 'compact: 0 = null' : 'length -1 = null';
    return flexible ? `compact bytes: ${v.length + 1} = ${v.length} bytes + 1` : `int32 length ${v.length}`;
  };
  return { enc, dec, wire, minSize: flexible ? 1 : 4, container: false, note };
}

function arrayCodec(items: Type, version: number, flexible: boolean, _nullable: boolean): TypeCodec {
  const item = typeCodec(items, version, flexible, false);
  const wire: WireType = flexible ? 'COMPACT_ARRAY' : 'ARRAY';
  const enc: Enc = (w, v) => {
    if (v === null) return flexible ? w.uvarint(0) : w.int32(-1);
    if (!Array.isArray(v)) throw new EncodeError(`expected an array, got ${typeof v}`);
    if (flexible) w.uvarint(v.length + 1);
    else w.int32(v.length);
    for (let i = 0; i < v.length; i++) {
      try {
        if (v[i] === null || v[i] === undefined) throw new EncodeError('array elements cannot be null');
        item.enc(w, v[i]);
      } catch (err) {
        throw annotateEncode(err, `[${i}]`);
      }
    }
  };
  const dec: Dec = (r) => {
    const at = r.offset;
    const rec = r.recorder;
    const n = flexible ? r.uvarint() - 1 : r.int32();
    let span: Span | undefined;
    if (rec) {
      span = rec.open(at, wire);
      const note =
        n < 0
          ? flexible
            ? 'compact array: 0 = null'
            : 'count -1 = null'
          : flexible
            ? `compact array: ${n + 1} = ${n} element${n === 1 ? '' : 's'} + 1`
            : `int32 count: ${n} element${n === 1 ? '' : 's'}`;
      // A null array is nothing but its count: one value span at the field's own path.
      if (n === -1)
        rec.add({
          offset: at,
          length: r.offset - at,
          wireType: flexible ? 'UNSIGNED_VARINT' : 'INT32',
          kind: 'value',
          value: null,
          note,
        });
      else
        rec.add({
          offset: at,
          length: r.offset - at,
          wireType: flexible ? 'UNSIGNED_VARINT' : 'INT32',
          kind: 'length',
          value: n,
          note,
          path: rec.path + '.<count>',
        });
    }
    if (n < -1) throw new DecodeError(`array count ${n} is negative`, at);
    if (n === -1) {
      if (span) rec!.close(span, r.offset);
      return null;
    }
    r.checkCount(n, Math.max(1, item.minSize), 'array count', at);
    const out = new Array(n);
    for (let i = 0; i < n; i++) {
      const start = r.offset;
      try {
        if (rec) rec.enter(`[${i}]`);
        out[i] = item.dec(r);
        if (rec) {
          if (!item.container)
            rec.add({
              offset: start,
              length: r.offset - start,
              wireType: item.wire,
              kind: 'value',
              value: out[i],
              note: item.note?.(out[i]),
            });
          rec.leave();
        }
      } catch (err) {
        throw annotateDecode(err, `[${i}]`, start);
      }
    }
    if (span) rec!.close(span, r.offset);
    return out;
  };
  return { enc, dec, wire, minSize: flexible ? 1 : 4, container: true };
}
