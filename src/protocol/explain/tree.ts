/**
 * The tree: containers (header, body, structs, arrays, tag buffers) as headings with their byte
 * range, their fields indented beneath, each with its value, wire type and place in the frame.
 */
import type { Span } from '../primitives/spans.js';
import { formatOffset, formatValue, offsetWidth } from './format-value.js';
import { isLeaf, pathSegments, type SpanNode, spanTree } from './span-tree.js';

export function renderTree(bytes: Uint8Array, spans: readonly Span[]): string {
  const width = offsetWidth(bytes.length);
  const lines: string[] = [];
  const walk = (nodes: SpanNode[], depth: number) => {
    for (const { span, children } of nodes) {
      const indent = '  '.repeat(depth);
      const where = `${formatOffset(span.offset, width)}+${span.length}`;
      const name = label(span);
      if (isLeaf(span)) {
        const value = formatValue(span.value);
        lines.push(
          `${indent}${name}: ${value}  (${span.wireType} @${where})${span.note ? `  ${span.note}` : ''}`,
        );
      } else {
        const end = formatOffset(span.offset + span.length, width);
        const heading = `${indent}${name}  ${span.wireType} ${formatOffset(span.offset, width)}..${end} (${span.length} byte${span.length === 1 ? '' : 's'})`;
        lines.push(span.note ? `${heading}  ${span.note}` : heading);
        walk(children, depth + 1);
      }
    }
  };
  walk(spanTree(spans), 0);
  return lines.join('\n');
}

/** The last path segment names a node under its parent; the body struct has no path of its own. */
function label(span: Span): string {
  // Tag buffers are recorded at their struct's path (container) or under `<tags>` (their parts).
  if (span.wireType === 'TAG_BUFFER') return '<tags>';
  if (span.wireType === 'TAGGED_FIELD') {
    const tag = (span.value as { tag?: number } | undefined)?.tag;
    return `<tag ${tag ?? '?'}>`;
  }
  const segments = pathSegments(span.path);
  if (segments.length === 0) return span.kind === 'container' ? 'body' : '(root)';
  const last = segments[segments.length - 1];
  if (last === '<tags>' && span.kind === 'length') return '<count>';
  return last;
}
