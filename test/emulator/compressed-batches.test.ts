/**
 * Compressed batches on the broker side: the emulator opens them like Kafka's LogValidator does, so a
 * corrupt payload is CORRUPT_MESSAGE (notes/broker-behaviour.md §7 row 17, Kafka's
 * ProduceRequestTest.testCorruptLz4ProduceRequest), records that do not match the header are
 * INVALID_RECORD (DefaultRecordBatch "Incorrect declared batch size"), inner offsets that are not
 * 0..n-1 are rebuilt rather than refused, and ListOffsets by timestamp finds the exact record.
 * Batches are built with the protocol layer's encoder (its own tests check it against Kafka's bytes).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { Produce } from '../../src/protocol/messages/00-produce.js';
import { Fetch } from '../../src/protocol/messages/01-fetch.js';
import { ListOffsets } from '../../src/protocol/messages/02-list-offsets.js';
import { OFF } from '../../src/protocol/records/batch-header.js';
import {
  type CompressionType,
  crc32c,
  decodeRecordBatches,
  encodeRecordBatch,
  ensureCodecs,
} from '../../src/protocol/records/index.js';
import { WireClient } from './support/wire-client.js';

let emulator: Emulator;
let c: WireClient;
const CODECS: CompressionType[] = ['gzip', 'snappy', 'lz4', 'zstd'];

beforeAll(async () => {
  await ensureCodecs();
  emulator = await startEmulator({ port: 0, topics: CODECS.map((name) => ({ name, partitions: 1 })) });
  c = await WireClient.connect(emulator.port);
});

afterAll(async () => {
  c.close();
  await emulator.stop();
});

function batch(compression: CompressionType, timestamps: number[], offsetDeltas?: number[]): Buffer {
  return encodeRecordBatch({
    compression,
    records: timestamps.map((timestamp, i) => ({
      key: `k${i}`,
      value: `value ${i} `.repeat(20),
      timestamp,
      offsetDelta: offsetDeltas?.[i],
    })),
    lastOffsetDelta: timestamps.length - 1,
  });
}

/** The CRC covers attributes..end: after editing those bytes a test must re-sign the batch. */
function resign(b: Buffer): Buffer {
  b.writeUInt32BE(crc32c(b, OFF.attributes, b.length), OFF.crc);
  return b;
}

async function produce(topic: string, records: Buffer) {
  const r = await c.request(Produce, 9, {
    transactionalId: null,
    acks: -1,
    timeoutMs: 1000,
    topicData: [{ name: topic, partitionData: [{ index: 0, records }] }],
  });
  return r.responses[0].partitionResponses[0];
}

async function fetchAll(topic: string) {
  const f = await c.request(Fetch, 12, {
    replicaId: -1,
    maxWaitMs: 0,
    minBytes: 1,
    maxBytes: 1 << 20,
    isolationLevel: 0,
    topics: [{ topic, partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1 << 20 }] }],
  });
  const records = f.responses[0].partitions[0].records as Buffer;
  return decodeRecordBatches(records).batches.flatMap((b) => b.records);
}

async function offsetForTime(topic: string, timestamp: bigint) {
  const r = await c.request(ListOffsets, 7, {
    replicaId: -1,
    isolationLevel: 0,
    topics: [{ name: topic, partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp }] }],
  });
  const p = r.topics[0].partitions[0];
  return { errorCode: p.errorCode, offset: p.offset, timestamp: p.timestamp };
}

describe.each(CODECS)('%s batches', (codec) => {
  it('are stored, served back, and searched by timestamp record by record', async () => {
    const first = await produce(codec, batch(codec, [1000, 1001]));
    const second = await produce(codec, batch(codec, [2000, 3000, 2500, 4000]));
    expect([first.errorCode, first.baseOffset, second.errorCode, second.baseOffset]).toEqual([0, 0n, 0, 2n]);
    const records = await fetchAll(codec);
    expect(records.map((r) => [r.offset, r.key?.toString()])).toEqual([
      [0n, 'k0'],
      [1n, 'k1'],
      [2n, 'k0'],
      [3n, 'k1'],
      [4n, 'k2'],
      [5n, 'k3'],
    ]);
    // 2900 falls inside the second batch: the first record at or after it is offset 3 (t=3000), not
    // the batch's first offset 2 (t=2000).
    expect(await offsetForTime(codec, 2900n)).toEqual({ errorCode: 0, offset: 3n, timestamp: 3000n });
    expect(await offsetForTime(codec, 1001n)).toEqual({ errorCode: 0, offset: 1n, timestamp: 1001n });
    expect(await offsetForTime(codec, 4001n)).toEqual({ errorCode: 0, offset: -1n, timestamp: -1n });
    // MAX_TIMESTAMP (-3, KIP-734): the record holding the largest timestamp.
    expect(await offsetForTime(codec, -3n)).toEqual({ errorCode: 0, offset: 5n, timestamp: 4000n });
  });

  it('with a corrupt payload under a valid CRC are CORRUPT_MESSAGE and leave the log alone', async () => {
    const before = (await fetchAll(codec)).length;
    const b = batch(codec, [5000, 5001]);
    // Overwrite the codec's frame header (gzip/lz4/zstd magic, snappy's xerial header or length).
    b.fill(0xee, OFF.recordsCount + 4, OFF.recordsCount + 12);
    const r = await produce(codec, resign(b));
    expect([r.errorCode, r.baseOffset]).toEqual([2, -1n]);
    expect(r.errorMessage).toMatch(/decompress/i);
    expect((await fetchAll(codec)).length).toBe(before);
  });

  it('whose record count disagrees with the decompressed records are INVALID_RECORD', async () => {
    for (const declared of [2, 4]) {
      const b = batch(codec, [6000, 6001, 6002]);
      b.writeInt32BE(declared, OFF.recordsCount);
      b.writeInt32BE(declared - 1, OFF.lastOffsetDelta);
      const r = await produce(codec, resign(b));
      expect([declared, r.errorCode, r.baseOffset]).toEqual([declared, 87, -1n]);
    }
  });
});

describe('inner offsets of a compressed batch', () => {
  it('that are not 0..n-1 are rewritten to dense offsets, as Kafka rebuilds such batches', async () => {
    const r = await produce('gzip', batch('gzip', [7000, 7001, 7002], [0, 2, 4]));
    expect(r.errorCode).toBe(0);
    const records = (await fetchAll('gzip')).filter((x) => x.offset >= r.baseOffset);
    expect(
      records.map((x) => [x.offset - r.baseOffset, x.timestamp, x.value?.toString().slice(0, 7)]),
    ).toEqual([
      [0n, 7000n, 'value 0'],
      [1n, 7001n, 'value 1'],
      [2n, 7002n, 'value 2'],
    ]);
  });

  it('of an uncompressed batch that are not 0..n-1 are refused with INVALID_RECORD', async () => {
    const r = await produce('gzip', batch('none', [8000, 8001], [0, 5]));
    expect(r.errorCode).toBe(87);
  });
});
