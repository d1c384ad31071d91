// The fuzz oracle itself must be able to fail: a stray TypeError, a DecodeError pointing outside the
// input, a value larger than its input, and a slow decode are all reported.
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../src/protocol/errors.js';
import {
  DECODE_TIME_BOX_MS,
  DEFAULT_SLACK,
  fuzzOne,
  mutate,
  newStats,
  outgrows,
  Rng,
} from './fuzz-support.js';

describe('fuzz oracle', () => {
  const input = Buffer.from('0000000100', 'hex');

  it('passes DecodeErrors and bounded values, counting both', () => {
    const stats = newStats();
    fuzzOne(
      input,
      () => {
        throw new DecodeError('need 4 bytes, have 1', 4);
      },
      stats,
      't',
    );
    fuzzOne(input, () => ({ a: [1, 2], s: 'ok' }), stats, 't');
    expect(stats).toMatchObject({ inputs: 2, decoded: 1, rejected: 1 });
  });

  it('fails on any other error, and on a DecodeError offset outside the input', () => {
    expect(() =>
      fuzzOne(
        input,
        () => {
          throw new TypeError('boom');
        },
        newStats(),
        't',
      ),
    ).toThrow(/TypeError: boom[\s\S]*input: 0000000100/);
    expect(() =>
      fuzzOne(
        input,
        () => {
          throw new DecodeError('x', 99);
        },
        newStats(),
        't',
      ),
    ).toThrow(/offset 99 outside/);
  });

  it('fails when a decoded array, string or buffer outgrows the input', () => {
    const big = input.length + DEFAULT_SLACK + 1;
    expect(outgrows({ a: { b: new Array(big).fill(0) } }, input.length)).toMatch(/^a\.b: array of/);
    expect(outgrows(['x'.repeat(big)], input.length)).toMatch(/^\[0\]: string of/);
    expect(outgrows({ v: Buffer.alloc(big) }, input.length)).toMatch(/^v: \d+ bytes/);
    expect(() => fuzzOne(input, () => ({ v: Buffer.alloc(big) }), newStats(), 't')).toThrow(
      /outgrow|bytes from a 5-byte input/,
    );
  });

  it('fails a decode slower than the time box', () => {
    const slow = () => {
      const end = performance.now() + DECODE_TIME_BOX_MS + 50;
      while (performance.now() < end) {}
      return {};
    };
    expect(() => fuzzOne(input, slow, newStats(), 't')).toThrow(/decode took \d+ ms/);
  });

  it('mutates reproducibly from a seed and keeps the size prefix honest by default', () => {
    const frame = Buffer.from('0000000800010203040506ff', 'hex');
    const a = new Rng(7);
    const b = new Rng(7);
    for (let i = 0; i < 50; i++) {
      const m = mutate(frame, a, false);
      expect(m.equals(mutate(frame, b, false))).toBe(true);
      expect(m.readInt32BE(0)).toBe(m.length - 4);
    }
  });
});
