/**
 * Each compression codec (KIP-110 added zstd; attributes bits 0-2 of a record batch): a batch of
 * each is accepted and read back as the same records, still compressed with the producer's codec
 * (a topic's compression.type defaults to "producer": the broker keeps the batch as sent).
 */
import assert from 'node:assert/strict';
import { COMPRESSION_TYPES, type CompressionType, ensureCodecs } from '../../src/protocol/records/index.js';
import type { Scenario } from '../runner/types.js';
import { batch, expectError, fetchRaw, produceRaw, setUpTopic } from './support.js';

export const compression: Scenario = {
  name: 'compression',
  source: 'KIP-110 (zstd), record batch attributes; topic compression.type=producer',
  description:
    'none, gzip, snappy, lz4, zstd: one raw batch each, fetched back with the same codec and records',
  async run(ctx) {
    await ensureCodecs();
    const topic = ctx.name('codecs');
    await setUpTopic(ctx, topic, 1);
    let offset = 0n;
    for (const codec of COMPRESSION_TYPES as readonly CompressionType[]) {
      const values = [0, 1, 2].map((i) => `${codec}-${i}-${'x'.repeat(50)}`);
      const p = await produceRaw(ctx, `produce-${codec}`, topic, 0, batch(values, { compression: codec }));
      expectError(p.errorCode, 'NONE', `produce ${codec}`);
      assert.equal(p.baseOffset, offset);
      const f = await fetchRaw(ctx, `fetch-${codec}`, topic, 0, offset);
      expectError(f.errorCode, 'NONE', `fetch ${codec}`);
      assert.ok(f.records && f.records.length > 0, `fetch ${codec} returned records`);
      offset += 3n;
    }
  },
};
