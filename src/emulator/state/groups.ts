/**
 * The classic group coordinator lives in ./group-classic/ (one module per concept); this file keeps
 * the import path the handlers, the emulator and the tests use.
 */

// The clock lives with the cluster (clock.ts); these names stay importable from here.
export { type Clock, ManualClock, systemClock, type Timer } from '../clock.js';
export * from './group-classic/index.js';
