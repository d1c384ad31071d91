import type { Field, StructType, Type } from './declare.js';
import { inVersions } from './versions.js';

/**
 * Kafka's defaults when a declaration gives none: 0, false, "", empty bytes, the zero uuid, an empty
 * array, a struct of defaults; and null where the declared default is null.
 */
export const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';

export function defaultOf(f: Field): unknown {
  if (f.default !== undefined) return f.default;
  return defaultOfType(f.type);
}

export function defaultOfType(t: Type): unknown {
  switch (t.kind) {
    case 'bool':
      return false;
    case 'int64':
      return 0n;
    case 'string':
      return '';
    case 'bytes':
      return Buffer.alloc(0);
    case 'records':
      return null;
    case 'uuid':
      return ZERO_UUID;
    case 'array':
      return [];
    case 'struct':
      return defaultStruct(t);
    default:
      return 0;
  }
}

export function defaultStruct(t: StructType, version?: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(t.fields)) {
    if (version === undefined || inVersions(version, f.versions)) out[name] = defaultOf(f);
  }
  return out;
}

/** Deep equality over codec values (bigint, bytes, arrays, structs). */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (typeof a === 'bigint' || typeof b === 'bigint') return BigInt(a as bigint) === BigInt(b as bigint);
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.compare(a, b) === 0;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => valuesEqual(x, b[i]));
  if (typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).filter((k) => (a as any)[k] !== undefined);
    const kb = Object.keys(b).filter((k) => (b as any)[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => valuesEqual((a as any)[k], (b as any)[k]));
  }
  return false;
}

/** A value equal to the field's default, or left out (undefined), which means the same. */
export function isDefault(f: Field, value: unknown): boolean {
  if (value === undefined) return true;
  const def = defaultOf(f);
  if (f.type.kind === 'struct' && def !== null && value !== null && typeof value === 'object') {
    // a struct is "default" when every field it sets is default
    return Object.entries(f.type.fields).every(([k, sub]) => isDefault(sub as Field, (value as any)[k]));
  }
  return valuesEqual(value, def);
}
