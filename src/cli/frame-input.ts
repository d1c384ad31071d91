/**
 * What `kafkalab decode` accepts as a frame: raw bytes, or the same bytes written as hex text —
 * whitespace and colons ignored (so `xxd -p`, Wireshark's "copy as hex stream" and `00:00:01` all
 * work), `0x` before a byte group allowed, and `#` or `//` comments to the end of a line allowed
 * (our fixtures comment each byte group).
 *
 * Which of the two an input is: a raw frame starts with an int32 size whose high byte is 0 for any
 * frame under 16 MiB, and its header holds int16/int32 fields full of zero bytes, so raw input
 * always has a byte that no text has (NUL, another control character, or a byte above 0x7e). Input
 * made only of printable ASCII and whitespace is text, and text must be hex: a typo is refused with
 * its line and column rather than decoded as the bytes of the letters. `--raw` forces raw bytes.
 */
import { UsageError } from './errors.js';

export interface FrameInputOptions {
  /** Take the input as raw bytes even when it looks like text (`--raw`). */
  raw?: boolean;
  /** Names the input in errors, e.g. the file name. */
  source?: string;
}

/** Text that was meant as hex but is not: names the first offending character. */
export class HexInputError extends UsageError {
  override name = 'HexInputError';
  constructor(
    readonly line: number,
    readonly column: number,
    readonly reason: string,
    source?: string,
  ) {
    super(
      `${source ? `${source}: ` : ''}not hex at line ${line}, column ${column}: ${reason} (raw binary input: --raw)`,
    );
  }
}

/** The frame bytes of an input: its hex text decoded, or the raw bytes themselves. */
export function parseFrameInput(input: Uint8Array, options: FrameInputOptions = {}): Buffer {
  const raw = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (options.raw || looksBinary(raw)) return raw;
  return Buffer.from(hexDigitsOf(raw.toString('latin1'), options.source), 'hex');
}

/** A byte that printable text does not contain: NUL, a control character other than whitespace, 8-bit. */
function looksBinary(raw: Buffer): boolean {
  for (const b of raw) {
    if (b > 0x7e || (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c)) return true;
  }
  return false;
}

const HEX_DIGIT = /[0-9a-fA-F]/;
const SEPARATOR = /[\s:]/;

/** The hex digits of the text, in order; anything else outside a comment is a HexInputError. */
function hexDigitsOf(text: string, source: string | undefined): string {
  let digits = '';
  let line = 1;
  let lineStart = 0;
  // Where the last digit stood, to point at it when the digits do not pair up.
  let last = { line: 0, column: 0, digit: '' };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      line++;
      lineStart = i + 1;
      continue;
    }
    if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
      continue;
    }
    if (SEPARATOR.test(c)) continue;
    const column = i - lineStart + 1;
    // `0x` opens a byte group (`0x10`), only where a group starts, never inside one (`a0x1`).
    if (c === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X') && HEX_DIGIT.test(text[i + 2] ?? '')) {
      const before = text[i - 1];
      if (before === undefined || SEPARATOR.test(before)) {
        i++;
        continue;
      }
    }
    if (!HEX_DIGIT.test(c)) {
      throw new HexInputError(line, column, `${JSON.stringify(c)} is not a hex digit`, source);
    }
    digits += c;
    last = { line, column, digit: c };
  }
  if (digits.length % 2 !== 0) {
    throw new HexInputError(
      last.line,
      last.column,
      `an odd number of hex digits (${digits.length}): the digit '${last.digit}' here has no pair`,
      source,
    );
  }
  return digits;
}
