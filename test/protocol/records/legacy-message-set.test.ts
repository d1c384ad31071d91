import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../src/protocol/errors.js';
import { SpanRecorder } from '../../../src/protocol/primitives/spans.js';
import { decodeLegacyMessageSet } from '../../../src/protocol/records/index.js';
import * as V from './fixtures/independent-vectors.js';

const hex = (h: string) => Buffer.from(h, 'hex');

/** Bitwise CRC-32 written for the test, so the fixtures do not lean on the code under test. */
function crc32Reference(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** offset | messageSize | crc | body (magic..end), with the CRC filled in by the reference. */
function message(offset: string, body: string): Buffer {
  const b = hex(body);
  const head = Buffer.alloc(16);
  hex(offset).copy(head, 0);
  head.writeInt32BE(4 + b.length, 8);
  head.writeUInt32BE(crc32Reference(b), 12);
  return Buffer.concat([head, b]);
}

// magic 0: attributes 0, key "a" (int32 length 1), value null (-1)
const V0 = message('0000000000000005', '00' + '00' + '00000001' + '61' + 'ffffffff');
// magic 1: attributes 0x08 (log-append time), timestamp 1700000000000, key null, value "hi"
const V1 = message('0000000000000007', '01' + '08' + '0000018bcfe56800' + 'ffffffff' + '00000002' + '6869');

describe('hand-built legacy messages', () => {
  it('magic 0', () => {
    expect(V0.readInt32BE(8)).toBe(15);
    const { messages, truncatedBytes } = decodeLegacyMessageSet(V0);
    expect(truncatedBytes).toBe(0);
    expect(messages).toEqual([
      {
        offset: 5n,
        wireOffset: 5n,
        messageSize: 15,
        crc: V0.readUInt32BE(12),
        magic: 0,
        attributes: { compression: 'none', timestampType: 'create' },
        timestamp: null,
        key: Buffer.from('a'),
        value: null,
      },
    ]);
  });

  it('magic 1, two messages back to back, then a partial one', () => {
    const set = Buffer.concat([V1, V0, V1.subarray(0, 20)]);
    const { messages, truncatedBytes } = decodeLegacyMessageSet(set);
    expect(truncatedBytes).toBe(20);
    expect(messages.map((m) => [m.magic, m.offset, m.timestamp, m.value?.toString() ?? null])).toEqual([
      [1, 7n, 1700000000000n, 'hi'],
      [0, 5n, null, null],
    ]);
    expect(messages[0].attributes.timestampType).toBe('log-append');
  });

  it('CRC-32 mismatch names offset, path, stored and computed', () => {
    const bad = Buffer.concat([V0, V1]);
    bad[V0.length + 30] ^= 0x40;
    try {
      decodeLegacyMessageSet(bad);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(DecodeError);
      const e = err as DecodeError;
      expect(e.path).toBe('messages[1].crc');
      expect(e.offset).toBe(V0.length + 12);
      expect(e.message).toMatch(/stored 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}/);
    }
  });

  it('a key length past the end is an error at the key', () => {
    const bad = Buffer.from(V0);
    bad.writeInt32BE(1000, 18);
    const err = (() => {
      try {
        decodeLegacyMessageSet(bad, { verifyCrc: false });
      } catch (e) {
        return e as DecodeError;
      }
    })();
    expect(err?.path).toBe('messages[0].key');
    expect(err?.offset).toBe(18);
  });

  it('spans cover each field', () => {
    const rec = new SpanRecorder();
    decodeLegacyMessageSet(V1, { recorder: rec });
    const paths = rec.spans.map((s) => s.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'messages[0]',
        'messages[0].crc',
        'messages[0].timestamp',
        'messages[0].value',
      ]),
    );
    expect(rec.spans.find((s) => s.path === 'messages[0].crc')?.note).toContain('✓');
  });
});

describe('kafka-python message sets (independent producer)', () => {
  it.each([
    ['v0 none', V.LEGACY_V0_NONE],
    ['v1 none', V.LEGACY_V1_NONE],
  ])('%s', (_name, h) => {
    const { messages } = decodeLegacyMessageSet(hex(h));
    expect(messages.map((m) => [m.offset, m.key?.toString() ?? null, m.value?.toString()])).toEqual([
      [0n, 'k0', 'hello'],
      [1n, null, 'world'],
    ]);
  });

  it.each([
    ['v0 gzip', V.LEGACY_V0_GZIP, 0],
    ['v0 snappy', V.LEGACY_V0_SNAPPY, 0],
    ['v0 lz4 (pre-KAFKA-3160 header checksum)', V.LEGACY_V0_LZ4, 0],
    ['v1 gzip', V.LEGACY_V1_GZIP, 1],
    ['v1 snappy', V.LEGACY_V1_SNAPPY, 1],
    ['v1 lz4', V.LEGACY_V1_LZ4, 1],
  ])('%s: wrapper with an inner message set', (_name, h, magic) => {
    const rec = new SpanRecorder();
    const { messages } = decodeLegacyMessageSet(hex(h), { recorder: rec });
    expect(messages).toHaveLength(1);
    const inner = messages[0].inner!;
    expect(inner.map((m) => [m.key?.toString() ?? null, m.value?.toString()])).toEqual([
      ['k0', 'hello'],
      [null, 'world'],
    ]);
    if (magic === 1) expect(inner.map((m) => m.timestamp)).toEqual([1700000000000n, 1700000000007n]);
    const innerValue = rec.spans.find((s) => s.path === 'messages[0].inner[1].value');
    expect(innerValue?.note).toContain('offset in decompressed data');
  });
});
