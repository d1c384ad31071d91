/**
 * Errors raised by the codec. Both name *where*: a byte offset for decoding, a field path for both,
 * so that a learner (or a fuzz test) can pin a bad frame to the byte that broke it.
 */

export function hexOffset(offset: number): string {
  return '0x' + offset.toString(16);
}

/** Bytes that cannot be read as the message they claim to be. */
export class DecodeError extends Error {
  override name = 'DecodeError';
  /** Absolute byte offset into the buffer being decoded. */
  readonly offset: number;
  /** Dotted field path, e.g. `topics[0].partitions[2].partitionIndex`; '' at top level. */
  path: string;
  /** The message without the location suffix. */
  readonly reason: string;

  constructor(reason: string, offset: number, path = '') {
    super('');
    this.reason = reason;
    this.offset = offset;
    this.path = path;
    this.message = this.describe();
  }

  /** Prefixes a path segment as the error bubbles out of nested structs and arrays. */
  within(segment: string): this {
    this.path = joinPath(segment, this.path);
    this.message = this.describe();
    return this;
  }

  private describe(): string {
    return `${this.reason} at ${hexOffset(this.offset)}` + (this.path ? ` (${this.path})` : '');
  }
}

/** A value that cannot be written at the chosen version. */
export class EncodeError extends Error {
  override name = 'EncodeError';
  path: string;
  readonly reason: string;

  constructor(reason: string, path = '') {
    super('');
    this.reason = reason;
    this.path = path;
    this.message = this.describe();
  }

  within(segment: string): this {
    this.path = joinPath(segment, this.path);
    this.message = this.describe();
    return this;
  }

  private describe(): string {
    return this.reason + (this.path ? ` (${this.path})` : '');
  }
}

function joinPath(outer: string, inner: string): string {
  if (!inner) return outer;
  return inner.startsWith('[') ? outer + inner : `${outer}.${inner}`;
}

/** Adds `segment` to the path of a codec error; wraps anything else (a RangeError from Buffer) first. */
export function annotateDecode(err: unknown, segment: string, offset: number): DecodeError {
  if (err instanceof DecodeError) return err.within(segment);
  const reason = err instanceof Error ? err.message : String(err);
  return new DecodeError(reason, offset, segment);
}

export function annotateEncode(err: unknown, segment: string): EncodeError {
  if (err instanceof EncodeError) return err.within(segment);
  const reason = err instanceof Error ? err.message : String(err);
  return new EncodeError(reason, segment);
}
