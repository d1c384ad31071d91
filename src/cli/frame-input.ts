/**
 * What `kafkalab decode` accepts as a frame: raw bytes, or the same bytes written as hex text —
 * whitespace and colons ignored (so `xxd -p`, Wireshark's "copy as hex stream" and `00:00:01` all
 * work), and `#` or `//` comments to the end of a line allowed (our fixtures comment each byte group).
 */

/** Hex text if the input reads as hex once comments and separators are gone; else the raw bytes. */
export function parseFrameInput(input: Uint8Array): Buffer {
  const raw = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const hex = hexDigitsOf(raw);
  return hex === undefined ? raw : Buffer.from(hex, 'hex');
}

function hexDigitsOf(raw: Buffer): string | undefined {
  // Binary input is full of bytes no hex text has; stop before decoding megabytes as text.
  for (const b of raw) if (b === 0 || b > 0x7e) return undefined;
  const text = raw.toString('latin1').replace(/(#|\/\/)[^\n]*/g, '');
  const digits = text.replace(/0x(?=[0-9a-f])/gi, '').replace(/[\s:]+/g, '');
  if (digits.length === 0 || digits.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(digits)) return undefined;
  return digits;
}
