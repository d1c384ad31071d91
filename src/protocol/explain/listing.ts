/**
 * The listing: one line per leaf span, in byte order, columns aligned —
 * `offset  bytes  wire type  path  value  note`. Reading it top to bottom reads the frame.
 */
import type { Span } from '../primitives/spans.js';
import { formatOffset, formatValue, hexBytes, offsetWidth } from './format-value.js';
import { leafSpans } from './span-tree.js';

export interface ListingOptions {
  /** Bytes shown per line before `…` (default 8). */
  maxBytes?: number;
  /** Longest value rendering (default 48). */
  maxValueChars?: number;
}

export function renderListing(
  bytes: Uint8Array,
  spans: readonly Span[],
  options: ListingOptions = {},
): string {
  const width = offsetWidth(bytes.length);
  const rows = leafSpans(spans).map((s) => [
    formatOffset(s.offset, width),
    hexBytes(bytes.subarray(s.offset, s.offset + s.length), options.maxBytes ?? 8),
    String(s.wireType),
    s.path || '(root)',
    formatValue(s.value, { maxChars: options.maxValueChars ?? 48 }),
    s.note ?? '',
  ]);
  return alignColumns([['offset', 'bytes', 'type', 'path', 'value', 'note'], ...rows]);
}

/** Pads every column but the last to its widest cell; trailing spaces are trimmed. */
export function alignColumns(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i])))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
