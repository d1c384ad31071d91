import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../../src/protocol/records/crc32.js';
import { crc32c } from '../../../src/protocol/records/crc32c.js';

/** Bit-at-a-time reference (reflected polynomial), written for the test only. */
function bitwise(poly: number, bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ poly : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

describe('crc32c', () => {
  it('matches the published check values (RFC 3720 B.4 and the CRC catalogue)', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(Buffer.alloc(32, 0x00))).toBe(0x8a9136aa);
    expect(crc32c(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43);
    const ascending = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
    expect(crc32c(ascending)).toBe(0x46dd794e);
    const descending = Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i));
    expect(crc32c(descending)).toBe(0x113fdb5c);
    expect(crc32c(Buffer.alloc(0))).toBe(0);
  });

  it('agrees with the bitwise reference on any bytes and any sub-range', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), fc.nat(), (bytes, a, b) => {
        const start = bytes.length ? a % (bytes.length + 1) : 0;
        const end = start + (bytes.length - start ? b % (bytes.length - start + 1) : 0);
        expect(crc32c(bytes, start, end)).toBe(bitwise(0x82f63b78, bytes.subarray(start, end)));
      }),
    );
  });

  it('continues a running checksum through the seed', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.uint8Array({ maxLength: 100 }), (x, y) => {
        expect(crc32c(y, 0, y.length, crc32c(x))).toBe(crc32c(Buffer.concat([x, y])));
      }),
    );
  });
});

describe('crc32 (legacy messages)', () => {
  it('matches the IEEE check value and the bitwise reference', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(crc32(bytes)).toBe(bitwise(0xedb88320, bytes));
      }),
    );
  });
});
