import { DecodeError } from '../errors.js';

/**
 * Control records (KIP-98): the only record of a control batch. Its key is `version int16, type
 * int16`; for transaction markers (abort 0, commit 1) the value is an EndTxnMarker
 * `version int16, coordinatorEpoch int32`. KRaft (KIP-595, KIP-630) added more types that only the
 * metadata log carries.
 */
export const CONTROL_TYPES: Record<number, string> = {
  0: 'abort',
  1: 'commit',
  2: 'leader-change',
  3: 'snapshot-header',
  4: 'snapshot-footer',
  5: 'kraft-version',
  6: 'kraft-voters',
};

export interface ControlRecordKey {
  version: number;
  type: number;
  /** 'abort', 'commit', … or `unknown(n)`. */
  typeName: string;
}

export interface EndTxnMarker {
  version: number;
  coordinatorEpoch: number;
}

export function decodeControlKey(key: Buffer | null, at: number): ControlRecordKey {
  if (key === null || key.length < 4) {
    throw new DecodeError(
      `control record key must hold version int16 and type int16, got ${key?.length ?? 'null'}`,
      at,
    );
  }
  const version = key.readInt16BE(0);
  const type = key.readInt16BE(2);
  return { version, type, typeName: CONTROL_TYPES[type] ?? `unknown(${type})` };
}

export function decodeEndTxnMarker(value: Buffer | null, at: number): EndTxnMarker {
  if (value === null || value.length < 6) {
    throw new DecodeError(`transaction marker value must hold version int16 and coordinatorEpoch int32`, at);
  }
  return { version: value.readInt16BE(0), coordinatorEpoch: value.readInt32BE(2) };
}

export function encodeControlKey(type: 'abort' | 'commit'): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeInt16BE(0, 0);
  b.writeInt16BE(type === 'commit' ? 1 : 0, 2);
  return b;
}

export function encodeEndTxnMarker(coordinatorEpoch: number): Buffer {
  const b = Buffer.allocUnsafe(6);
  b.writeInt16BE(0, 0);
  b.writeInt32BE(coordinatorEpoch, 2);
  return b;
}
