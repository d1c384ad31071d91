/**
 * The recorder keeps spans as a flat list; renderers want leaves in byte order and a tree of
 * containers. Nesting follows byte ranges (a span belongs to the innermost container enclosing it),
 * which is robust where paths are not nested textually (the body struct has the empty path).
 */
import type { Span } from '../primitives/spans.js';

export interface SpanNode {
  span: Span;
  children: SpanNode[];
}

export function isLeaf(span: Span): boolean {
  return span.kind !== 'container';
}

/** Leaf spans (values and length prefixes) in byte order; these tile a fully decoded frame. */
export function leafSpans(spans: readonly Span[]): Span[] {
  return stableSortByOffset(spans.filter(isLeaf));
}

function stableSortByOffset(spans: Span[]): Span[] {
  return spans
    .map((s, i) => ({ s, i }))
    .sort(
      (a, b) => a.s.offset - b.s.offset || containerFirst(a.s, b.s) || b.s.length - a.s.length || a.i - b.i,
    )
    .map((x) => x.s);
}

function containerFirst(a: Span, b: Span): number {
  return (isLeaf(a) ? 1 : 0) - (isLeaf(b) ? 1 : 0);
}

function encloses(outer: Span, inner: Span): boolean {
  if (outer.length === 0 && inner.length > 0) return false;
  return inner.offset >= outer.offset && inner.offset + inner.length <= outer.offset + outer.length;
}

/** Builds the container tree; roots are spans no container encloses (the size prefix, header, body). */
export function spanTree(spans: readonly Span[]): SpanNode[] {
  const roots: SpanNode[] = [];
  const stack: SpanNode[] = [];
  for (const span of stableSortByOffset([...spans])) {
    while (stack.length > 0 && !encloses(stack[stack.length - 1].span, span)) stack.pop();
    const node: SpanNode = { span, children: [] };
    if (stack.length > 0) stack[stack.length - 1].children.push(node);
    else roots.push(node);
    if (!isLeaf(span)) stack.push(node);
  }
  return roots;
}

/** Splits `topics[0].partitions[2].index` into `topics`, `[0]`, `partitions`, `[2]`, `index`. */
export function pathSegments(path: string): string[] {
  return path.match(/\[[^\]]*\]|[^.[\]]+/g) ?? [];
}

/** The span a `--field` path names: a leaf first, else a container; tolerant of a leading `body.`. */
export function findSpan(spans: readonly Span[], path: string): Span | undefined {
  const wanted = normalisePath(path);
  const matches = spans.filter((s) => normalisePath(s.path) === wanted);
  return matches.find(isLeaf) ?? matches[0];
}

function normalisePath(path: string): string {
  return path
    .trim()
    .replace(/^body\./, '')
    .replace(/\s+/g, '');
}

/** Paths a user could ask for, for "did you mean" hints. */
export function knownPaths(spans: readonly Span[]): string[] {
  return [...new Set(spans.map((s) => s.path).filter((p) => p !== ''))];
}
