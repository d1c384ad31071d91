/**
 * Raw snappy decompression in WebAssembly, assembled here from named instructions at import (as
 * crc32c-wasm.ts is, for the same reasons: the source is the module, no toolchain, no blob).
 *
 * Why: a produced batch is decompressed for validation on every Produce (LogValidator reads every
 * record), and franz-go compresses with snappy by default; after the in-place record walk this loop
 * was the emulator's largest cost. Records repeat, so a batch's snappy stream is mostly copies of
 * 32-64 bytes: in TypeScript each is a copyWithin call into the runtime, here a few 8-byte loads
 * and stores (the reference decoder's trick: a source 8 or more bytes back can be moved in 8-byte
 * steps even when it overlaps), and short literals are two 8-byte moves.
 *
 * The kernel only says "done" or "refused": on any malformed input it answers -1 and the caller
 * runs the TypeScript decoder (snappy-raw.ts), whose error names the byte and the problem. Both are
 * held to the same output by test/protocol/records/snappy-wasm.test.ts.
 */

import { name, section, sleb, uleb, vec } from '../wasm-assembler.js';

// --- the instructions the kernel uses (the shared encodings are in wasm-assembler.ts) ---

const I32 = 0x7f;
const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  else: [0x05],
  end: [0x0b],
  br: (depth: number) => [0x0c, ...uleb(depth)],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  return: [0x0f],
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  /** i32.load align=1 (unaligned reads are allowed) */
  load32: [0x28, 0, 0],
  load8: [0x2d, 0, 0],
  load16: [0x2f, 0, 0],
  store8: [0x3a, 0, 0],
  /** i64.load / i64.store align=1 offset=… : eight bytes at a time */
  load64: (offset: number) => [0x29, 0, ...uleb(offset)],
  store64: (offset: number) => [0x37, 0, ...uleb(offset)],
  leU: [0x4d],
  const: (v: number) => [0x41, ...sleb(v)],
  eqz: [0x45],
  eq: [0x46],
  ltU: [0x49],
  gtU: [0x4b],
  geU: [0x4f],
  add: [0x6a],
  sub: [0x6b],
  and: [0x71],
  or: [0x72],
  shl: [0x74],
  shrU: [0x76],
  /** memory.copy (bulk memory): dst, src, n — memmove semantics */
  memoryCopy: [0xfc, 0x0a, 0x00, 0x00],
};

// Parameters and locals of `expand(i, srcEnd, dst, dstEnd) -> end of output | -1`.
const I = 0;
const SRC_END = 1;
const DST = 2;
const DST_END = 3;
const O = 4;
const TAG = 5;
const LEN = 6;
const OFF = 7;
const K = 8;

const g = op.get;
const s = op.set;
/** `if (cond) return -1` where `cond` leaves an i32 on the stack. */
const refuseIf = (cond: number[]) => [...cond, ...op.if, ...op.const(-1), ...op.return, ...op.end];
const addTo = (local: number, v: number[]) => [...g(local), ...v, ...op.add, ...s(local)];

/**
 * The element loop of raw snappy (format_description.txt): tag byte, low 2 bits the element type —
 * literal (length in the tag or 1-4 more bytes), copy with a 1-, 2- or 4-byte offset. Every read
 * and write is checked against srcEnd and dstEnd; counts are compared unsigned and before any add
 * that could wrap.
 */
function kernelBody(): number[] {
  const literal = [
    ...g(TAG),
    ...op.const(2),
    ...op.shrU,
    ...s(LEN),
    ...g(LEN),
    ...op.const(60),
    ...op.geU,
    ...op.if,
    // 60-63: the length - 1 is in the next 1-4 bytes, little-endian (OFF holds how many)
    ...g(LEN),
    ...op.const(59),
    ...op.sub,
    ...s(OFF),
    ...refuseIf([...g(SRC_END), ...g(I), ...op.sub, ...g(OFF), ...op.ltU]),
    // one unaligned 4-byte read, masked to OFF bytes (the input is padded, see below)
    ...g(I),
    ...op.load32,
    ...op.const(-1),
    ...op.const(32),
    ...g(OFF),
    ...op.const(3),
    ...op.shl,
    ...op.sub,
    ...op.shrU,
    ...op.and,
    ...s(LEN),
    ...addTo(I, g(OFF)),
    ...op.end,
    // len + 1 bytes must be there: len < srcEnd - i (no wrap for len = 2^32 - 1)
    ...refuseIf([...g(LEN), ...g(SRC_END), ...g(I), ...op.sub, ...op.geU]),
    ...addTo(LEN, op.const(1)),
    ...refuseIf([...g(LEN), ...g(DST_END), ...g(O), ...op.sub, ...op.gtU]),
    // Short literals (the rule between copies) as two 8-byte moves; the bytes past the literal
    // land in output not yet written (or the padding after it) and are overwritten later.
    ...g(LEN),
    ...op.const(16),
    ...op.leU,
    ...op.if,
    ...g(O),
    ...g(I),
    ...op.load64(0),
    ...op.store64(0),
    ...g(O),
    ...g(I),
    ...op.load64(8),
    ...op.store64(8),
    ...op.else,
    ...g(O),
    ...g(I),
    ...g(LEN),
    ...op.memoryCopy,
    ...op.end,
    ...addTo(I, g(LEN)),
    ...addTo(O, g(LEN)),
  ];
  const copyHeader = [
    ...g(TAG),
    ...op.const(3),
    ...op.and,
    ...op.const(1),
    ...op.eq,
    ...op.if,
    // 1-byte offset: 3 offset bits and 3 length bits in the tag
    ...refuseIf([...g(I), ...g(SRC_END), ...op.geU]),
    ...g(TAG),
    ...op.const(2),
    ...op.shrU,
    ...op.const(7),
    ...op.and,
    ...op.const(4),
    ...op.add,
    ...s(LEN),
    ...g(TAG),
    ...op.const(5),
    ...op.shrU,
    ...op.const(8),
    ...op.shl,
    ...g(I),
    ...op.load8,
    ...op.or,
    ...s(OFF),
    ...addTo(I, op.const(1)),
    ...op.else,
    ...g(TAG),
    ...op.const(2),
    ...op.shrU,
    ...op.const(1),
    ...op.add,
    ...s(LEN),
    ...g(TAG),
    ...op.const(3),
    ...op.and,
    ...op.const(2),
    ...op.eq,
    ...op.if,
    ...refuseIf([...g(SRC_END), ...g(I), ...op.sub, ...op.const(2), ...op.ltU]),
    ...g(I),
    ...op.load16,
    ...s(OFF),
    ...addTo(I, op.const(2)),
    ...op.else,
    ...refuseIf([...g(SRC_END), ...g(I), ...op.sub, ...op.const(4), ...op.ltU]),
    ...g(I),
    ...op.load32,
    ...s(OFF),
    ...addTo(I, op.const(4)),
    ...op.end,
    ...op.end,
  ];
  const copy = [
    ...copyHeader,
    // the offset must point into what was written: 0 < off <= o - dst
    ...refuseIf([...g(OFF), ...op.eqz, ...g(OFF), ...g(O), ...g(DST), ...op.sub, ...op.gtU, ...op.or]),
    ...refuseIf([...g(LEN), ...g(DST_END), ...g(O), ...op.sub, ...op.gtU]),
    // TAG now holds where the copy ends, K where it reads from.
    ...g(O),
    ...g(LEN),
    ...op.add,
    ...s(TAG),
    ...g(O),
    ...g(OFF),
    ...op.sub,
    ...s(K),
    ...g(OFF),
    ...op.const(8),
    ...op.geU,
    ...op.if,
    // 8 bytes at a time: with the source at least 8 back, each move reads only bytes already
    // written (this copy's own included, which repeats the pattern as snappy means); the last move
    // may write up to 7 bytes past the end, into output not yet written or the padding.
    ...op.loop,
    ...g(O),
    ...g(K),
    ...op.load64(0),
    ...op.store64(0),
    ...addTo(O, op.const(8)),
    ...addTo(K, op.const(8)),
    ...g(O),
    ...g(TAG),
    ...op.ltU,
    ...op.brIf(0),
    ...op.end,
    ...g(TAG),
    ...s(O),
    ...op.else,
    // closer than 8 bytes: the pattern repeats byte by byte
    ...op.loop,
    ...g(O),
    ...g(K),
    ...op.load8,
    ...op.store8,
    ...addTo(O, op.const(1)),
    ...addTo(K, op.const(1)),
    ...g(O),
    ...g(TAG),
    ...op.ltU,
    ...op.brIf(0),
    ...op.end,
    ...op.end,
  ];
  return [
    ...g(DST),
    ...s(O),
    ...op.block,
    ...op.loop,
    ...g(I),
    ...g(SRC_END),
    ...op.geU,
    ...op.brIf(1), // all input read
    ...g(I),
    ...op.load8,
    ...s(TAG),
    ...addTo(I, op.const(1)),
    ...g(TAG),
    ...op.const(3),
    ...op.and,
    ...op.eqz,
    ...op.if,
    ...literal,
    ...op.br(1), // next element
    ...op.end,
    ...copy,
    ...op.br(0),
    ...op.end,
    ...op.end,
    ...g(O),
    ...op.end,
  ];
}

/** The module: one memory (grown by the host) and `expand`, both exported. */
export function snappyKernelBytes(): Uint8Array<ArrayBuffer> {
  const body = [...vec([[5, I32]]), ...kernelBody()];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec([[0x60, ...vec([[I32], [I32], [I32], [I32]]), ...vec([[I32]])]])),
    ...section(3, vec([[0]])),
    ...section(5, vec([[0x00, ...uleb(1)]])),
    ...section(
      7,
      vec([
        [...name('memory'), 0x02, 0],
        [...name('expand'), 0x00, 0],
      ]),
    ),
    ...section(10, vec([[...uleb(body.length), ...body]])),
  ]);
}

/**
 * Expands the raw snappy elements of `src[start, end)` (after the length preamble) into `length`
 * bytes; returns them as a view of the module's memory, good until the next call, or undefined when
 * the input is malformed or does not produce exactly `length` bytes.
 */
export type SnappyExpand = (
  src: Uint8Array,
  start: number,
  end: number,
  length: number,
) => Uint8Array | undefined;

/**
 * Memory is never given back by WebAssembly, so the kernel takes inputs only up to this much
 * (input + output); larger ones go to the TypeScript decoder.
 */
export const SNAPPY_WASM_MAX_BYTES = 16 * 1024 * 1024;

/** Instantiates the kernel, or undefined where WebAssembly is missing or refuses it. */
export function createWasmSnappy(): SnappyExpand | undefined {
  let expand: (i: number, srcEnd: number, dst: number, dstEnd: number) => number;
  let memory: WebAssembly.Memory;
  try {
    if (typeof WebAssembly !== 'object') return undefined;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(snappyKernelBytes()));
    memory = instance.exports.memory as WebAssembly.Memory;
    expand = instance.exports.expand as typeof expand;
  } catch {
    return undefined;
  }
  let mem = new Uint8Array(memory.buffer);
  return (src, start, end, length) => {
    const n = end - start;
    // The input, 16 bytes of padding (literals are moved 8 bytes at a time, a literal's length is
    // read as one 4-byte word), the output, 8 bytes of padding (copies overshoot by up to 7).
    const dst = (n + 16 + 7) & ~7;
    const need = dst + length + 8;
    if (need > SNAPPY_WASM_MAX_BYTES) return undefined;
    if (need > mem.length) {
      memory.grow(Math.ceil((need - mem.length) / 65536));
      mem = new Uint8Array(memory.buffer);
    }
    mem.set(src.subarray(start, end), 0);
    if (expand(0, n, dst, dst + length) !== dst + length) return undefined;
    return mem.subarray(dst, dst + length);
  };
}
