/** Record batches (magic 2), legacy message sets (magic 0/1), their checksums and codecs. */
export {
  type BatchAttributes,
  decodeBatchAttributes,
  describeBatchAttributes,
  encodeBatchAttributes,
} from './attributes.js';
export { BATCH_HEADER_FIELDS, BATCH_HEADER_LAYOUT, BATCH_HEADER_SIZE } from './batch-header.js';
export { offsetAfterWholeBatches } from './batch-scan.js';
export {
  COMPRESSION_TYPES,
  type CompressionType,
  compress,
  DEFAULT_MAX_DECOMPRESSED,
  decompress,
  ensureCodecs,
} from './compression/index.js';
export {
  CONTROL_TYPES,
  CONTROL_VALUE_SCHEMAS,
  type ControlRecordKey,
  type ControlRecordValue,
  controlKeySpans,
  decodeControlKey,
  decodeControlValue,
  decodeEndTxnMarker,
  describeControlRecord,
  type EndTxnMarker,
  EndTxnMarkerMessage,
  encodeControlKey,
  encodeControlValue,
  encodeEndTxnMarker,
  type KRaftVersion,
  KRaftVersionRecord,
  type LeaderChange,
  LeaderChangeMessage,
  type SnapshotFooter,
  SnapshotFooterRecord,
  type SnapshotHeader,
  SnapshotHeaderRecord,
  type Voters,
  VotersRecord,
} from './control-records.js';
export { crc32 } from './crc32.js';
export { crc32c } from './crc32c.js';
export {
  type DecodedLegacyMessageSet,
  type DecodeLegacyOptions,
  decodeLegacyMessageSet,
  type LegacyMessage,
} from './legacy-message-set.js';
export {
  type ControlBatchInput,
  type DecodedRecordBatches,
  type DecodeRecordBatchesOptions,
  decodeRecordBatches,
  encodeControlBatch,
  encodeRecordBatch,
  type HeaderInput,
  type KafkaRecord,
  type RecordBatch,
  type RecordBatchInput,
  type RecordHeader,
  type RecordInput,
} from './record-batch.js';
