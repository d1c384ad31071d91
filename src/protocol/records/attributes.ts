import { DecodeError } from '../errors.js';
import { COMPRESSION_TYPES, type CompressionType } from './compression/index.js';

/**
 * The int16 attributes of a magic-2 batch. Bits 0-2 compression, 3 timestamp type, 4 transactional
 * (KIP-98), 5 control (KIP-98), 6 delete horizon set (KIP-534: baseTimestamp then holds the time
 * after which tombstones and abort markers may be removed by the log cleaner).
 */
export interface BatchAttributes {
  compression: CompressionType;
  timestampType: 'create' | 'log-append';
  isTransactional: boolean;
  isControl: boolean;
  hasDeleteHorizon: boolean;
}

export function decodeBatchAttributes(bits: number, at: number): BatchAttributes {
  const compression = COMPRESSION_TYPES[bits & 7];
  if (compression === undefined) throw new DecodeError(`unknown compression codec id ${bits & 7}`, at);
  return {
    compression,
    timestampType: bits & 8 ? 'log-append' : 'create',
    isTransactional: (bits & 0x10) !== 0,
    isControl: (bits & 0x20) !== 0,
    hasDeleteHorizon: (bits & 0x40) !== 0,
  };
}

export function encodeBatchAttributes(a: BatchAttributes): number {
  return (
    COMPRESSION_TYPES.indexOf(a.compression) |
    (a.timestampType === 'log-append' ? 8 : 0) |
    (a.isTransactional ? 0x10 : 0) |
    (a.isControl ? 0x20 : 0) |
    (a.hasDeleteHorizon ? 0x40 : 0)
  );
}

/**
 * "compression=lz4, timestamp=create, isTransactional" — the attribute bits spelled out for
 * explanations, the two KIP-98 bits under the names Kafka's RecordBatch gives them (isTransactional,
 * isControl), so that a listing, a tree and the JSON form all say the same words.
 */
export function describeBatchAttributes(bits: number): string {
  const parts = [
    `compression=${COMPRESSION_TYPES[bits & 7] ?? `unknown(${bits & 7})`}`,
    bits & 8 ? 'timestamp=log-append' : 'timestamp=create',
  ];
  if (bits & 0x10) parts.push('isTransactional');
  if (bits & 0x20) parts.push('isControl');
  if (bits & 0x40) parts.push('delete-horizon');
  if (bits & ~0x7f) parts.push(`unused bits 0x${(bits & ~0x7f & 0xffff).toString(16)} set`);
  return `0b${(bits & 0xffff).toString(2).padStart(7, '0')}: ${parts.join(', ')}`;
}
