/**
 * Record batch v2 builder and reader for emulator tests, written from Kafka's documented layout
 * (docs/protocol "Record Batch": 61-byte header, varint records; CRC-32C over attributes..end).
 */
import { crc32c } from '../../../src/emulator/record-batch.js';
import { Reader } from '../../../src/protocol/primitives/reader.js';
import { Writer } from '../../../src/protocol/primitives/writer.js';

export interface TestRecord {
  key: string | null;
  value: string | null;
  timestamp?: number;
}

export interface BatchOptions {
  baseOffset?: bigint;
  attributes?: number;
  producerId?: bigint;
  producerEpoch?: number;
  baseSequence?: number;
  baseTimestamp?: number;
  /** Override lastOffsetDelta (default records.length - 1). */
  lastOffsetDelta?: number;
  magic?: number;
}

export function buildBatch(records: TestRecord[], o: BatchOptions = {}): Buffer {
  const baseTimestamp = o.baseTimestamp ?? records[0]?.timestamp ?? Date.now();
  const body = new Writer();
  records.forEach((r, i) => {
    const rec = new Writer();
    rec.int8(0);
    rec.varlong(BigInt((r.timestamp ?? baseTimestamp) - baseTimestamp));
    rec.varint(i);
    for (const part of [r.key, r.value]) {
      if (part === null) rec.varint(-1);
      else {
        const b = Buffer.from(part);
        rec.varint(b.length);
        rec.bytes(b);
      }
    }
    rec.varint(0); // headers
    const bytes = rec.finish();
    body.varint(bytes.length);
    body.bytes(bytes);
  });
  const recordBytes = body.finish();
  const maxTs = Math.max(baseTimestamp, ...records.map((r) => r.timestamp ?? baseTimestamp));
  const b = Buffer.alloc(61 + recordBytes.length);
  b.writeBigInt64BE(o.baseOffset ?? 0n, 0);
  b.writeInt32BE(b.length - 12, 8);
  b.writeInt32BE(-1, 12);
  b.writeInt8(o.magic ?? 2, 16);
  b.writeInt16BE(o.attributes ?? 0, 21);
  b.writeInt32BE(o.lastOffsetDelta ?? records.length - 1, 23);
  b.writeBigInt64BE(BigInt(baseTimestamp), 27);
  b.writeBigInt64BE(BigInt(maxTs), 35);
  b.writeBigInt64BE(o.producerId ?? -1n, 43);
  b.writeInt16BE(o.producerEpoch ?? -1, 51);
  b.writeInt32BE(o.baseSequence ?? -1, 53);
  b.writeInt32BE(records.length, 57);
  recordBytes.copy(b, 61);
  b.writeUInt32BE(crc32c(b, 21, b.length), 17);
  return b;
}

export interface ReadRecord {
  offset: bigint;
  key: string | null;
  value: string | null;
  timestamp: number;
}

/** Reads every record of every whole uncompressed batch in a Fetch response's records field. */
export function readBatches(records: Uint8Array | null): ReadRecord[] {
  const out: ReadRecord[] = [];
  if (!records) return out;
  const buf = Buffer.from(records.buffer, records.byteOffset, records.byteLength);
  let at = 0;
  while (buf.length - at >= 61) {
    const size = buf.readInt32BE(at + 8) + 12;
    if (buf.length - at < size) break;
    const baseOffset = buf.readBigInt64BE(at);
    const baseTimestamp = Number(buf.readBigInt64BE(at + 27));
    const count = buf.readInt32BE(at + 57);
    const r = new Reader(buf, { offset: at + 61, end: at + size });
    for (let i = 0; i < count; i++) {
      r.varint();
      r.int8();
      const tsDelta = Number(r.varlong());
      const offsetDelta = r.varint();
      const part = (): string | null => {
        const n = r.varint();
        if (n < 0) return null;
        const s = buf.toString('utf8', r.offset, r.offset + n);
        r.offset += n;
        return s;
      };
      const key = part();
      const value = part();
      const headers = r.varint();
      for (let h = 0; h < headers; h++) {
        part();
        part();
      }
      out.push({ offset: baseOffset + BigInt(offsetDelta), key, value, timestamp: baseTimestamp + tsDelta });
    }
    at += size;
  }
  return out;
}
