// Golden frames are written as commented byte layouts: each line holds hex bytes (single spaces allowed
// between them), then two or more spaces and a comment saying which field the bytes are and why.

export function hexLayout(layout: string): Buffer {
  let digits = '';
  for (const line of layout.split('\n')) {
    const bytesPart = line.trim().split(/\s{2,}/)[0] ?? '';
    digits += bytesPart.replace(/ /g, '');
  }
  if (!/^(?:[0-9a-f]{2})*$/.test(digits)) throw new Error(`not a hex byte layout: ${digits}`);
  return Buffer.from(digits, 'hex');
}

/** Kafka's Uuid.toString form of 16 bytes given in hex: base64url without padding. */
export function uuidOf(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64url');
}
