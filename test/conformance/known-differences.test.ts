// The runner's own pieces: KNOWN-DIFFERENCES.md patterns, the normaliser and the diff.
import { describe, expect, it } from 'vitest';
import { diff } from '../../conformance/runner/diff.js';
import {
  findKnown,
  parseKnownDifferences,
  patternToRegex,
} from '../../conformance/runner/known-differences.js';
import { normalise } from '../../conformance/runner/normalise.js';

describe('known-difference patterns', () => {
  it('* stays within a segment, ** crosses, [*] is any index, {a,b} one of the words', () => {
    expect(patternToRegex('a.*.c').test('a.b.c')).toBe(true);
    expect(patternToRegex('a.*.c').test('a.b.x.c')).toBe(false);
    expect(patternToRegex('a.**').test('a.b.x.c')).toBe(true);
    expect(patternToRegex('t[*].e').test('t[12].e')).toBe(true);
    expect(patternToRegex('t[*].e').test('t.e')).toBe(false);
    expect(patternToRegex('k.{Produce,Fetch}.max').test('k.Fetch.max')).toBe(true);
    expect(patternToRegex('k.{Produce,Fetch}.max').test('k.Metadata.max')).toBe(false);
  });

  it('reads table rows, rejects an unknown kind, and matches by scenario', () => {
    const md = [
      '| scenario | path pattern | kind | reason |',
      '|---|---|---|---|',
      '| s1 | `x.*` | emulator gap | because |',
      '| * | `y` | simplification | always |',
    ].join('\n');
    const known = parseKnownDifferences(md);
    expect(known.map((k) => [k.scenario, k.pattern, k.line])).toEqual([
      ['s1', 'x.*', 3],
      ['*', 'y', 4],
    ]);
    expect(findKnown(known, 's1', { path: 'x.a', emulator: 1, real: 2 })?.line).toBe(3);
    expect(findKnown(known, 's2', { path: 'x.a', emulator: 1, real: 2 })).toBeUndefined();
    expect(findKnown(known, 's2', { path: 'y', emulator: 1, real: 2 })?.line).toBe(4);
    expect(() => parseKnownDifferences('| s | p | typo | r |')).toThrow(/line 1/);
  });
});

describe('normalise and diff', () => {
  it('replaces volatile fields but keeps -1 and null, strips the run id, keys apiKeys by name', () => {
    const n = normalise(
      {
        clusterId: 'abc',
        memberId: '',
        producerId: -1n,
        errorMessage: null,
        name: 'topic-r1',
        apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 4 }],
      },
      { runId: 'r1' },
    );
    expect(n).toEqual({
      clusterId: '<clusterId>',
      memberId: '',
      producerId: '-1n',
      errorMessage: '<errorMessage>',
      name: 'topic-<run>',
      apiKeys: { ApiVersions: { apiKey: 18, minVersion: 0, maxVersion: 4 } },
    });
  });

  it('reports each differing leaf with its path', () => {
    expect(diff({ a: [1, { b: 2 }], c: 'x' }, { a: [1, { b: 3 }, 4], c: 'x' }, 'L')).toEqual([
      { path: 'L.a[1].b', emulator: 2, real: 3 },
      { path: 'L.a[2]', emulator: undefined, real: 4 },
    ]);
  });
});
