import { describe, expect, it } from 'vitest';
import { compress, decompress } from '../../../src/protocol/records/index.js';

// vitest isolates modules per file, so here zstd's wasm has never been loaded.
describe('zstd before ensureCodecs()', () => {
  it('says what is missing and what to do', () => {
    expect(() => compress('zstd', Buffer.from('x'))).toThrow(
      /zstd codec is not ready: call `await ensureCodecs\(\)`/,
    );
    expect(() => decompress('zstd', Buffer.from('28b52ffd', 'hex'))).toThrow(/ensureCodecs/);
  });
});
