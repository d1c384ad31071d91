import zlib from 'node:zlib';

/**
 * Plain CRC-32 (IEEE, as in zlib), the checksum of legacy messages (magic 0 and 1).
 * Node has `zlib.crc32` from 20.15 / 22.2; older runtimes get a bytewise table fallback, which is
 * fine because only old frames being explained use it.
 */

type Crc32Fn = (data: Uint8Array, value?: number) => number;
const native: Crc32Fn | undefined = (zlib as unknown as { crc32?: Crc32Fn }).crc32;

let table: Int32Array | undefined;

function fallback(bytes: Uint8Array): number {
  if (!table) {
    table = new Int32Array(256);
    for (let b = 0; b < 256; b++) {
      let c = b;
      for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
      table[b] = c;
    }
  }
  let crc = ~0;
  for (let i = 0; i < bytes.length; i++) crc = (crc >>> 8) ^ table[(crc ^ bytes[i]) & 0xff];
  return ~crc >>> 0;
}

/** CRC-32 of `bytes[start, end)`, unsigned. */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  const view = start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end);
  return native ? native(view) >>> 0 : fallback(view);
}
