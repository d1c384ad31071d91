/**
 * The CRC-32C kernel in WebAssembly, assembled here from named instructions at import (a few hundred
 * bytes, well under a millisecond) and compiled synchronously with `new WebAssembly.Module`.
 *
 * Why assembled in TypeScript and not a .wat file run through a tool: the kernel is one loop of
 * about forty instruction kinds, so a toolchain (wabt's npm build is a multi-megabyte emscripten
 * bundle; binaryen likewise) would be the largest thing in the build for the smallest output, and a
 * committed .wasm blob could drift from its source. Here the source *is* the module: every
 * instruction is spelled out below as in the text format, and the tests compare it with the
 * pure-TypeScript path over random inputs.
 *
 * Why WebAssembly helps at all: Node exposes no CRC instruction, so both paths do slicing-by-16 table
 * lookups, but V8 compiles the WebAssembly loop without typed-array bounds checks or tagged-value
 * checks and keeps all of it in registers (measured here 2-3x the TypeScript loop). The input has to
 * be copied into the module's memory first; a 64 KiB chunk at a time keeps the copy (about 12 GB/s)
 * in cache and a small part of the cost.
 */

import { name, section, sleb, uleb, vec } from './wasm-assembler.js';

// --- the instructions the kernel uses (the shared encodings are in wasm-assembler.ts) ---

const I32 = 0x7f;
/** The instructions the kernel uses, named as in the WebAssembly text format. */
const op = {
  block: [0x02, 0x40], // block (no result)
  loop: [0x03, 0x40],
  end: [0x0b],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  localGet: (i: number) => [0x20, ...uleb(i)],
  localSet: (i: number) => [0x21, ...uleb(i)],
  localTee: (i: number) => [0x22, ...uleb(i)],
  /** i32.load align=4 offset=… (unaligned addresses are allowed, only slower on some hosts) */
  i32Load: (offset: number) => [0x28, 2, ...uleb(offset)],
  i32Load8U: (offset: number) => [0x2d, 0, ...uleb(offset)],
  i32Const: (v: number) => [0x41, ...sleb(v)],
  i32GeU: [0x4f],
  i32LtU: [0x49],
  i32Add: [0x6a],
  i32And: [0x71],
  i32Xor: [0x73],
  i32Shl: [0x74],
  i32ShrU: [0x76],
};

// --- the kernel ---

/** Memory layout: the sixteen 1 KiB tables, then the scratch area inputs are copied into. */
export const TABLES_BYTES = 16 * 256 * 4;
export const SCRATCH_OFFSET = TABLES_BYTES;
export const SCRATCH_BYTES = 64 * 1024;
const PAGES = Math.ceil((SCRATCH_OFFSET + SCRATCH_BYTES) / 65536);

/** Bytes consumed per pass of the main loop (two slicing-by-16 steps). */
const STEP = 32;

/**
 * `update(ptr, len, crc) -> crc`: the running register (not inverted) over memory[ptr, ptr + len).
 * Locals: 0 ptr, 1 len, 2 crc, 3-6 the four words of a 16-byte step, 7 where the current loop stops.
 */
function kernelBody(): number[] {
  const PTR = 0;
  const LEN = 1;
  const CRC = 2;
  const W = [3, 4, 5, 6];
  const STOP = 7;
  const g = op.localGet;
  // Table t holds "byte b followed by t zero bytes"; byte k of word w indexes it. The index is
  // scaled by 4 in the same shift: ((w >>> 8k) & 0xff) << 2 == (w >>> (8k - 2)) & 0x3fc.
  const lookup = (w: number, k: number, table: number) => [
    ...g(w),
    ...(k === 0 ? [...op.i32Const(2), ...op.i32Shl] : [...op.i32Const(8 * k - 2), ...op.i32ShrU]),
    ...op.i32Const(0x3fc),
    ...op.i32And,
    ...op.i32Load(table * 1024),
  ];
  const step16 = (at: number) => {
    const out = [
      // word 0 carries the running CRC; words 1-3 are plain data
      ...g(CRC),
      ...g(PTR),
      ...op.i32Load(at),
      ...op.i32Xor,
      ...op.localSet(W[0]),
    ];
    for (let w = 1; w < 4; w++) out.push(...g(PTR), ...op.i32Load(at + 4 * w), ...op.localSet(W[w]));
    // The data-only lookups first and the CRC-dependent ones last, so the chain from one step's CRC
    // to the next is four lookups long, not sixteen.
    let first = true;
    for (let w = 1; w < 4; w++)
      for (let k = 0; k < 4; k++) {
        out.push(...lookup(W[w], k, 15 - 4 * w - k));
        if (!first) out.push(...op.i32Xor);
        first = false;
      }
    out.push(...lookup(W[0], 0, 15), ...lookup(W[0], 1, 14), ...op.i32Xor);
    out.push(...lookup(W[0], 2, 13), ...lookup(W[0], 3, 12), ...op.i32Xor);
    out.push(...op.i32Xor, ...op.i32Xor, ...op.localSet(CRC));
    return out;
  };
  return [
    // STOP = ptr + (len rounded down to STEP)
    ...g(PTR),
    ...g(LEN),
    ...op.i32Const(-STEP),
    ...op.i32And,
    ...op.i32Add,
    ...op.localSet(STOP),
    ...op.block,
    ...g(PTR),
    ...g(STOP),
    ...op.i32GeU,
    ...op.brIf(0),
    ...op.loop,
    ...step16(0),
    ...step16(16),
    ...g(PTR),
    ...op.i32Const(STEP),
    ...op.i32Add,
    ...op.localTee(PTR),
    ...g(STOP),
    ...op.i32LtU,
    ...op.brIf(0),
    ...op.end,
    ...op.end,
    // the last len % STEP bytes one at a time: crc = (crc >>> 8) ^ T0[(crc ^ byte) & 0xff]
    ...g(STOP),
    ...g(LEN),
    ...op.i32Const(STEP - 1),
    ...op.i32And,
    ...op.i32Add,
    ...op.localSet(STOP),
    ...op.block,
    ...g(PTR),
    ...g(STOP),
    ...op.i32GeU,
    ...op.brIf(0),
    ...op.loop,
    ...g(CRC),
    ...op.i32Const(8),
    ...op.i32ShrU,
    ...g(CRC),
    ...g(PTR),
    ...op.i32Load8U(0),
    ...op.i32Xor,
    ...op.i32Const(0xff),
    ...op.i32And,
    ...op.i32Const(2),
    ...op.i32Shl,
    ...op.i32Load(0),
    ...op.i32Xor,
    ...op.localSet(CRC),
    ...g(PTR),
    ...op.i32Const(1),
    ...op.i32Add,
    ...op.localTee(PTR),
    ...g(STOP),
    ...op.i32LtU,
    ...op.brIf(0),
    ...op.end,
    ...op.end,
    ...g(CRC),
    ...op.end,
  ];
}

/** The whole module: one memory and one function, both exported. */
export function crc32cKernelBytes(): Uint8Array<ArrayBuffer> {
  const body = [...vec([[5, I32]]), ...kernelBody()];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // "\0asm", version 1
    ...section(1, vec([[0x60, ...vec([[I32], [I32], [I32]]), ...vec([[I32]])]])), // (i32 i32 i32) -> i32
    ...section(3, vec([[0]])), // function 0 has type 0
    ...section(5, vec([[0x00, ...uleb(PAGES)]])), // memory, PAGES pages, no maximum
    ...section(
      7,
      vec([
        [...name('memory'), 0x02, 0],
        [...name('update'), 0x00, 0],
      ]),
    ),
    ...section(10, vec([[...uleb(body.length), ...body]])),
  ]);
}

export type Crc32cFn = (bytes: Uint8Array, start: number, end: number, seed: number) => number;

/**
 * Instantiates the kernel with the given slicing-by-16 tables (the ones the TypeScript path uses)
 * and returns a CRC-32C over a byte range, or undefined where WebAssembly is missing or refuses the
 * module (a runtime started with --jitless, a locked-down embedder): callers then keep to TypeScript.
 */
export function createWasmCrc32c(tables: Int32Array): Crc32cFn | undefined {
  let update: (ptr: number, len: number, crc: number) => number;
  let mem: Uint8Array;
  try {
    if (typeof WebAssembly !== 'object') return undefined;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(crc32cKernelBytes()));
    const memory = instance.exports.memory as WebAssembly.Memory;
    update = instance.exports.update as typeof update;
    // the kernel's table lookups read the host's little-endian words, as WebAssembly defines them
    const view = new DataView(memory.buffer);
    for (let i = 0; i < tables.length; i++) view.setInt32(i * 4, tables[i], true);
    mem = new Uint8Array(memory.buffer);
  } catch {
    return undefined;
  }
  return (bytes, start, end, seed) => {
    let crc = ~seed;
    for (let at = start; at < end; at += SCRATCH_BYTES) {
      const n = Math.min(SCRATCH_BYTES, end - at);
      mem.set(bytes.subarray(at, at + n), SCRATCH_OFFSET);
      crc = update(SCRATCH_OFFSET, n, crc);
    }
    return ~crc >>> 0;
  };
}
