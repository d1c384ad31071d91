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
  const s = spec.trim();
  let m: RegExpMatchArray | null;
  if (s === 'none') range = NONE;
  else if ((m = s.match(/^(\d+)\+$/))) range = { low: Number(m[1]), high: Number.POSITIVE_INFINITY };
  else if ((m = s.match(/^(\d+)-(\d+)$/))) range = { low: Number(m[1]), high: Number(m[2]) };
  else if ((m = s.match(/^(\d+)$/))) range = { low: Number(m[1]), high: Number(m[1]) };
  else throw new Error(`bad version range "${spec}"`);
  cache.set(spec, range);
  return range;
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
