import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../../src/protocol/records/crc32.js';
import {
  CRC32C_USES_WASM,
  crc32c,
  crc32cPortable,
  WASM_MIN_BYTES,
} from '../../../src/protocol/records/crc32c.js';
import { crc32cKernelBytes, SCRATCH_BYTES } from '../../../src/protocol/records/crc32c-wasm.js';

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

describe('crc32c: WebAssembly kernel vs the TypeScript loop', () => {
  it('is the path large inputs take on Node, and the assembled module validates', () => {
    expect(CRC32C_USES_WASM).toBe(true);
    expect(WebAssembly.validate(crc32cKernelBytes())).toBe(true);
  });

  it('agrees with the TypeScript loop on any bytes, sub-range, offset in its ArrayBuffer and seed', () => {
    // sizes around the dispatch threshold, the 32-byte step and the 64 KiB scratch chunk
    const size = fc.oneof(
      fc.integer({ min: 0, max: 2 * WASM_MIN_BYTES }),
      fc.integer({ min: SCRATCH_BYTES - 40, max: SCRATCH_BYTES + 40 }),
      fc.integer({ min: 0, max: 3 * SCRATCH_BYTES }),
    );
    fc.assert(
      fc.property(size, fc.nat(7), fc.nat(), fc.nat(), fc.integer(), (n, shift, a, b, seed) => {
        const backing = new Uint8Array(n + shift);
        for (let i = 0; i < backing.length; i++) backing[i] = (i * 2654435761 + seed) >>> 23;
        const bytes = backing.subarray(shift);
        const start = a % (n + 1);
        const end = start + (b % (n - start + 1));
        expect(crc32c(bytes, start, end, seed >>> 0)).toBe(crc32cPortable(bytes, start, end, seed >>> 0));
      }),
      { numRuns: 300 },
    );
  });

  it('matches the bitwise reference across the chunk boundary', () => {
    const bytes = Buffer.alloc(SCRATCH_BYTES * 2 + 77);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + (i >>> 9)) & 0xff;
    expect(crc32c(bytes)).toBe(bitwise(0x82f63b78, bytes));
    expect(crc32c(bytes, 5, bytes.length - 3)).toBe(bitwise(0x82f63b78, bytes.subarray(5, bytes.length - 3)));
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
