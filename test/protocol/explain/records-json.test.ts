// Record batches in the JSON form of a frame: beside Kafka's base64 `records` field, the decoded
// batches (header, attributes by name, crcValid) and records (key/value/headers as UTF-8 text when
// valid, { base64 } otherwise); a flipped byte inside a batch is named as the listing names it.
import { describe, expect, it } from 'vitest';
import {
  explainRequest,
  explainResponse,
  explanationToJson,
  explanationToJsonText,
  recordsToJson,
  toKafkaJsonTextWithRecords,
} from '../../../src/protocol/explain/index.js';
import { encodeRequestFrame, encodeResponseFrame } from '../../../src/protocol/frame.js';
import * as protocol from '../../../src/protocol/index.js';
import { Fetch, Produce } from '../../../src/protocol/messages/index.js';
import { encodeControlBatch, encodeRecordBatch } from '../../../src/protocol/records/index.js';
import { fromKafkaJson, parseKafkaJson } from '../../../src/protocol/schema/json.js';

const batch = encodeRecordBatch({
  baseOffset: 0n,
  baseTimestamp: 1_700_000_000_000n,
  producerId: 7n,
  producerEpoch: 1,
  baseSequence: 0,
  isTransactional: true,
  records: [
    { key: 'k1', value: 'hello', headers: [{ key: 'h', value: 'v' }], timestamp: 1_700_000_000_000n },
    {
      key: null,
      value: Buffer.from([0xff, 0x00, 0xfe]),
      headers: [{ key: 'bin', value: Buffer.from([0xc3]) }],
    },
  ],
});

function produceFrame(records: Buffer | null): Buffer {
  return encodeRequestFrame({
    api: Produce,
    version: 9,
    correlationId: 5,
    clientId: 'c',
    body: {
      transactionalId: null,
      acks: -1,
      timeoutMs: 1000,
      topicData: [{ name: 'orders', partitionData: [{ index: 0, records }] }],
    },
  });
}

const partitionOf = (json: any) => json.body.topicData[0].partitionData[0];

describe('records in the JSON form of a frame', () => {
  it('keeps Kafka’s base64 field and adds the decoded batches beside it', () => {
    const e = explainRequest(produceFrame(batch));
    const json = JSON.parse(explanationToJsonText(e));
    const p = partitionOf(json);
    expect(p.records).toBe(batch.toString('base64'));
    expect(p.recordsDecoded.truncatedBytes).toBe(0);
    expect(p.recordsDecoded.error).toBeUndefined();
    const [b] = p.recordsDecoded.batches;
    expect(b).toMatchObject({
      baseOffset: 0,
      magic: 2,
      crcValid: true,
      crc: batch.readUInt32BE(17),
      attributes: {
        compression: 'none',
        timestampType: 'create',
        isTransactional: true,
        isControl: false,
        hasDeleteHorizon: false,
      },
      producerId: 7,
      producerEpoch: 1,
      baseSequence: 0,
      lastOffsetDelta: 1,
      baseTimestamp: 1_700_000_000_000,
      recordsCount: 2,
    });
    expect(b.records[0]).toMatchObject({
      offset: 0,
      timestamp: 1_700_000_000_000,
      key: 'k1',
      value: 'hello',
      headers: [{ key: 'h', value: 'v' }],
    });
    // Not UTF-8: base64, marked as such; null stays null.
    expect(b.records[1]).toMatchObject({
      offset: 1,
      key: null,
      value: { base64: Buffer.from([0xff, 0x00, 0xfe]).toString('base64') },
      headers: [{ key: 'bin', value: { base64: 'ww==' } }],
    });
  });

  it('names a flipped byte inside a batch as a CRC mismatch, as the listing does', () => {
    const frame = produceFrame(batch);
    const at = frame.indexOf(Buffer.from('hello'));
    frame[at] ^= 0x01; // 'hello' → 'iello': the CRC no longer matches
    const e = explainRequest(frame);
    const listingNote = /not record batches: (CRC-32C mismatch[^\n]*)/.exec(e.listing())![1].trimEnd();
    const p = partitionOf(explanationToJson(e));
    expect(p.recordsDecoded.error).toBe(`not record batches: ${listingNote}`);
    expect(p.recordsDecoded.error).toMatch(/CRC-32C mismatch: stored 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}/);
    const [b] = p.recordsDecoded.batches;
    expect(b.crcValid).toBe(false);
    expect(b.error).toBe(listingNote);
    // What the damaged batch claims to hold is still shown.
    expect(b.records[0].value).toBe('iello');
  });

  it('shows the good batches around a corrupted one, each with its own crcValid', () => {
    const second = encodeRecordBatch({ baseOffset: 2n, records: [{ value: 'two' }] });
    const third = encodeRecordBatch({ baseOffset: 3n, records: [{ value: 'three' }] });
    const bad = Buffer.from(second);
    bad[bad.length - 1] ^= 0x20; // 'two' → 'twO'
    const j = recordsToJson(Buffer.concat([batch, bad, third])) as any;
    expect(j.batches.map((b: any) => b.crcValid)).toEqual([true, false, true]);
    expect(j.error).toMatch(/^not record batches: CRC-32C mismatch.* \(batches\[1\]\.crc\)$/);
    expect(j.batches[1].error).toMatch(/\(batches\[1\]\.crc\)$/);
    expect(j.batches[2].records[0].value).toBe('three');
  });

  it('counts a partial batch at the end of a Fetch response and names garbage', () => {
    const cut = Buffer.concat([batch, batch.subarray(0, 30)]);
    expect((recordsToJson(cut) as any).truncatedBytes).toBe(30);
    const legacy = Buffer.from(batch);
    legacy[16] = 1; // magic 1
    const j = recordsToJson(legacy) as any;
    expect(j.error).toMatch(/^not record batches: magic 1 is not 2 \(a legacy message set/);
    expect(recordsToJson(null)).toBeNull();
  });

  it('decodes Fetch response records, control batches included', () => {
    const marker = encodeControlBatch({ type: 'commit', baseOffset: 2n, producerId: 7n, producerEpoch: 1 });
    const records = Buffer.concat([batch, marker]);
    const frame = encodeResponseFrame({
      api: Fetch,
      version: 12,
      correlationId: 9,
      body: {
        throttleTimeMs: 0,
        errorCode: 0,
        sessionId: 0,
        responses: [
          {
            topic: 'orders',
            partitions: [
              {
                partitionIndex: 0,
                errorCode: 0,
                highWatermark: 3n,
                lastStableOffset: 3n,
                logStartOffset: 0n,
                abortedTransactions: null,
                preferredReadReplica: -1,
                records,
              },
            ],
          },
        ],
      } as any,
    });
    const json = explanationToJson(explainResponse(frame, Fetch, 12)) as any;
    const decoded = json.body.responses[0].partitions[0].recordsDecoded;
    expect(decoded.batches).toHaveLength(2);
    expect(decoded.batches[1].attributes.isControl).toBe(true);
    expect(decoded.batches[1].records[0].control).toMatchObject({ type: 1, typeName: 'commit' });
  });

  it('is the same through the library’s value-level API, and Kafka’s JSON reader ignores the extra key', () => {
    const body = {
      transactionalId: null,
      acks: 1,
      timeoutMs: 1000,
      topicData: [{ name: 'orders', partitionData: [{ index: 0, records: batch }] }],
    };
    const text = toKafkaJsonTextWithRecords(Produce.request, 9, body, 2);
    const tree = parseKafkaJson(text) as any;
    expect(tree.topicData[0].partitionData[0].recordsDecoded.batches[0].records[0].key).toBe('k1');
    const back = fromKafkaJson(Produce.request, 9, tree) as any;
    expect(Buffer.from(back.topicData[0].partitionData[0].records)).toEqual(batch);
    // Exported from kafkalab/protocol.
    expect(typeof protocol.toKafkaJsonWithRecords).toBe('function');
    expect(typeof protocol.explanationToJson).toBe('function');
    expect(typeof protocol.recordsToJson).toBe('function');
  });

  it('keeps int64 exact in the text form', () => {
    const big = encodeRecordBatch({ baseOffset: 2n ** 62n + 1n, records: [{ value: 'x' }] });
    const text = explanationToJsonText(explainRequest(produceFrame(big)));
    expect(text).toContain(`"baseOffset": ${2n ** 62n + 1n}`);
    expect(text).toContain(`"offset": ${2n ** 62n + 1n}`);
  });
});
