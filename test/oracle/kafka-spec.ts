/**
 * Reads Apache Kafka's message definitions (common/message/*.json, extracted from a kafka-clients jar
 * at test time, never committed) and compares one of them with our declaration at one version.
 * Differences come back as plain sentences naming the field path.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Field, MessageSpec, StructType, Type } from '../../src/protocol/schema/declare.js';
import { defaultOf, valuesEqual } from '../../src/protocol/schema/defaults.js';
import { inVersions, parseVersions } from '../../src/protocol/schema/versions.js';

export interface KafkaField {
  name: string;
  type: string;
  versions: string;
  nullableVersions?: string;
  taggedVersions?: string;
  tag?: number;
  default?: string | number | boolean;
  ignorable?: boolean;
  flexibleVersions?: string;
  fields?: KafkaField[];
}

export interface KafkaMessage {
  apiKey?: number;
  type: string;
  name: string;
  validVersions: string;
  flexibleVersions: string;
  latestVersionUnstable?: boolean;
  fields: KafkaField[];
  commonStructs?: { name: string; fields: KafkaField[] }[];
}

/** Kafka's JSON allows `//` comments; drop them, leaving string contents alone. */
export function stripComments(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else {
      out += c;
    }
  }
  return out;
}

export function loadKafkaMessage(dir: string, name: string): KafkaMessage | undefined {
  const file = join(dir, `${name}.json`);
  if (!existsSync(file)) return undefined;
  return JSON.parse(stripComments(readFileSync(file, 'utf8'))) as KafkaMessage;
}

/** The versions of a Kafka validVersions string, as a set ("none" → empty). */
export function versionSet(range: string): Set<number> {
  const r = parseVersions(range);
  const out = new Set<number>();
  for (let v = r.low; v <= Math.min(r.high, 1000); v++) out.add(v);
  return out;
}

/**
 * The versions of a message that its release marks unstable: the newest one, when the API's request
 * says `latestVersionUnstable` (Kafka's brokers then offer it only with unstable.api.versions.enable).
 * Kafka writes the flag on the request only, so a response is judged by its request's definition.
 */
export function unstableVersions(message: KafkaMessage, request?: KafkaMessage): Set<number> {
  const flagged = request ?? message;
  if (!flagged.latestVersionUnstable) return new Set();
  return new Set([parseVersions(flagged.validVersions).high]);
}

/** `ThrottleTimeMs` → `throttleTimeMs`, as our declarations name fields. */
export function camel(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

const SCALARS = new Set([
  'bool',
  'int8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'float64',
  'string',
  'bytes',
  'records',
  'uuid',
]);

/** Our type in Kafka's notation: `int32`, `[]int32`, `[]MetadataRequestTopic`, `SnapshotId`. */
function typeName(t: Type): string {
  if (t.kind === 'array') return `[]${typeName(t.items)}`;
  if (t.kind === 'struct') return t.name;
  return t.kind;
}

type Placement = 'inline' | 'tagged';

function ourPlacement(f: Field, version: number): Placement | undefined {
  if (f.tag !== undefined) return inVersions(version, f.taggedVersions) ? 'tagged' : undefined;
  return inVersions(version, f.versions) ? 'inline' : undefined;
}

function kafkaPlacement(f: KafkaField, version: number): Placement | undefined {
  if (!inVersions(version, f.versions)) return undefined;
  return f.tag !== undefined && inVersions(version, f.taggedVersions) ? 'tagged' : 'inline';
}

/** Kafka's default string as a value of our representation (int64 → bigint, "null" → null). */
function kafkaDefault(f: KafkaField): unknown {
  const t = f.type.startsWith('[]') ? 'array' : SCALARS.has(f.type) ? f.type : 'struct';
  const d = f.default;
  if (d === undefined) return undefined; // compared through the type's own default below
  const s = String(d);
  if (
    s === 'null' &&
    (f.nullableVersions !== undefined || t === 'records' || t === 'struct' || t === 'bytes')
  )
    return null;
  const signed = (parse: (x: string) => any) => (s.startsWith('-') ? -parse(s.slice(1)) : parse(s));
  switch (t) {
    case 'bool':
      return s === 'true';
    case 'int64':
      return signed((x) => BigInt(x));
    case 'float64':
      return Number(s);
    case 'string':
    case 'uuid':
      return s;
    case 'int8':
    case 'int16':
    case 'uint16':
    case 'int32':
    case 'uint32':
      return signed((x) => Number(x));
    default:
      return s;
  }
}

export interface SyncContext {
  message: KafkaMessage;
  version: number;
}

/**
 * The same message in a newer release than the one compared against, walked alongside it. Used for
 * `ignorable` only: it decides what happens at versions that LACK a field, so at a version that
 * carries the field it cannot change a byte. When a newer release retouches it (4.1.1 made
 * Produce's topic name ignorable for v13, which drops it) and we follow, an older release that alone
 * carries a version (3.9.1's Produce v0-2) must not count that as a difference.
 */
interface Newer {
  message: KafkaMessage;
  fields: KafkaField[];
}

/**
 * Every difference between our declaration and Kafka's at one version, in plain words. `newer`: the
 * same message in releases newer than `kafka` (see Newer), whose `ignorable` is accepted too.
 */
export function compareAtVersion(
  spec: MessageSpec,
  kafka: KafkaMessage,
  version: number,
  newer: KafkaMessage[] = [],
): string[] {
  const diffs: string[] = [];
  const oursFlexible = inVersions(version, spec.flexibleVersions);
  const kafkaFlexible = inVersions(version, kafka.flexibleVersions);
  if (oursFlexible !== kafkaFlexible) {
    const word = (flexible: boolean) => (flexible ? 'flexible' : 'not flexible');
    diffs.push(
      `v${version}: ${word(oursFlexible)} in ours, ${word(kafkaFlexible)} in Kafka's (flexibleVersions ${spec.flexibleVersions} vs ${kafka.flexibleVersions})`,
    );
  }
  if (spec.apiKey !== kafka.apiKey) diffs.push(`apiKey ${spec.apiKey} vs Kafka's ${kafka.apiKey}`);
  const ctx: SyncContext = { message: kafka, version };
  // A release that removed every version (4.1.1's ZooKeeper-era APIs: "validVersions": "none") has no fields.
  const newerTops = newer.map((message) => ({ message, fields: message.fields ?? [] }));
  compareStruct(spec.body, kafka.fields, ctx, spec.name, diffs, newerTops);
  return diffs;
}

/** Kafka's fields of a struct-typed field: inline, or the message's commonStructs. */
function structFields(kf: KafkaField, message: KafkaMessage): KafkaField[] | undefined {
  const structName = kf.type.replace(/^\[\]/, '');
  return kf.fields ?? message.commonStructs?.find((s) => s.name === structName)?.fields;
}

function compareStruct(
  ours: StructType,
  kafkaFields: KafkaField[],
  ctx: SyncContext,
  path: string,
  diffs: string[],
  newer: Newer[],
): void {
  const v = ctx.version;
  const oursPresent = (Object.entries(ours.fields) as [string, Field][]).filter(([, f]) =>
    ourPlacement(f, v),
  );
  const kafkaPresent = kafkaFields.filter((f) => kafkaPlacement(f, v));
  const inline = (list: string[]) => list.join(', ') || '(none)';
  const oursInline = oursPresent.filter(([, f]) => ourPlacement(f, v) === 'inline').map(([n]) => n);
  const kafkaInline = kafkaPresent.filter((f) => kafkaPlacement(f, v) === 'inline').map((f) => camel(f.name));
  if (oursInline.join() !== kafkaInline.join()) {
    diffs.push(
      `${path} at v${v}: inline fields in wire order are [${inline(oursInline)}] but Kafka has [${inline(kafkaInline)}]`,
    );
  }
  const oursTagged = oursPresent
    .filter(([, f]) => ourPlacement(f, v) === 'tagged')
    .map(([n, f]) => `${n}=${f.tag}`);
  const kafkaTagged = kafkaPresent
    .filter((f) => kafkaPlacement(f, v) === 'tagged')
    .map((f) => `${camel(f.name)}=${f.tag}`);
  if (oursTagged.sort().join() !== kafkaTagged.sort().join()) {
    diffs.push(
      `${path} at v${v}: tagged fields (name=tag) are [${inline(oursTagged)}] but Kafka has [${inline(kafkaTagged)}]`,
    );
  }

  const byName = new Map(oursPresent);
  for (const kf of kafkaPresent) {
    const name = camel(kf.name);
    const f = byName.get(name);
    if (!f) continue; // already reported as a list difference
    const counterparts: { message: KafkaMessage; field: KafkaField }[] = [];
    for (const n of newer) {
      const field = n.fields.find((x) => x.name === kf.name);
      if (field) counterparts.push({ message: n.message, field });
    }
    compareField(f, kf, ctx, `${path}.${name}`, diffs, counterparts);
  }
}

function compareField(
  f: Field,
  kf: KafkaField,
  ctx: SyncContext,
  path: string,
  diffs: string[],
  newer: { message: KafkaMessage; field: KafkaField }[],
): void {
  const v = ctx.version;
  const at = `${path} at v${v}`;
  const ourType = typeName(f.type);
  if (ourType !== kf.type) diffs.push(`${at}: type ${ourType} but Kafka's is ${kf.type}`);
  const oursNullable = inVersions(v, f.nullableVersions);
  const kafkaNullable = inVersions(v, kf.nullableVersions);
  if (oursNullable !== kafkaNullable) {
    diffs.push(
      `${at}: ${oursNullable ? 'nullable' : 'not nullable'} in ours, ${kafkaNullable ? 'nullable' : 'not nullable'} in Kafka's (nullableVersions ${f.nullableVersions ?? 'none'} vs ${kf.nullableVersions ?? 'none'})`,
    );
  }
  const ignorableAsNewer = newer.some((n) => Boolean(n.field.ignorable) === Boolean(f.ignorable));
  if (Boolean(f.ignorable) !== Boolean(kf.ignorable) && !ignorableAsNewer) {
    diffs.push(`${at}: ignorable is ${Boolean(f.ignorable)} in ours, ${Boolean(kf.ignorable)} in Kafka's`);
  }
  if (kf.tag !== undefined && f.tag !== kf.tag) diffs.push(`${at}: tag ${f.tag} but Kafka's is ${kf.tag}`);
  const oursFieldFlexible = f.flexibleVersions !== undefined ? inVersions(v, f.flexibleVersions) : undefined;
  const kafkaFieldFlexible =
    kf.flexibleVersions !== undefined ? inVersions(v, kf.flexibleVersions) : undefined;
  if (oursFieldFlexible !== kafkaFieldFlexible) {
    diffs.push(
      `${at}: field flexibleVersions ${f.flexibleVersions ?? '(inherited)'} but Kafka's is ${kf.flexibleVersions ?? '(inherited)'}`,
    );
  }
  if (f.type.kind !== 'struct' && f.type.kind !== 'array') {
    const theirs = kafkaDefault(kf);
    const ours = defaultOf(f);
    // With no explicit default, Kafka uses the type's zero value, which is also what defaultOf gives.
    const expected =
      theirs === undefined ? defaultOf({ type: f.type, versions: f.versions } as Field) : theirs;
    if (!valuesEqual(ours, expected)) {
      diffs.push(
        `${at}: default ${show(ours)} but Kafka's is ${kf.default === undefined ? `the type's zero value ${show(expected)}` : show(expected)}`,
      );
    }
  } else if (kf.default !== undefined && !valuesEqual(defaultOf(f), kafkaDefault(kf))) {
    diffs.push(`${at}: default ${show(defaultOf(f))} but Kafka's is ${String(kf.default)}`);
  }

  // Recurse into the struct (directly or as array items), wherever Kafka defines it.
  const inner = f.type.kind === 'array' ? f.type.items : f.type;
  if (inner.kind === 'struct') {
    const kafkaFields = structFields(kf, ctx.message);
    const newerInner: Newer[] = [];
    for (const n of newer) {
      const fields = structFields(n.field, n.message);
      if (fields) newerInner.push({ message: n.message, fields });
    }
    if (!kafkaFields) diffs.push(`${at}: Kafka defines no struct ${kf.type.replace(/^\[\]/, '')}`);
    else compareStruct(inner, kafkaFields, ctx, path, diffs, newerInner);
  }
}

function show(x: unknown): string {
  if (typeof x === 'bigint') return `${x}n`;
  if (x instanceof Uint8Array) return `bytes(${x.length})`;
  return JSON.stringify(x);
}
