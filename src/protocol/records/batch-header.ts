import { createRequire } from 'node:module';
import type BufferLayoutModule from 'buffer-layout';

// require(), not import: importing a CommonJS file from an ES module makes Node scan its whole
// source for export names (cjs-module-lexer), ~13 ms of the emulator's start for an 84 KB file.
const BufferLayout: typeof BufferLayoutModule = createRequire(import.meta.url)('buffer-layout');

import type { WireType } from '../primitives/wire-types.js';

/**
 * The fixed 61-byte header of a magic-2 record batch (Kafka's `DefaultRecordBatch`), described once
 * with buffer-layout. The description drives the explanation (spans: each field's offset, size and
 * wire type come from here) and the tests; the hot decode/encode paths in record-batch.ts read and
 * write the same offsets with direct Buffer calls, because the layout's generic per-field decode
 * measured 3-7x slower (1.3-3.4 µs vs 0.3-0.5 µs per header decode, Node 20, 200k iterations)
 * and a Fetch response can carry thousands of batches.
 */

/** buffer-layout's 64-bit layouts go through doubles; Kafka's int64 must stay exact. */
class Int64BE extends BufferLayout.Layout<bigint> {
  constructor(property: string) {
    super(8, property);
  }
  override decode(b: Uint8Array, offset = 0): bigint {
    return Buffer.from(b.buffer, b.byteOffset, b.byteLength).readBigInt64BE(offset);
  }
  override encode(src: bigint, b: Uint8Array, offset = 0): number {
    Buffer.from(b.buffer, b.byteOffset, b.byteLength).writeBigInt64BE(src, offset);
    return 8;
  }
}

export interface BatchHeaderFields {
  baseOffset: bigint;
  batchLength: number;
  partitionLeaderEpoch: number;
  magic: number;
  crc: number;
  attributes: number;
  lastOffsetDelta: number;
  baseTimestamp: bigint;
  maxTimestamp: bigint;
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  recordsCount: number;
}

export const BATCH_HEADER_LAYOUT = BufferLayout.struct<BatchHeaderFields>([
  new Int64BE('baseOffset'),
  BufferLayout.s32be('batchLength'),
  BufferLayout.s32be('partitionLeaderEpoch'),
  BufferLayout.s8('magic'),
  BufferLayout.u32be('crc'),
  BufferLayout.s16be('attributes'),
  BufferLayout.s32be('lastOffsetDelta'),
  new Int64BE('baseTimestamp'),
  new Int64BE('maxTimestamp'),
  new Int64BE('producerId'),
  BufferLayout.s16be('producerEpoch'),
  BufferLayout.s32be('baseSequence'),
  BufferLayout.s32be('recordsCount'),
]);

export const BATCH_HEADER_SIZE = 61;

/** Wire type of each header field, as Kafka's protocol guide names them. */
const WIRE: Record<keyof BatchHeaderFields, WireType> = {
  baseOffset: 'INT64',
  batchLength: 'INT32',
  partitionLeaderEpoch: 'INT32',
  magic: 'INT8',
  crc: 'UINT32',
  attributes: 'INT16',
  lastOffsetDelta: 'INT32',
  baseTimestamp: 'INT64',
  maxTimestamp: 'INT64',
  producerId: 'INT64',
  producerEpoch: 'INT16',
  baseSequence: 'INT32',
  recordsCount: 'INT32',
};

export interface HeaderField {
  name: keyof BatchHeaderFields;
  offset: number;
  size: number;
  wireType: WireType;
}

/** The header fields in wire order with their offsets from the start of the batch. */
export const BATCH_HEADER_FIELDS: readonly HeaderField[] = BATCH_HEADER_LAYOUT.fields.map((f) => {
  const name = f.property as keyof BatchHeaderFields;
  return { name, offset: BATCH_HEADER_LAYOUT.offsetOf(name)!, size: f.span, wireType: WIRE[name] };
});

/** Offsets used by the hot paths; checked against the layout in the tests. */
export const OFF = {
  baseOffset: 0,
  batchLength: 8,
  partitionLeaderEpoch: 12,
  magic: 16,
  crc: 17,
  attributes: 21,
  lastOffsetDelta: 23,
  baseTimestamp: 27,
  maxTimestamp: 35,
  producerId: 43,
  producerEpoch: 51,
  baseSequence: 53,
  recordsCount: 57,
} as const;

/** batchLength counts from partitionLeaderEpoch on; the CRC covers attributes to the end. */
export const LOG_OVERHEAD = 12;
