/**
 * A record batch in a few words, for a viewer's list of batches and its tree: how it is compressed
 * and what that saved (the bytes on the wire and the bytes the decoder inflated them to), how many
 * records, and for a control batch which marker it carries (KIP-98: COMMIT or ABORT of a
 * transaction, or one of KRaft's control records). Everything comes from the spans src/protocol
 * recorded while decoding the frame: the batch's fields' values, and the decoder's own note on a
 * compressed records field, which states both sizes.
 */
import type { SpanNode } from '../protocol/explain/index.js';
import { CONTROL_TYPES } from '../protocol/records/control-records.js';

export interface BatchLabel {
  /** The batch's path (`topicData[0].partitionData[0].records.batches[1]`) and bytes in the frame. */
  path: string;
  offset: number;
  length: number;
  compression: string;
  /** The records part as sent, and as decompressed (only for a compressed batch whose note says so). */
  compressedBytes?: number;
  uncompressedBytes?: number;
  records: number;
  transactional: boolean;
  /** `commit`, `abort`, `leader-change`, … for a control batch. */
  control?: string;
  producerId?: number;
  producerEpoch?: number;
  /** The words a viewer shows. */
  text: string;
}

/** The decoder's note on a compressed batch's records (explain of record batches). */
const COMPRESSED_NOTE = /^compressed with \S+: (\d+) → (\d+) bytes/;

/** The label of a RECORD_BATCH span node, or undefined when its header was not read. */
export function batchLabel(batch: SpanNode): BatchLabel | undefined {
  const child = (name: string) => batch.children.find((c) => c.span.path === `${batch.span.path}.${name}`);
  const attributes = child('attributes')?.span.value as
    | { compression?: string; isTransactional?: boolean; isControl?: boolean }
    | undefined;
  if (!attributes) return undefined;
  const compression = attributes.compression ?? 'none';
  const count = child('recordsCount')?.span.value;
  const records = typeof count === 'number' ? count : 0;
  const label: BatchLabel = {
    path: batch.span.path,
    offset: batch.span.offset,
    length: batch.span.length,
    compression,
    records,
    transactional: attributes.isTransactional === true,
    text: '',
  };
  const producerId = Number(child('producerId')?.span.value ?? -1);
  if (producerId >= 0) {
    label.producerId = producerId;
    label.producerEpoch = Number(child('producerEpoch')?.span.value ?? -1);
  }
  const body = child('records');
  if (compression !== 'none' && body) {
    label.compressedBytes = body.span.length;
    const sizes = COMPRESSED_NOTE.exec(body.span.note ?? '');
    if (sizes) label.uncompressedBytes = Number(sizes[2]);
  }
  if (attributes.isControl) {
    // The one record's key says which control record it is.
    const type = body?.children
      .flatMap((r) => r.children)
      .find((c) => c.span.path.endsWith('.key'))
      ?.children.find((c) => c.span.path.endsWith('.key.type'))?.span.value;
    label.control = typeof type === 'number' ? (CONTROL_TYPES[type] ?? `control type ${type}`) : 'control';
  }
  label.text = describe(label);
  return label;
}

function describe(b: BatchLabel): string {
  const producer = b.producerId === undefined ? '' : `producer ${b.producerId} epoch ${b.producerEpoch}`;
  if (b.control) {
    const marker = b.control === 'commit' || b.control === 'abort';
    return `control batch: ${marker ? `${b.control.toUpperCase()} marker` : b.control}${producer ? ` (${producer})` : ''}`;
  }
  const parts = [`${b.records} record${b.records === 1 ? '' : 's'}`];
  if (b.compression !== 'none')
    parts.unshift(
      b.uncompressedBytes === undefined
        ? `${b.compression}: ${b.compressedBytes} bytes compressed`
        : `${b.compression}: ${b.compressedBytes} → ${b.uncompressedBytes} bytes`,
    );
  else parts.push('uncompressed');
  if (b.transactional) parts.push('transactional');
  if (producer) parts.push(producer);
  return parts.join(', ');
}
