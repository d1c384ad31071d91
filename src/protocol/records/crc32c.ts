/**
 * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of record batch v2
 * (KIP-98 moved from CRC-32 to CRC-32C because CPUs have an instruction for it; Node has none
 * exposed, so we compute it in software).
 *
 * Slicing-by-8: eight 256-entry tables built once at module load let the loop consume 8 bytes per
 * iteration instead of 1, roughly 4-6x faster than the bytewise loop on large batches.
 */

const POLY = 0x82f63b78;

/** T[k][b] = CRC of byte b followed by k zero bytes; stored flat, table k at k*256. */
const TABLES = buildTables();

function buildTables(): Int32Array {
  const t = new Int32Array(8 * 256);
  for (let b = 0; b < 256; b++) {
    let c = b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t[b] = c;
  }
  for (let b = 0; b < 256; b++) {
    for (let k = 1; k < 8; k++) {
      const prev = t[(k - 1) * 256 + b];
      t[k * 256 + b] = (prev >>> 8) ^ t[prev & 0xff];
    }
  }
  return t;
}

/**
 * CRC-32C of `bytes[start, end)`. Pass a previous result as `seed` to continue a running checksum
 * over several pieces. Returns an unsigned 32-bit number.
 */
export function crc32c(bytes: Uint8Array, start = 0, end = bytes.length, seed = 0): number {
  const t = TABLES;
  let crc = ~seed;
  let i = start;
  // Typed-array reads have no alignment cost, so the 8-byte loop starts at once; the tail is bytewise.
  const stop8 = end - 8;
  while (i <= stop8) {
    const lo = crc ^ (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24));
    crc =
      t[7 * 256 + (lo & 0xff)] ^
      t[6 * 256 + ((lo >>> 8) & 0xff)] ^
      t[5 * 256 + ((lo >>> 16) & 0xff)] ^
      t[4 * 256 + (lo >>> 24)] ^
      t[3 * 256 + bytes[i + 4]] ^
      t[2 * 256 + bytes[i + 5]] ^
      t[256 + bytes[i + 6]] ^
      t[bytes[i + 7]];
    i += 8;
  }
  while (i < end) {
    crc = (crc >>> 8) ^ t[(crc ^ bytes[i++]) & 0xff];
  }
  return ~crc >>> 0;
}
