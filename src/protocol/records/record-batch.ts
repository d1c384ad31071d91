import type { BatchAttributes } from './attributes.js';
import type { ControlRecordKey, ControlRecordValue, EndTxnMarker } from './control-records.js';

/**
 * Record batch v2 (magic 2, KIP-98), Kafka's `DefaultRecordBatch` and `DefaultRecord`. The types
 * live here; batch-encoder.ts writes them and batch-decoder.ts reads them.
 */

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

export interface Record {
  /** Unused by Kafka so far; always 0 on the wire. */
  attributes: number;
  timestampDelta: bigint;
  offsetDelta: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
  /** baseOffset + offsetDelta. */
  offset: bigint;
  /** baseTimestamp + timestampDelta (or the batch's maxTimestamp when the batch uses log-append time). */
  timestamp: bigint;
  /** Present in control batches only. */
  control?: ControlRecordKey;
  /** Present for commit/abort control records. */
  endTxnMarker?: EndTxnMarker;
  /** Present in control batches when the key's type is one Kafka defines: the value, decoded. */
  controlValue?: ControlRecordValue;
}

/** `Record` shadows TypeScript's utility type in importing modules; this alias avoids that. */
export type KafkaRecord = Record;

export interface RecordBatch {
  baseOffset: bigint;
  /** Bytes after the batchLength field (the whole batch is batchLength + 12 bytes). */
  batchLength: number;
  partitionLeaderEpoch: number;
  magic: number;
  /** CRC-32C as stored in the batch. */
  crc: number;
  attributes: BatchAttributes;
  lastOffsetDelta: number;
  baseTimestamp: bigint;
  maxTimestamp: bigint;
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  records: Record[];
}

export type { BatchAttributes } from './attributes.js';
export {
  type DecodedRecordBatches,
  type DecodeRecordBatchesOptions,
  decodeRecordBatches,
} from './batch-decoder.js';
export {
  type ControlBatchInput,
  encodeControlBatch,
  encodeRecordBatch,
  type HeaderInput,
  type RecordBatchInput,
  type RecordInput,
} from './batch-encoder.js';
