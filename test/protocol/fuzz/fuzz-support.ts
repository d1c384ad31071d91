/**
 * Shared machinery for the decoder fuzzers: the seeded PRNG of test/support/rng.ts (runs are
 * reproducible from the seed in a failure message), mutations of valid frames, and the one oracle —
 * a decode either returns a value no bigger than its input, quickly, or throws a DecodeError;
 * nothing else may escape.
 */
import { DecodeError } from '../../../src/protocol/errors.js';
import { Rng } from '../../support/rng.js';

export { Rng };

/** Values that make lengths and counts lie: huge, negative, the null markers, varint extremes. */
const INT32_LIES = [0x7fffffff, -1, -2, 0x80000000 | 0, 0x10000, 0x00ffffff];
const INT16_LIES = [0x7fff, -1, -2, -32768];
const VARINT_LIES = [
  [0xff, 0xff, 0xff, 0xff, 0x0f], // 2^32 - 1: largest 5-byte uvarint
  [0xff, 0xff, 0xff, 0xff, 0x7f], // too big for 32 bits
  [0x80, 0x80, 0x80, 0x80, 0x80, 0x01], // 6 bytes
  [0xfe, 0xff, 0xff, 0xff, 0x07],
];

/** One random mutation of a frame; the size prefix is fixed up afterwards unless `keepSize`. */
export function mutate(frame: Buffer, rng: Rng, keepSize = rng.int(5) === 0): Buffer {
  let b = Buffer.from(frame);
  const pos = () => 4 + rng.int(Math.max(1, b.length - 4));
  switch (rng.int(8)) {
    case 0: // flip 1-4 bits
      for (let i = rng.int(4); i >= 0 && b.length > 4; i--) b[pos()] ^= 1 << rng.int(8);
      break;
    case 1: // a byte set to a boundary value
      if (b.length > 4) b[pos()] = rng.pick([0x00, 0xff, 0x7f, 0x80, 0x01]);
      break;
    case 2: {
      // insert 1-8 random bytes
      const at = pos();
      b = Buffer.concat([b.subarray(0, at), rng.bytes(1 + rng.int(8)), b.subarray(at)]);
      break;
    }
    case 3: {
      // delete 1-8 bytes
      const at = pos();
      b = Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + rng.int(8)))]);
      break;
    }
    case 4: {
      // a huge or negative int32 where a count or length may sit
      const at = pos();
      if (at + 4 <= b.length) b.writeInt32BE(rng.pick(INT32_LIES), at);
      break;
    }
    case 5: {
      const at = pos();
      if (at + 2 <= b.length) b.writeInt16BE(rng.pick(INT16_LIES), at);
      break;
    }
    case 6: {
      // an extreme varint where a compact length or count may sit
      const at = pos();
      const v = Buffer.from(rng.pick(VARINT_LIES));
      b = Buffer.concat([b.subarray(0, at), v, b.subarray(Math.min(b.length, at + 1 + rng.int(2)))]);
      break;
    }
    case 7: // truncate
      b = b.subarray(0, 4 + rng.int(Math.max(1, b.length - 4)));
      break;
  }
  if (!keepSize && b.length >= 4) b.writeInt32BE(b.length - 4, 0);
  return b;
}

export interface FuzzStats {
  inputs: number;
  decoded: number;
  rejected: number;
  slowestMs: number;
}

export function newStats(): FuzzStats {
  return { inputs: 0, decoded: 0, rejected: 0, slowestMs: 0 };
}

/**
 * Per decode; generous for a busy CI machine (a first decode compiles its codec, and at load 11 on 2
 * cores that once took 360 ms), yet far below what a runaway loop would take.
 */
export const DECODE_TIME_BOX_MS = 1000;

/**
 * Runs one decode under the oracle. Throws (failing the test) with the input in hex when something
 * other than a DecodeError escapes, when the decode is slow, or when the value outgrows the input.
 */
export function fuzzOne(input: Buffer, decode: (b: Buffer) => unknown, stats: FuzzStats, what: string): void {
  stats.inputs++;
  const t0 = performance.now();
  let value: unknown;
  try {
    value = decode(input);
  } catch (err) {
    if (!(err instanceof DecodeError)) {
      throw new Error(
        `${what}: ${err instanceof Error ? err.stack : String(err)}\ninput: ${input.toString('hex')}`,
      );
    }
    if (!Number.isInteger(err.offset) || err.offset < 0 || err.offset > input.length) {
      throw new Error(
        `${what}: DecodeError offset ${err.offset} outside the input (${input.length} bytes)\ninput: ${input.toString('hex')}`,
      );
    }
    stats.rejected++;
    value = undefined;
  }
  const ms = performance.now() - t0;
  stats.slowestMs = Math.max(stats.slowestMs, ms);
  if (ms > DECODE_TIME_BOX_MS)
    throw new Error(`${what}: decode took ${ms.toFixed(0)} ms\ninput: ${input.toString('hex')}`);
  if (value !== undefined) {
    stats.decoded++;
    const flaw = outgrows(value, input.length);
    if (flaw) throw new Error(`${what}: ${flaw}\ninput: ${input.toString('hex')}`);
  }
}

/**
 * Fields a version does not carry take their declared defaults (a 22-character zero uuid, a short
 * string), which do not come from the input; this slack admits them while still catching anything
 * sized by a length or count read off the wire.
 */
export const DEFAULT_SLACK = 64;

/** Describes the first array, string or byte string longer than the input (+ slack), or '' when none is. */
export function outgrows(value: unknown, inputLength: number, path = '', depth = 0): string {
  const limit = inputLength + DEFAULT_SLACK;
  if (depth > 64) return `${path}: nested deeper than 64`;
  if (typeof value === 'string') {
    // Count UTF-16 units, what the string occupies: each input byte yields at most one. (Its UTF-8
    // length may exceed the input: malformed bytes decode to U+FFFD, 3 bytes in UTF-8, as in Java.)
    return value.length > limit
      ? `${path}: string of ${value.length} characters from a ${inputLength}-byte input`
      : '';
  }
  if (value instanceof Uint8Array) {
    return value.length > limit ? `${path}: ${value.length} bytes from a ${inputLength}-byte input` : '';
  }
  if (Array.isArray(value)) {
    if (value.length > limit) return `${path}: array of ${value.length} from a ${inputLength}-byte input`;
    for (let i = 0; i < value.length; i++) {
      const f = outgrows(value[i], inputLength, `${path}[${i}]`, depth + 1);
      if (f) return f;
    }
    return '';
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const f = outgrows(v, inputLength, path ? `${path}.${k}` : k, depth + 1);
      if (f) return f;
    }
  }
  return '';
}
