/** read_committed's reset to the last stable offset (support/read-committed-reset-case.ts) on the emulator. */
import { afterAll, beforeAll } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { readCommittedResetCase } from './support/read-committed-reset-case.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterAll(() => emulator?.stop());

readCommittedResetCase(() => emulator.bootstrap, 'emulator');
