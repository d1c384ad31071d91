/** Where two normalised values differ, as field paths (`label.topics[0].errorCode`). */
import type { Plain } from './normalise.js';

export interface Difference {
  path: string;
  emulator: Plain | undefined;
  real: Plain | undefined;
}

const MAX_DIFFERENCES = 200;

export function diff(
  emulator: Plain | undefined,
  real: Plain | undefined,
  path: string,
  out: Difference[] = [],
) {
  if (out.length >= MAX_DIFFERENCES) return out;
  if (Array.isArray(emulator) && Array.isArray(real)) {
    const n = Math.max(emulator.length, real.length);
    for (let i = 0; i < n; i++) diff(emulator[i], real[i], `${path}[${i}]`, out);
    return out;
  }
  if (isObject(emulator) && isObject(real)) {
    const keys = new Set([...Object.keys(emulator), ...Object.keys(real)]);
    for (const k of keys) diff(emulator[k], real[k], path ? `${path}.${k}` : k, out);
    return out;
  }
  if (JSON.stringify(emulator) !== JSON.stringify(real)) out.push({ path, emulator, real });
  return out;
}

function isObject(v: Plain | undefined): v is { [key: string]: Plain } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
