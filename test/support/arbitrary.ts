/**
 * fast-check arbitraries derived from declarations: a random, valid message of any API at any
 * version, including unknown tagged fields in flexible versions. Used by the round-trip properties,
 * the fuzzers and the oracle (which sends the same values through Apache Kafka's serializers).
 */
import fc from 'fast-check';
import { codecFor } from '../../src/protocol/schema/codec.js';
import type { Field, MessageSpec, StructType, Type } from '../../src/protocol/schema/declare.js';
import { defaultOf } from '../../src/protocol/schema/defaults.js';
import { inVersions } from '../../src/protocol/schema/versions.js';

export interface ArbitraryOptions {
  /** Add unknown tagged fields to flexible structs (default true). */
  unknownTags?: boolean;
  maxArray?: number;
  /**
   * Keep float64 values finite (default false). The oracle needs it: Kafka's JSON converter writes
   * NaN/±Infinity as strings but its reader accepts only JSON numbers, so they cannot cross to Kafka.
   */
  finiteFloats?: boolean;
  /**
   * Smallest tag number for unknown tagged fields (default 0). The oracle uses 10: Kafka's reader
   * rejects a tag it knows for another version ("Tag 1 is not valid for version 13": FetchRequest's
   * FetchPartition has HighWatermark as tag 1 from v18 on) instead of keeping it as unknown, and no
   * Kafka message defines a tag above 3.
   */
  unknownTagMin?: number;
}

const bytesArb = (max = 12) => fc.uint8Array({ maxLength: max }).map((b) => Buffer.from(b));

function scalarArb(t: Type, flexible: boolean, o: Required<ArbitraryOptions>): fc.Arbitrary<unknown> {
  switch (t.kind) {
    case 'bool':
      return fc.boolean();
    case 'int8':
      return fc.integer({ min: -128, max: 127 });
    case 'int16':
      return fc.integer({ min: -32768, max: 32767 });
    case 'uint16':
      return fc.integer({ min: 0, max: 65535 });
    case 'int32':
      return fc.integer({ min: -2147483648, max: 2147483647 });
    case 'uint32':
      return fc.integer({ min: 0, max: 4294967295 });
    case 'int64':
      return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    case 'float64':
      return fc.double({ noNaN: true, noDefaultInfinity: o.finiteFloats });
    case 'uuid':
      return fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => Buffer.from(b).toString('base64url'));
    case 'string':
      return fc.string({ unit: flexible ? 'binary' : 'grapheme', maxLength: 12 });
    case 'bytes':
    case 'records':
      return bytesArb();
    default:
      throw new Error(`not a scalar: ${t.kind}`);
  }
}

function typeArb(
  t: Type,
  version: number,
  flexible: boolean,
  o: Required<ArbitraryOptions>,
  depth: number,
): fc.Arbitrary<unknown> {
  if (t.kind === 'array') {
    const max = depth > 2 ? 1 : o.maxArray;
    return fc.array(typeArb(t.items, version, flexible, o, depth + 1), { maxLength: max });
  }
  if (t.kind === 'struct') return structArb(t, version, flexible, o, depth + 1);
  return scalarArb(t, flexible, o);
}

export function structArb(
  t: StructType,
  version: number,
  flexible: boolean,
  o: Required<ArbitraryOptions>,
  depth = 0,
): fc.Arbitrary<Record<string, unknown>> {
  const parts: Record<string, fc.Arbitrary<unknown>> = {};
  const declaredTags = new Set<number>();
  for (const [name, f] of Object.entries(t.fields) as [string, Field][]) {
    const tagged = f.tag !== undefined && inVersions(version, f.taggedVersions);
    if (f.tag !== undefined) declaredTags.add(f.tag);
    const present = tagged || (f.tag === undefined && inVersions(version, f.versions));
    if (!present) {
      parts[name] = fc.constant(defaultOf(f));
      continue;
    }
    const fieldFlexible =
      tagged || (f.flexibleVersions !== undefined ? inVersions(version, f.flexibleVersions) : flexible);
    let arb = typeArb(f.type, version, fieldFlexible, o, depth);
    if (inVersions(version, f.nullableVersions)) arb = fc.option(arb, { nil: null, freq: 4 });
    parts[name] = arb;
  }
  const base = fc.record(parts);
  if (!flexible || !o.unknownTags) return base;
  const unknown = fc.uniqueArray(
    fc.record({
      tag: fc.integer({ min: o.unknownTagMin, max: 40 }).filter((x) => !declaredTags.has(x)),
      data: bytesArb(6),
    }),
    { maxLength: 2, selector: (u) => u.tag },
  );
  return fc
    .tuple(base, unknown)
    .map(([v, u]) => (u.length > 0 ? { ...v, _unknownTaggedFields: u.sort((a, b) => a.tag - b.tag) } : v));
}

export function messageArb(
  spec: MessageSpec,
  version: number,
  options: ArbitraryOptions = {},
): fc.Arbitrary<Record<string, unknown>> {
  const o: Required<ArbitraryOptions> = {
    unknownTags: true,
    maxArray: 3,
    finiteFloats: false,
    unknownTagMin: 0,
    ...options,
  };
  return structArb(spec.body, version, codecFor(spec, version).flexible, o);
}
