// The JSON form (src/protocol/schema/json.ts) on its own: the edges the oracle's random samples rarely
// reach. The rules come from Kafka's JSON converters (see the header of json.ts); the oracle test
// checks the same form against kafka-clients itself.
import { describe, expect, it } from 'vitest';
import { ApiVersions, Metadata } from '../../src/protocol/messages/index.js';
import { api, field } from '../../src/protocol/schema/declare.js';
import {
  fromKafkaJson,
  KafkaJsonError,
  parseKafkaJson,
  toKafkaJson,
  toKafkaJsonText,
} from '../../src/protocol/schema/json.js';

describe('parseKafkaJson', () => {
  it('keeps integers beyond 2^53 exact as bigint, and smaller ones as numbers', () => {
    const v = parseKafkaJson(
      '{"a":9223372036854775807,"b":-9223372036854775808,"c":9007199254740993,"d":42,"e":-0.0,"f":1.5E10}',
    );
    expect(v).toEqual({
      a: 9223372036854775807n,
      b: -9223372036854775808n,
      c: 9007199254740993n,
      d: 42,
      e: -0,
      f: 1.5e10,
    });
    expect(Object.is((v as any).e, -0)).toBe(true);
  });

  it('reads a member named __proto__ as a plain member', () => {
    const v = parseKafkaJson('{"__proto__":{"x":1},"n":12345678901234567890}') as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(['__proto__', 'n']);
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
  });

  it('leaves digits inside strings alone, and floats with long fractions as numbers', () => {
    const v = parseKafkaJson(
      '{"s":"12345678901234567890","t":"a\\"12345678901234567890","f":1.2345678901234567,"g":[-12345678901234567890]}',
    );
    expect(v).toEqual({
      s: '12345678901234567890',
      t: 'a"12345678901234567890',
      f: 1.2345678901234567,
      g: [-12345678901234567890n],
    });
  });

  it('is not fooled by a string that looks like its internal marker', () => {
    const text = JSON.stringify({ s: '\u0000int64:12345678901234567890' }).replace(
      '}',
      ',"n":12345678901234567890}',
    );
    expect(parseKafkaJson(text)).toEqual({ s: '\u0000int64:12345678901234567890', n: 12345678901234567890n });
  });

  it('reports bad JSON as a KafkaJsonError', () => {
    expect(() => parseKafkaJson('{"a": 12345678901234567, }')).toThrow(KafkaJsonError);
    expect(() => parseKafkaJson('[1, 2')).toThrow(/not JSON/);
    expect(() => parseKafkaJson('"\\x"')).toThrow(KafkaJsonError);
  });
});

// A declaration made for this test, one field of each awkward kind.
const Odd = api({
  apiKey: 9999,
  name: 'Odd',
  request: {
    validVersions: '0-1',
    flexibleVersions: '1+',
    fields: {
      ratio: field.float64('0+'),
      offset: field.int64('0+', { default: -1n }),
      blob: field.bytes('0+', { nullableVersions: '0+' }),
      batch: field.records('0+', { nullableVersions: '0+' }),
      since1: field.int32('1+'),
      tagged: field.string('1+', { tag: 0, taggedVersions: '1+', nullableVersions: '1+', default: null }),
    },
  },
  response: { validVersions: '0-1', flexibleVersions: '1+', fields: {} },
});

describe('toKafkaJsonText', () => {
  it('writes float64 as a floating-point literal, which is all Kafka reads', () => {
    const text = (ratio: number) => toKafkaJsonText(Odd.request, 0, { ratio });
    expect(text(5)).toContain('"ratio":5.0');
    expect(text(-0)).toContain('"ratio":-0.0');
    expect(text(1e300)).toContain('"ratio":1e+300');
    expect(text(0.1)).toContain('"ratio":0.1');
    expect(text(Number.POSITIVE_INFINITY)).toContain('"ratio":"Infinity"');
  });

  it('writes int64 exactly, bytes and records as base64, and only the fields of the version', () => {
    const value = {
      offset: -9223372036854775808n,
      blob: Buffer.from([0xfb, 0xff]),
      batch: Buffer.from('abc'),
      since1: 7,
    };
    expect(toKafkaJsonText(Odd.request, 0, value)).toBe(
      '{"ratio":0.0,"offset":-9223372036854775808,"blob":"+/8=","batch":"YWJj"}',
    );
    expect(toKafkaJson(Odd.request, 1, value)).toEqual({
      ratio: 0,
      offset: -9223372036854775808n,
      blob: '+/8=',
      batch: 'YWJj',
      since1: 7,
    });
  });

  it('leaves a tagged field out while it holds its default, as Kafka does', () => {
    expect(Object.keys(toKafkaJson(Odd.request, 1, {}))).not.toContain('tagged');
    expect(toKafkaJson(Odd.request, 1, { tagged: 'x' }).tagged).toBe('x');
    const full = toKafkaJson(ApiVersions.response, 3, { finalizedFeaturesEpoch: 5n });
    expect(full.finalizedFeaturesEpoch).toBe(5n);
    expect(Object.keys(full)).not.toContain('zkMigrationReady');
  });

  it('pretty-prints when asked and still parses back to the same value', () => {
    const value = {
      topics: [{ name: 'a', topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }],
      allowAutoTopicCreation: false,
    };
    const text = toKafkaJsonText(Metadata.request, 12, value, 2);
    expect(text.split('\n').length).toBeGreaterThan(5);
    expect(fromKafkaJson(Metadata.request, 12, text)).toEqual({
      topics: [{ name: 'a', topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }],
      allowAutoTopicCreation: false,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    });
  });
});

describe('fromKafkaJson', () => {
  it('needs every inline field of the version, like Kafka, and names the missing one', () => {
    expect(() => fromKafkaJson(Odd.request, 1, { ratio: 1, offset: 1, blob: null, batch: null })).toThrow(
      /missing field.*\(since1\)/,
    );
  });

  it('fills tagged fields left out, and fields the version lacks, with their defaults', () => {
    const v = fromKafkaJson(Odd.request, 0, {
      ratio: 1.5,
      offset: '-5',
      blob: 'AQI=',
      batch: null,
      since1: 99,
    });
    expect(v).toEqual({
      ratio: 1.5,
      offset: -5n,
      blob: Buffer.from([1, 2]),
      batch: null,
      since1: 0,
      tagged: null,
    });
  });

  it('refuses values out of range, lossy int64 numbers and bad base64', () => {
    const base = { ratio: 1, offset: 1, blob: null, batch: null };
    expect(() => fromKafkaJson(Odd.request, 1, { ...base, since1: 2 ** 31 })).toThrow(
      /expected an int32.*\(since1\)/,
    );
    expect(() => fromKafkaJson(Odd.request, 0, { ...base, offset: 2 ** 60 })).toThrow(/int64.*\(offset\)/);
    expect(() => fromKafkaJson(Odd.request, 0, { ...base, blob: 'not base64!' })).toThrow(/base64.*\(blob\)/);
    expect(() => fromKafkaJson(Metadata.request, 3, { topics: [null] })).toThrow(/\(topics\[0\]\)/);
  });
});
