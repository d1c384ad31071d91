import type { WireType } from './wire-types.js';

/**
 * One explained stretch of bytes. Leaf spans carry a value; container spans (structs, arrays, tag
 * buffers, record batches) cover their children so that renderers can build a tree from the flat list.
 */
export interface Span {
  offset: number;
  length: number;
  /** Field path, e.g. `topics[0].name`; the header lives under `header.` */
  path: string;
  wireType: WireType | string;
  value?: unknown;
  /** Why the bytes look the way they do, where the encoding is not obvious. */
  note?: string;
  /** 'container' spans enclose others; 'length' spans are the prefix of a string, array or buffer. */
  kind: 'value' | 'length' | 'container';
}

/** Collects spans while decoding; the reader owns a current path stack. */
export class SpanRecorder {
  readonly spans: Span[] = [];
  private readonly pathStack: string[] = [];

  get path(): string {
    return this.pathStack.join('');
  }

  enter(segment: string): void {
    const prefix = this.pathStack.length > 0 && !segment.startsWith('[') ? '.' : '';
    this.pathStack.push(prefix + segment);
  }

  leave(): void {
    this.pathStack.pop();
  }

  add(span: Omit<Span, 'path'> & { path?: string }): Span {
    const full: Span = { ...span, path: span.path ?? this.path };
    this.spans.push(full);
    return full;
  }

  /** Opens a container span whose length is fixed when `close` is called. */
  open(offset: number, wireType: WireType | string, note?: string): Span {
    return this.add({ offset, length: 0, wireType, kind: 'container', note });
  }

  close(span: Span, end: number): void {
    span.length = end - span.offset;
  }
}
