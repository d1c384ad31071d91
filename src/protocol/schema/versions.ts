/**
 * Kafka's version-range strings: "0+", "3-5", "7", "none". Parsed once per declaration field and
 * cached, since every compiled codec asks the same questions.
 */
export interface VersionRange {
  readonly low: number;
  /** Inclusive; Infinity for "N+". */
  readonly high: number;
}

const NONE: VersionRange = { low: 1, high: 0 };
const cache = new Map<string, VersionRange>();

export function parseVersions(spec: string): VersionRange {
  let range = cache.get(spec);
  if (range) return range;
  range = parseUncached(spec.trim());
  if (!range) throw new Error(`bad version range "${spec}"`);
  cache.set(spec, range);
  return range;
}

function parseUncached(s: string): VersionRange | undefined {
  if (s === 'none') return NONE;
  const open = s.match(/^(\d+)\+$/);
  if (open) return { low: Number(open[1]), high: Number.POSITIVE_INFINITY };
  const closed = s.match(/^(\d+)-(\d+)$/);
  if (closed) return { low: Number(closed[1]), high: Number(closed[2]) };
  const single = s.match(/^(\d+)$/);
  if (single) return { low: Number(single[1]), high: Number(single[1]) };
  return undefined;
}

export function inVersions(version: number, spec: string | undefined): boolean {
  if (spec === undefined) return false;
  const r = parseVersions(spec);
  return version >= r.low && version <= r.high;
}

/** Every version of a "low-high" validVersions string, in order. */
export function listVersions(spec: string): number[] {
  const r = parseVersions(spec);
  if (!Number.isFinite(r.high)) throw new Error(`validVersions must be bounded, got "${spec}"`);
  const out: number[] = [];
  for (let v = r.low; v <= r.high; v++) out.push(v);
  return out;
}
