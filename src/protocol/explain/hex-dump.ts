/**
 * A classic hex dump, 16 bytes a line with offsets and ASCII, and `^^` carets under the bytes of
 * one marked stretch (a field picked by path, or the byte where decoding failed), labelled below.
 */
import { formatOffset, offsetWidth } from './format-value.js';

export interface HexMark {
  offset: number;
  /** 0 marks a single position (e.g. the end of the input, where a read ran out). */
  length: number;
  /** Printed under the dump, e.g. `topics[0].name (COMPACT_STRING) = "orders"`. */
  label?: string;
}

const PER_LINE = 16;

export function renderHexDump(bytes: Uint8Array, mark?: HexMark): string {
  const width = offsetWidth(bytes.length);
  const lines: string[] = [];
  // A mark at or past the end still needs a line to stand on.
  const lastPos = mark ? Math.max(bytes.length, mark.offset + Math.max(1, mark.length)) : bytes.length;
  const lineCount = Math.max(1, Math.ceil(lastPos / PER_LINE));
  const marked = (i: number) =>
    mark !== undefined && i >= mark.offset && i < mark.offset + Math.max(1, mark.length);
  for (let line = 0; line < lineCount; line++) {
    const start = line * PER_LINE;
    const hex: string[] = [];
    const carets: string[] = [];
    let ascii = '';
    let anyMarked = false;
    for (let i = start; i < start + PER_LINE; i++) {
      const gap = i - start === 8 ? ' ' : '';
      if (i < bytes.length) {
        hex.push(gap + bytes[i].toString(16).padStart(2, '0'));
        ascii += bytes[i] >= 0x20 && bytes[i] < 0x7f ? String.fromCharCode(bytes[i]) : '.';
      } else {
        hex.push(gap + '  ');
      }
      const m = marked(i);
      anyMarked ||= m;
      carets.push(gap + (m ? '^^' : '  '));
    }
    if (start >= bytes.length && !anyMarked) continue;
    lines.push(`${formatOffset(start, width)}  ${hex.join(' ')}  |${ascii}|`.trimEnd());
    if (anyMarked) lines.push(`${' '.repeat(width + 2)}  ${carets.join(' ')}`.trimEnd());
  }
  if (mark?.label) {
    const where =
      mark.offset >= bytes.length
        ? `${formatOffset(mark.offset, width)} (end of input)`
        : `${formatOffset(mark.offset, width)}+${mark.length}`;
    lines.push(`^ ${where}  ${mark.label}`);
  }
  return lines.join('\n');
}
