// The consumer protocol payloads carried in JoinGroup metadata and SyncGroup assignments: every
// version round-trips with its int16 version prefix, golden bytes worked out by hand from the
// classic encoding rules, and Kafka's rule for versions newer than ours (read as our newest, ignore
// the rest; see ConsumerProtocol.checkSubscriptionVersion in apache/kafka).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../src/protocol/errors.js';
import {
  ConsumerProtocolAssignment,
  ConsumerProtocolSubscription,
  decodeAssignment,
  decodeSubscription,
  encodeAssignment,
  encodeSubscription,
} from '../../../src/protocol/messages/consumer-protocol.js';
import { SpanRecorder } from '../../../src/protocol/primitives/spans.js';
import { valuesEqual } from '../../../src/protocol/schema/defaults.js';
import { messageArb } from '../../support/arbitrary.js';
import { hexLayout } from './hex-layout.js';

const payloads = [
  { spec: ConsumerProtocolSubscription, encode: encodeSubscription, decode: decodeSubscription },
  { spec: ConsumerProtocolAssignment, encode: encodeAssignment, decode: decodeAssignment },
] as const;

describe('consumer protocol round-trips', () => {
  for (const { spec, encode, decode } of payloads) {
    for (const version of [0, 1, 2, 3]) {
      it(`${spec.name} v${version}`, () => {
        fc.assert(
          fc.property(messageArb(spec, version), (value) => {
            const bytes = encode(value as never, version);
            expect(bytes.readInt16BE(0)).toBe(version);
            const decoded = decode(bytes);
            expect(decoded.version).toBe(version);
            expect(decoded.readAs).toBe(version);
            expect(decoded.unreadBytes).toBe(0);
            if (!valuesEqual(decoded.value, value)) expect(decoded.value).toEqual(value);
            expect(encode(decoded.value as never, version).equals(bytes)).toBe(true);
          }),
          { numRuns: 100 },
        );
      });
    }

    it(`${spec.name}: a newer version is read as v3 and its extra bytes are left unread`, () => {
      fc.assert(
        fc.property(
          messageArb(spec, 3),
          fc.integer({ min: 4, max: 0x7fff }),
          fc.uint8Array({ maxLength: 16 }),
          (value, newer, extra) => {
            const v3 = encode(value as never, 3);
            const bytes = Buffer.concat([v3, extra]);
            bytes.writeInt16BE(newer, 0);
            const decoded = decode(bytes);
            expect(decoded.version).toBe(newer);
            expect(decoded.readAs).toBe(3);
            expect(decoded.unreadBytes).toBe(extra.length);
            if (!valuesEqual(decoded.value, value)) expect(decoded.value).toEqual(value);
          },
        ),
        { numRuns: 100 },
      );
    });
  }
});

describe('ConsumerProtocolSubscription golden bytes', () => {
  const v0 = hexLayout(`
    0000          version prefix: int16 0
    00000002      topics: ARRAY count 2
      0001 61     STRING "a"
      0002 6263   STRING "bc"
    ffffffff      userData: NULLABLE_BYTES -1 = null
  `);
  const v3 = hexLayout(`
    0003          version prefix: int16 3
    00000001      topics: ARRAY count 1
      0001 74     "t"
    00000002 cafe  userData: NULLABLE_BYTES length 2
    00000001      ownedPartitions: ARRAY count 1
      0001 74     topic: "t"
      00000002    partitions: ARRAY count 2
      00000000    0
      00000002    2
    00000007      generationId: int32 7
    0002 7231     rackId: NULLABLE_STRING "r1"
  `);

  it('v0', () => {
    expect(encodeSubscription({ topics: ['a', 'bc'] }, 0)).toEqual(v0);
    expect(decodeSubscription(v0)).toEqual({
      version: 0,
      readAs: 0,
      unreadBytes: 0,
      // the fields v0 lacks take Kafka's defaults
      value: { topics: ['a', 'bc'], userData: null, ownedPartitions: [], generationId: -1, rackId: null },
    });
  });

  it('v3', () => {
    const value = {
      topics: ['t'],
      userData: Buffer.from([0xca, 0xfe]),
      ownedPartitions: [{ topic: 't', partitions: [0, 2] }],
      generationId: 7,
      rackId: 'r1',
    };
    expect(encodeSubscription(value, 3)).toEqual(v3);
    expect(decodeSubscription(v3)).toEqual({ version: 3, readAs: 3, unreadBytes: 0, value });
  });

  it('v0 drops the ignorable fields it cannot carry, as Kafka does', () => {
    expect(
      encodeSubscription(
        { topics: ['a', 'bc'], ownedPartitions: [{ topic: 'a', partitions: [1] }], rackId: 'r' },
        0,
      ),
    ).toEqual(v0);
  });

  it('a version above ours is written as ours (Kafka lowers it the same way)', () => {
    expect(encodeSubscription({ topics: ['a'] }, 9).readInt16BE(0)).toBe(3);
  });

  it('v4 with an appended field decodes as v3 and records the unread tail', () => {
    const bytes = Buffer.concat([v3, hexLayout('0000002a')]);
    bytes.writeInt16BE(4, 0);
    const recorder = new SpanRecorder();
    const decoded = decodeSubscription(bytes, { recorder });
    expect(decoded).toMatchObject({ version: 4, readAs: 3, unreadBytes: 4, value: { rackId: 'r1' } });
    expect(recorder.spans[0]).toMatchObject({ offset: 0, length: 2, path: 'version', value: 4 });
    expect(recorder.spans.at(-1)).toMatchObject({ offset: v3.length, length: 4, path: '<unread>' });
  });

  it('rejects a negative version and a truncated body with DecodeErrors that say where', () => {
    const negative = Buffer.from(v0);
    negative.writeInt16BE(-1, 0);
    expect(() => decodeSubscription(negative)).toThrow(DecodeError);
    expect(() => decodeSubscription(negative)).toThrow(/version -1.*\(version\)/);
    expect(() => decodeSubscription(Buffer.from([0]))).toThrow(/version prefix/);
    try {
      decodeSubscription(v3.subarray(0, v3.length - 1));
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(DecodeError);
      expect((err as DecodeError).path).toBe('rackId');
    }
  });
});

describe('ConsumerProtocolAssignment golden bytes', () => {
  it('v0', () => {
    const bytes = hexLayout(`
      0000          version prefix: int16 0
      00000001      assignedPartitions: ARRAY count 1
        0001 74     topic: "t"
        00000001    partitions: ARRAY count 1
        00000001    1
      ffffffff      userData: null
    `);
    const value = { assignedPartitions: [{ topic: 't', partitions: [1] }], userData: null };
    expect(encodeAssignment(value, 0)).toEqual(bytes);
    expect(decodeAssignment(bytes)).toEqual({ version: 0, readAs: 0, unreadBytes: 0, value });
  });

  it('v3', () => {
    const bytes = hexLayout(`
      0003          version prefix: int16 3
      00000002      assignedPartitions: ARRAY count 2
        0001 61     topic: "a"
        00000001    partitions: ARRAY count 1
        00000000    0
        0001 62     topic: "b"
        00000000    partitions: ARRAY count 0
      00000000      userData: NULLABLE_BYTES length 0 (empty, not null)
    `);
    const value = {
      assignedPartitions: [
        { topic: 'a', partitions: [0] },
        { topic: 'b', partitions: [] },
      ],
      userData: Buffer.alloc(0),
    };
    expect(encodeAssignment(value, 3)).toEqual(bytes);
    expect(decodeAssignment(bytes)).toEqual({ version: 3, readAs: 3, unreadBytes: 0, value });
  });
});
