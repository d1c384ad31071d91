/**
 * One comparison run: random messages of one declaration at one version, through our codec and
 * through Kafka's (the oracle process). Returns a description of every sample that disagrees.
 *
 * Per sample:
 *   (a) Kafka's bytes for our JSON form == our bytes for the value;
 *   (b) our decoder reads Kafka's bytes back to the value;
 *   (c) Kafka decodes our bytes, and its JSON of the result == our JSON form of the value (records
 *       excepted: Kafka's converter writes "" in their place, see src/protocol/schema/json.ts);
 *   (d) our JSON form reads back (fromKafkaJson) to the value;
 *   (e) Kafka writes the message it decoded from our bytes back to the very same bytes.
 * Flexible versions get extra samples with unknown tagged fields, checked by (e) alone: Kafka keeps
 * unknown tags on its message objects, but its JSON cannot carry them.
 */
import fc from 'fast-check';
import { codecFor } from '../../src/protocol/schema/codec.js';
import type { Field, MessageSpec, StructType, Type } from '../../src/protocol/schema/declare.js';
import { valuesEqual } from '../../src/protocol/schema/defaults.js';
import { fromKafkaJson, parseKafkaJson, toKafkaJsonText } from '../../src/protocol/schema/json.js';
import { inVersions } from '../../src/protocol/schema/versions.js';
import { messageArb } from '../support/arbitrary.js';
import type { OracleProcess } from './oracle-process.js';

export interface CompareOptions {
  samples: number;
  /**
   * How many of the samples to inflate (the first ones): strings and bytes stretched past 127 bytes and
   * the top-level arrays past 127 elements, so that every length and count takes a multi-byte varint.
   */
  inflated?: number;
  /** Extra samples with unknown tagged fields (flexible versions only), checked by (e). */
  unknownTagged?: number;
  seed: number;
  /** The class name Kafka knows the message by, when it differs from the declaration's (self-tests). */
  kafkaName?: string;
}

export async function compareWithKafka(
  spec: MessageSpec,
  version: number,
  oracle: OracleProcess,
  options: CompareOptions,
): Promise<string[]> {
  const name = options.kafkaName ?? spec.name;
  const codec = codecFor(spec, version);
  // No unknown tags: Kafka's JSON converter has no place for them. Finite floats: Kafka's reader
  // refuses the strings its own writer uses for NaN/Infinity.
  const arb = messageArb(spec, version, { unknownTags: false, finiteFloats: true });
  const values = fc
    .sample(arb, { numRuns: options.samples, seed: options.seed })
    .map((v, i) => (i < (options.inflated ?? 0) ? inflate(spec.body, version, v, 0) : v));
  const ours = values.map((v) => codec.encode(v as any).toString('hex'));
  const texts = values.map((v) => toKafkaJsonText(spec, version, v));
  const lines: string[] = [];
  const decodeLine = (hex: string) =>
    `{"op":"decode","message":"${name}","version":${version},"hex":"${hex}"}`;
  values.forEach((_, i) => {
    lines.push(`{"op":"encode","message":"${name}","version":${version},"json":${texts[i]}}`);
    lines.push(decodeLine(ours[i]));
  });
  const tagged = codec.flexible ? (options.unknownTagged ?? 0) : 0;
  const withTags =
    tagged === 0
      ? []
      : fc
          .sample(messageArb(spec, version, { unknownTags: true, finiteFloats: true, unknownTagMin: 10 }), {
            numRuns: tagged,
            seed: options.seed + 1,
          })
          .map((v) => codec.encode(v as any).toString('hex'));
  for (const hex of withTags) lines.push(decodeLine(hex));
  const answers = await oracle.send(lines);

  const records = hasRecords(spec.body);
  const failures: string[] = [];
  values.forEach((value, i) => {
    const enc = answers[2 * i];
    const dec = answers[2 * i + 1];
    const problems: string[] = [];
    if (!enc.ok) problems.push(`(a) Kafka could not read our JSON or write it: ${enc.error}`);
    else {
      if (enc.hex !== ours[i]) problems.push(`(a) bytes differ\n  ours:  ${ours[i]}\n  kafka: ${enc.hex}`);
      try {
        const back = codec.decode(Buffer.from(enc.hex!, 'hex'));
        if (!valuesEqual(back, value)) {
          problems.push(
            `(b) our decode of Kafka's bytes differs: ${clip(toKafkaJsonText(spec, version, back))}`,
          );
        }
      } catch (err) {
        problems.push(`(b) our decode of Kafka's bytes failed: ${(err as Error).message}`);
      }
    }
    if (!dec.ok) problems.push(`(c) Kafka could not decode our bytes: ${dec.error}`);
    else {
      if (dec.hex !== ours[i])
        problems.push(
          `(e) Kafka writes our bytes back differently\n  ours:  ${ours[i]}\n  kafka: ${dec.hex}`,
        );
      const mine = records ? blankRecords(spec.body, value) : value;
      const ourText = toKafkaJsonText(spec, version, mine);
      // Same text is the common case; otherwise compare values (Java and JS write floats differently).
      if (dec.jsonText !== ourText && !sameJson(parseKafkaJson(dec.jsonText!), parseKafkaJson(ourText))) {
        problems.push(
          `(c) Kafka's JSON of our bytes differs:\n  ours:  ${clip(ourText)}\n  kafka: ${clip(dec.jsonText!)}`,
        );
      }
    }
    try {
      if (!valuesEqual(fromKafkaJson(spec, version, texts[i]), value))
        problems.push('(d) fromKafkaJson(our JSON) differs');
    } catch (err) {
      problems.push(`(d) fromKafkaJson failed: ${(err as Error).message}`);
    }
    if (problems.length > 0) failures.push(`sample ${i}: ${clip(texts[i])}\n${problems.join('\n')}`);
  });
  withTags.forEach((hex, i) => {
    const dec = answers[2 * values.length + i];
    if (!dec.ok)
      failures.push(`unknown-tag sample ${i}: (e) Kafka could not decode our bytes ${hex}: ${dec.error}`);
    else if (dec.hex !== hex)
      failures.push(
        `unknown-tag sample ${i}: (e) Kafka writes our bytes back differently\n  ours:  ${hex}\n  kafka: ${dec.hex}`,
      );
  });
  return failures;
}

const LONG = 130; // > 127: a compact length of LONG + 1 needs two varint bytes

/** A copy of a value with long strings, bytes and top-level arrays (see CompareOptions.inflated). */
function inflate(t: StructType, version: number, value: any, depth: number): any {
  const out: Record<string, unknown> = { ...value };
  for (const [name, f] of Object.entries(t.fields) as [string, Field][]) {
    const present =
      f.tag !== undefined ? inVersions(version, f.taggedVersions) : inVersions(version, f.versions);
    if (present && value[name] !== null && value[name] !== undefined)
      out[name] = inflateType(f.type, version, value[name], depth);
  }
  return out;
}

function inflateType(t: Type, version: number, v: any, depth: number): any {
  switch (t.kind) {
    case 'string':
      return (v || 'x').repeat(Math.ceil(LONG / (v.length || 1)));
    case 'bytes':
    case 'records':
      return Buffer.alloc(LONG, v.length ? v : 0xab);
    case 'array':
      if (depth > 0 || v.length === 0) return v;
      return Array.from({ length: LONG }, (_, i) => v[i % v.length]);
    case 'struct':
      return inflate(t, version, v, depth + 1);
    default:
      return v;
  }
}

/** Kafka's JSON converter writes non-null records as an empty string: blank ours the same way. */
function blankRecords(t: Type, v: any): any {
  if (v === null || v === undefined) return v;
  if (t.kind === 'records') return Buffer.alloc(0);
  if (t.kind === 'array') return (v as unknown[]).map((x) => blankRecords(t.items, x));
  if (t.kind !== 'struct') return v;
  const out: Record<string, unknown> = { ...v };
  for (const [name, f] of Object.entries((t as StructType).fields) as [string, Field][]) {
    out[name] = blankRecords(f.type, v[name]);
  }
  return out;
}

function hasRecords(t: Type): boolean {
  if (t.kind === 'records') return true;
  if (t.kind === 'array') return hasRecords(t.items);
  if (t.kind === 'struct')
    return Object.values(t.fields as Record<string, Field>).some((f) => hasRecords(f.type));
  return false;
}

/** Structural identity of two JSON trees: key order, bigint and -0 included. */
function sameJson(a: unknown, b: unknown): boolean {
  const canon = (x: unknown) =>
    JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? `${v}n` : Object.is(v, -0) ? '-0' : v));
  return canon(a) === canon(b);
}

const clip = (s: string, n = 1500) => (s.length > n ? s.slice(0, n) + '…' : s);
