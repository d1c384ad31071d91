import { BATCH_HEADER_SIZE, LOG_OVERHEAD, OFF } from './batch-header.js';

const MAGIC_V2 = 2;

/**
 * Where a consumer's next fetch starts after these record batches, read from batch headers alone
 * (baseOffset + lastOffsetDelta + 1 of the last whole batch), without decoding a record or checking a
 * CRC. It lets a consumer send its next Fetch the moment a response arrives and decode while the
 * broker works (Java's consumer also fetches ahead of what poll() has handed out).
 *
 * Stops, as the decoder does, at a batch cut short by the broker's fetch size limit; also stops at
 * anything that is not a v2 batch header, so the position never moves past bytes that the decoder
 * would refuse: decoding then reports that error at that batch. Returns null when no whole batch is
 * there.
 */
export function offsetAfterWholeBatches(bytes: Uint8Array): bigint | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.byteLength;
  let pos = 0;
  let after: bigint | null = null;
  // Each step moves past one whole batch (>= 61 bytes) or stops: bounded by the input.
  while (end - pos >= BATCH_HEADER_SIZE) {
    const batchLength = view.getInt32(pos + OFF.batchLength);
    if (view.getInt8(pos + OFF.magic) !== MAGIC_V2) break;
    if (batchLength < BATCH_HEADER_SIZE - LOG_OVERHEAD || batchLength > end - pos - LOG_OVERHEAD) break;
    const lastOffsetDelta = view.getInt32(pos + OFF.lastOffsetDelta);
    after = view.getBigInt64(pos + OFF.baseOffset) + BigInt(lastOffsetDelta) + 1n;
    pos += LOG_OVERHEAD + batchLength;
  }
  return after;
}
