// Control batches written by Apache Kafka itself (fixtures/control-batches.txt, from
// kafka-clients 4.1.1's MemoryRecords.with*): every control record type decodes to its key and its
// value's schema, is explained field by field in a listing, and our encoder writes the same bytes.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { DecodeError } from '../../../src/protocol/errors.js';
import { SpanRecorder } from '../../../src/protocol/primitives/spans.js';
import {
  decodeControlKey,
  decodeControlValue,
  decodeRecordBatches,
  describeControlRecord,
  encodeControlBatch,
  encodeControlKey,
  encodeControlValue,
  encodeRecordBatch,
  ensureCodecs,
  type KafkaRecord,
} from '../../../src/protocol/records/index.js';

const FIXTURES = new Map(
  readFileSync(new URL('./fixtures/control-batches.txt', import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [name, hex] = l.split(' ');
      return [name, Buffer.from(hex, 'hex')] as const;
    }),
);
const TS = 1_700_000_000_000n;
const uuid = (msb: bigint, lsb: bigint) => {
  const b = Buffer.alloc(16);
  b.writeBigInt64BE(msb, 0);
  b.writeBigInt64BE(lsb, 8);
  return b.toString('base64url');
};

function only(name: string): { record: KafkaRecord; isControl: boolean; isTransactional: boolean } {
  const { batches } = decodeRecordBatches(FIXTURES.get(name)!);
  expect(batches).toHaveLength(1);
  expect(batches[0].records).toHaveLength(1);
  const { attributes } = batches[0];
  return {
    record: batches[0].records[0] as KafkaRecord,
    isControl: attributes.isControl,
    isTransactional: attributes.isTransactional,
  };
}

describe('control batches written by Kafka', () => {
  it('has a fixture for every control record type', () => {
    expect([...FIXTURES.keys()].sort()).toEqual(
      [
        'abort',
        'commit',
        'kraft-version',
        'kraft-voters',
        'leader-change',
        'snapshot-footer',
        'snapshot-header',
      ].sort(),
    );
  });

  it('COMMIT and ABORT: transactional control batches holding an end-transaction marker', () => {
    for (const [name, type] of [
      ['commit', 1],
      ['abort', 0],
    ] as const) {
      const { record, isControl, isTransactional } = only(name);
      expect({ isControl, isTransactional }).toEqual({ isControl: true, isTransactional: true });
      expect(record.control).toEqual({ version: 0, type, typeName: name });
      expect(record.endTxnMarker).toEqual({ version: 0, coordinatorEpoch: 9 });
      expect(record.controlValue).toEqual({
        type: name,
        schema: 'EndTxnMarker',
        value: { version: 0, coordinatorEpoch: 9 },
      });
      expect(describeControlRecord(record.control!, record.controlValue)).toBe(
        `${name.toUpperCase()} marker (coordinatorEpoch 9)`,
      );
    }
  });

  it('our marker batches are byte for byte the ones Kafka writes', () => {
    for (const [name, baseOffset] of [
      ['commit', 5n],
      ['abort', 6n],
    ] as const) {
      const ours = encodeControlBatch({
        type: name,
        producerId: 4242n,
        producerEpoch: 7,
        coordinatorEpoch: 9,
        baseOffset,
        partitionLeaderEpoch: 3,
        timestamp: TS,
      });
      expect(ours.toString('hex'), name).toBe(FIXTURES.get(name)!.toString('hex'));
    }
  });

  it('LeaderChange, snapshot header/footer, KRaft version and voters: values decoded by their schema', () => {
    const cases: [string, unknown][] = [
      [
        'leader-change',
        {
          version: 0,
          leaderId: 1,
          voters: [{ voterId: 1 }, { voterId: 2 }, { voterId: 3 }].map((v) => ({
            ...v,
            voterDirectoryId: 'AAAAAAAAAAAAAAAAAAAAAA',
          })),
          grantingVoters: [{ voterId: 1 }, { voterId: 2 }].map((v) => ({
            ...v,
            voterDirectoryId: 'AAAAAAAAAAAAAAAAAAAAAA',
          })),
        },
      ],
      ['snapshot-header', { version: 0, lastContainedLogTimestamp: TS - 1000n }],
      ['snapshot-footer', { version: 0 }],
      ['kraft-version', { version: 0, kRaftVersion: 1 }],
      [
        'kraft-voters',
        {
          version: 0,
          voters: [1, 2].map((id) => ({
            voterId: id,
            voterDirectoryId: uuid(BigInt(id), 0x1234n),
            endpoints: [{ name: 'CONTROLLER', host: 'localhost', port: 9092 + id }],
            kRaftVersionFeature: { minSupportedVersion: 0, maxSupportedVersion: 1 },
          })),
        },
      ],
    ];
    for (const [name, value] of cases) {
      const { record, isControl, isTransactional } = only(name);
      // KRaft's control batches are not transactional.
      expect({ name, isControl, isTransactional }).toEqual({ name, isControl: true, isTransactional: false });
      expect(record.control?.typeName).toBe(name);
      expect(record.endTxnMarker).toBeUndefined();
      expect(record.controlValue?.type).toBe(name);
      expect(record.controlValue?.value).toEqual(value);
      // The value re-encoded (at version 0, as Kafka writes it) is Kafka's value bytes.
      expect(encodeControlValue(record.control!.type, record.controlValue!.value as never)).toEqual(
        record.value,
      );
    }
  });

  it("our KRaft control batch is Kafka's, byte for byte", () => {
    const ours = encodeRecordBatch({
      baseOffset: 1n,
      partitionLeaderEpoch: 2,
      isControl: true,
      records: [
        {
          key: encodeControlKey(5),
          value: encodeControlValue(5, { version: 0, kRaftVersion: 1 }),
          timestamp: TS,
        },
      ],
    });
    expect(ours.toString('hex')).toBe(FIXTURES.get('kraft-version')!.toString('hex'));
  });

  it('one-line summaries name what each record says', () => {
    const line = (name: string) => {
      const { record } = only(name);
      return describeControlRecord(record.control!, record.controlValue);
    };
    expect(line('leader-change')).toBe('LeaderChange: leader 1, voters 1,2,3, granted by 1,2');
    expect(line('kraft-version')).toBe('KRaftVersion: kraft.version 1');
    expect(line('kraft-voters')).toBe('Voters: 1@localhost:9093, 2@localhost:9094');
    expect(line('snapshot-footer')).toBe('SnapshotFooter');
  });

  it('the listing explains the control key and value field by field, and the attribute bits by name', () => {
    const recorder = new SpanRecorder();
    decodeRecordBatches(FIXTURES.get('leader-change')!, { recorder });
    // The first span of a path (a struct's tag buffer shares its struct's path).
    const byPath = new Map([...recorder.spans].reverse().map((s) => [s.path, s]));
    const r = 'batches[0].records[0]';
    expect(byPath.get(`${r}.key.type`)).toMatchObject({ wireType: 'INT16', value: 2 });
    expect(byPath.get(`${r}.key.type`)?.note).toMatch(
      /^LEADER_CHANGE: a new KRaft quorum leader \(KIP-595\)/,
    );
    expect(byPath.get(`${r}.value`)?.note).toMatch(/^LeaderChange: leader 1, voters 1,2,3/);
    expect(byPath.get(`${r}.value.leaderId`)).toMatchObject({ wireType: 'INT32', value: 1 });
    expect(byPath.get(`${r}.value.voters[2].voterId`)).toMatchObject({ value: 3 });
    const attributes = byPath.get('batches[0].attributes');
    expect(attributes?.note).toMatch(/isControl/);
    expect(attributes?.note).not.toMatch(/isTransactional/);
    expect(attributes?.value).toMatchObject({ isControl: true, isTransactional: false });

    const marker = new SpanRecorder();
    decodeRecordBatches(FIXTURES.get('commit')!, { recorder: marker });
    const m = new Map([...marker.spans].reverse().map((s) => [s.path, s]));
    expect(m.get('batches[0].attributes')?.note).toMatch(/isTransactional.*isControl/);
    expect(m.get(`${r}.key.type`)?.note).toMatch(/^COMMIT: end-transaction marker/);
    expect(m.get(`${r}.value.coordinatorEpoch`)).toMatchObject({ wireType: 'INT32', value: 9 });
    // Leaf spans cover the record's key and value bytes exactly once.
    for (const spans of [recorder.spans, marker.spans]) {
      const record = spans.find((s) => s.path === r)!;
      const leaves = spans
        .filter((s) => s.kind !== 'container' && s.path.startsWith(`${r}.`))
        .sort((a, b) => a.offset - b.offset);
      let at = record.offset;
      for (const s of leaves) {
        expect(s.offset, s.path).toBe(at);
        at += s.length;
      }
      expect(at).toBe(record.offset + record.length);
    }
  });
});

describe('bad control records', () => {
  // A flipped attribute bit may name zstd, whose codec loads asynchronously.
  beforeAll(() => ensureCodecs());

  it('a short key, a negative version and a truncated value are DecodeErrors at their bytes', () => {
    expect(() => decodeControlKey(Buffer.from('0000', 'hex'), 7)).toThrow(/got 2 bytes at 0x7/);
    expect(() => decodeControlKey(Buffer.from('ffff0001', 'hex'), 0)).toThrow(/version -1 is negative/);
    const key = decodeControlKey(encodeControlKey(2), 0);
    const value = encodeControlValue(2, { version: 0, leaderId: 1, voters: [{ voterId: 1 }] });
    let err: unknown;
    try {
      decodeControlValue(key, value.subarray(0, value.length - 3), { at: 100 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DecodeError);
    expect((err as DecodeError).message).toMatch(
      /leader-change control record value \(LeaderChangeMessage v0\)/,
    );
    expect((err as DecodeError).offset).toBeGreaterThanOrEqual(100);
    expect((err as DecodeError).offset).toBeLessThan(100 + value.length);
  });

  it('inside a batch, the error names the record and the value field', () => {
    const batch = encodeRecordBatch({
      isControl: true,
      records: [{ key: encodeControlKey(5), value: Buffer.from('0000', 'hex'), timestamp: 0 }],
    });
    expect(() => decodeRecordBatches(batch)).toThrow(
      /kraft-version control record value.*records\[0\]\.value/,
    );
  });

  it('fuzz: corrupted and truncated Kafka control batches decode or fail with a DecodeError inside the input', () => {
    const batches = [...FIXTURES.values()];
    fc.assert(
      fc.property(
        fc.nat(batches.length - 1),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        fc.nat(),
        (which, where, flip, cut) => {
          const base = batches[which];
          const bad = Buffer.from(base);
          // Anywhere; CRC checking is off so that corrupted records reach the control decoding.
          bad[where % bad.length] ^= flip;
          for (const input of [bad, base.subarray(0, cut % base.length)]) {
            try {
              decodeRecordBatches(input, { verifyCrc: false, recorder: new SpanRecorder() });
            } catch (err) {
              expect(err).toBeInstanceOf(DecodeError);
              expect((err as DecodeError).offset).toBeLessThanOrEqual(input.length);
            }
          }
        },
      ),
      { numRuns: 3000, seed: 12 },
    );
  });

  it('an unknown control type keeps its value as bytes, as Kafka does', () => {
    const batch = encodeRecordBatch({
      isControl: true,
      records: [{ key: encodeControlKey(99), value: 'opaque', timestamp: 0 }],
    });
    const record = decodeRecordBatches(batch).batches[0].records[0] as KafkaRecord;
    expect(record.control).toEqual({ version: 0, type: 99, typeName: 'unknown(99)' });
    expect(record.controlValue).toBeUndefined();
    expect(record.value?.toString()).toBe('opaque');
  });
});
