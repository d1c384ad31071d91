/**
 * Explaining is synchronous, but zstd's codec is WebAssembly that loads asynchronously
 * (records/compression): a frame whose `records` hold a zstd batch can only be explained once it has
 * loaded. Loading costs ~50-150 ms, so callers load it only for APIs that carry records at all.
 */
import { ensureCodecs } from '../records/compression/index.js';
import type { ApiSpec, StructType, Type } from '../schema/declare.js';

/** Whether the request or response of `api` has a `records` field anywhere. */
export function carriesRecords(api: ApiSpec): boolean {
  return structHasRecords(api.request.body, new Set()) || structHasRecords(api.response.body, new Set());
}

function structHasRecords(t: StructType, seen: Set<StructType>): boolean {
  if (seen.has(t)) return false;
  seen.add(t);
  return Object.values(t.fields).some((f) => typeHasRecords(f.type, seen));
}

function typeHasRecords(t: Type, seen: Set<StructType>): boolean {
  if (t.kind === 'records') return true;
  if (t.kind === 'array') return typeHasRecords(t.items, seen);
  if (t.kind === 'struct') return structHasRecords(t, seen);
  return false;
}

/** Loads every compression codec when `api` carries records, so that explaining it cannot fail for want of one. */
export async function codecsFor(api: ApiSpec | undefined): Promise<void> {
  if (api && carriesRecords(api)) await ensureCodecs();
}
