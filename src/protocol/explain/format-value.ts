/**
 * One-line, human-readable renderings of decoded values for listings, trees and carets: exact
 * int64s, strings quoted, byte buffers as a UTF-8 preview when they are text and as hex otherwise.
 */

export interface FormatOptions {
  /** Longest rendering before it is cut with `…` (default 48). */
  maxChars?: number;
}

export function formatValue(value: unknown, options: FormatOptions = {}): string {
  const max = options.maxChars ?? 48;
  return truncate(render(value, max), max);
}

function render(value: unknown, max: number): string {
  if (value === null) return 'null';
  if (value === undefined) return '';
  switch (typeof value) {
    case 'bigint':
      // int64 stays exact: printed from the bigint, never through a double.
      return value.toString();
    case 'number':
    case 'boolean':
      return String(value);
    case 'string':
      return JSON.stringify(value);
  }
  if (value instanceof Uint8Array) return formatBytes(value, max);
  if (Array.isArray(value)) return `[${value.length} item${value.length === 1 ? '' : 's'}]`;
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}=${render(v, max)}`)
      .join(' ');
  }
  return String(value);
}

/** Text when every byte is printable UTF-8, else hex; both with the byte count. */
export function formatBytes(bytes: Uint8Array, max = 48): string {
  const n = bytes.length;
  if (n === 0) return '<0 bytes>';
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = b.toString('utf8');
  // A lossless round trip and no control characters: show it as text.
  if (Buffer.from(text, 'utf8').equals(b) && !hasControlCharacters(text)) {
    return `${truncate(JSON.stringify(text), Math.max(8, max - 12))} (${n} B)`;
  }
  const shown = Math.max(1, Math.floor((max - 12) / 2));
  return `0x${b.subarray(0, shown).toString('hex')}${n > shown ? '…' : ''} (${n} B)`;
}

/** Space-separated hex of `bytes`, cut after `maxBytes` with `…`. */
export function hexBytes(bytes: Uint8Array, maxBytes = 8): string {
  const parts: string[] = [];
  for (let i = 0; i < Math.min(bytes.length, maxBytes); i++)
    parts.push(bytes[i].toString(16).padStart(2, '0'));
  return parts.join(' ') + (bytes.length > maxBytes ? ' …' : '');
}

export function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, Math.max(0, max - 1))}…`;
}

/** `0x001c`, padded to the width the whole input needs. */
export function formatOffset(offset: number, width = 4): string {
  return '0x' + offset.toString(16).padStart(width, '0');
}

export function offsetWidth(totalLength: number): number {
  return Math.max(4, Math.max(0, totalLength).toString(16).length);
}

function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return true;
  }
  return false;
}
