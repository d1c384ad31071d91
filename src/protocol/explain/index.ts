/** Explain any frame byte by byte: listing, tree, hex dump with carets. */
export { carriesRecords, codecsFor } from './codecs.js';
export {
  describeSpan,
  type ExplainOptions,
  type Explanation,
  explainRequest,
  explainResponse,
  markField,
} from './explain.js';
export { formatBytes, formatOffset, formatValue, hexBytes } from './format-value.js';
export { type HexMark, renderHexDump } from './hex-dump.js';
export { explanationToJson, explanationToJsonText, type FrameJsonOptions } from './json.js';
export { alignColumns, type ListingOptions, renderListing } from './listing.js';
export { drillIntoRecords } from './records.js';
export {
  batchToJson,
  bytesToJson,
  type RecordsJsonOptions,
  recordsToJson,
  recordToJson,
  toKafkaJsonTextWithRecords,
  toKafkaJsonWithRecords,
} from './records-json.js';
export { findSpan, leafSpans, pathSegments, type SpanNode, spanTree } from './span-tree.js';
export { renderTree } from './tree.js';
