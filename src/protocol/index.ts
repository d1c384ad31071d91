/** kafkalab/protocol: Kafka's wire protocol, declared once per API, explained byte by byte. */
export * from './errors.js';
// The inspector: listing, tree, hex dump, and frames/records as JSON (decoded batches beside `records`).
export * from './explain/index.js';
export * from './frame.js';
export * from './headers.js';
export * from './messages/index.js';
export { Reader } from './primitives/reader.js';
export { type Span, SpanRecorder } from './primitives/spans.js';
export type { WireType } from './primitives/wire-types.js';
export { Writer } from './primitives/writer.js';
export * from './records/index.js';
export { type Codec, codecFor, isFlexible } from './schema/codec.js';
export * from './schema/declare.js';
export { defaultOf, defaultStruct, valuesEqual, ZERO_UUID } from './schema/defaults.js';
export * from './schema/json.js';
export { inVersions, listVersions, parseVersions } from './schema/versions.js';
