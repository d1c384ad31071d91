/**
 * The encodings shared by the WebAssembly modules this project assembles at import
 * (crc32c-wasm.ts, compression/snappy-wasm.ts): LEB128 integers, vectors, sections and names, as
 * the binary format spells them. Each kernel keeps its own table of the instructions it uses.
 */

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 (i32.const immediates). */
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

/** A vector: its length, then its items. */
export const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
/** A section: its id, its byte length, then its body. */
export const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
/** A name: UTF-8 bytes as a vector. */
export const name = (s: string): number[] => vec([...Buffer.from(s, 'utf8')].map((b) => [b]));
