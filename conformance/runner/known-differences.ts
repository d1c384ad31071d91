/**
 * conformance/KNOWN-DIFFERENCES.md, read as data: every row of its tables whose first cell is a
 * scenario name (or `*`) accepts the differences of that scenario whose path matches the row's
 * pattern. Patterns: `*` matches within one path segment (no `.`), `**` across segments, `[*]` any
 * array index, `{a,b,c}` one of the listed words; everything else literally.
 */
import { readFileSync } from 'node:fs';
import type { Difference } from './diff.js';

export type DifferenceKind = 'emulator gap' | 'simplification' | 'broker-specific';

export interface KnownDifference {
  scenario: string;
  pattern: string;
  kind: DifferenceKind;
  reason: string;
  /** Line in the file, for the report. */
  line: number;
  regex: RegExp;
}

const KINDS: DifferenceKind[] = ['emulator gap', 'simplification', 'broker-specific'];

function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((c) => c.trim().replace(/^`(.*)`$/, '$1'));
}

export function patternToRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (pattern.startsWith('[*]', i)) {
      re += '\\[\\d+\\]';
      i += 2;
    } else if (pattern.startsWith('**', i)) {
      re += '.*';
      i += 1;
    } else if (c === '{' && pattern.indexOf('}', i) > i) {
      const end = pattern.indexOf('}', i);
      const words = pattern.slice(i + 1, end).split(',');
      re += `(?:${words.map((w) => w.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`;
      i = end;
    } else if (c === '*') re += '[^.]*';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Parses the file; throws naming the line for a row that is not scenario | pattern | kind | reason. */
export function parseKnownDifferences(markdown: string): KnownDifference[] {
  const out: KnownDifference[] = [];
  markdown.split('\n').forEach((raw, index) => {
    if (!raw.trim().startsWith('|')) return;
    const row = cells(raw);
    if (row[0] === 'scenario' || /^-+$/.test(row[0].replace(/:/g, ''))) return;
    if (row.length !== 4)
      throw new Error(`KNOWN-DIFFERENCES.md line ${index + 1}: expected 4 cells, found ${row.length}`);
    const [scenario, pattern, kind, reason] = row;
    if (!KINDS.includes(kind as DifferenceKind))
      throw new Error(
        `KNOWN-DIFFERENCES.md line ${index + 1}: kind "${kind}" is not one of ${KINDS.join(', ')}`,
      );
    if (!reason) throw new Error(`KNOWN-DIFFERENCES.md line ${index + 1}: no reason given`);
    out.push({
      scenario,
      pattern,
      kind: kind as DifferenceKind,
      reason,
      line: index + 1,
      regex: patternToRegex(pattern),
    });
  });
  return out;
}

export function loadKnownDifferences(file: string): KnownDifference[] {
  return parseKnownDifferences(readFileSync(file, 'utf8'));
}

export function findKnown(
  known: readonly KnownDifference[],
  scenario: string,
  difference: Difference,
): KnownDifference | undefined {
  return known.find((k) => (k.scenario === '*' || k.scenario === scenario) && k.regex.test(difference.path));
}
