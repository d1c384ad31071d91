/**
 * Idempotent producer retry (KIP-98): the same batch (producer id, epoch, sequence) sent twice is
 * written once and both answers carry the same base offset (UnifiedLog.analyzeAndValidateProducerState,
 * ProducerStateEntry.findDuplicateBatch); the next sequence appends; a gap is
 * OUT_OF_ORDER_SEQUENCE_NUMBER (ProducerAppendInfo.checkSequence).
 */
import assert from 'node:assert/strict';
import { InitProducerId } from '../../src/protocol/messages/22-init-producer-id.js';
import type { Scenario } from '../runner/types.js';
import { batch, expectError, fetchRaw, produceRaw, setUpTopic } from './support.js';

export const idempotentRetry: Scenario = {
  name: 'idempotent-retry',
  source: 'KIP-98; UnifiedLog.analyzeAndValidateProducerState, ProducerAppendInfo.checkSequence',
  description:
    'same idempotent batch twice → one write, same offset; next sequence appends; a gap → error 45',
  async run(ctx) {
    const topic = ctx.name('idempotent');
    await setUpTopic(ctx, topic, 1);
    const body = {
      transactionalId: null,
      transactionTimeoutMs: 2_147_483_647,
      producerId: -1n,
      producerEpoch: -1,
    };
    // A fresh real broker answers COORDINATOR_LOAD_IN_PROGRESS (retriable) until its producer id
    // manager has a block of ids from the controller; a client retries, so do we (not compared).
    await ctx.until('InitProducerId to succeed', async () => {
      const r = await ctx.exchange(null, InitProducerId, body);
      return r.errorCode === 0 ? true : undefined;
    });
    const init = await ctx.exchange('init-producer-id', InitProducerId, body);
    expectError(init.errorCode, 'NONE', 'InitProducerId');
    const id = { producerId: init.producerId, producerEpoch: init.producerEpoch };
    const first = batch(['a', 'b', 'c'], { ...id, baseSequence: 0 });
    const p1 = await produceRaw(ctx, 'first', topic, 0, first);
    const p2 = await produceRaw(ctx, 'retry', topic, 0, first);
    expectError(p2.errorCode, 'NONE', 'retry of the same batch');
    assert.equal(p2.baseOffset, p1.baseOffset, 'the retry answers with the original offset');
    const p3 = await produceRaw(ctx, 'next', topic, 0, batch(['d'], { ...id, baseSequence: 3 }));
    assert.equal(p3.baseOffset, 3n);
    const gap = await produceRaw(ctx, 'gap', topic, 0, batch(['e'], { ...id, baseSequence: 10 }));
    expectError(gap.errorCode, 'OUT_OF_ORDER_SEQUENCE_NUMBER', 'sequence gap');
    const f = await fetchRaw(ctx, 'log', topic, 0, 0n);
    assert.equal(f.highWatermark, 4n, 'a, b, c, d written once each');
  },
};
