/**
 * Produce with acks 0, 1 and all (-1): with 0 the broker sends nothing back
 * (KafkaApis.handleProduceRequest), with 1 and -1 the base offset; and acks outside {-1, 0, 1} is
 * INVALID_REQUIRED_ACKS for every partition (ReplicaManager.scala). Our producer for 0/1/all, then the
 * log read back with Fetch.
 */
import assert from 'node:assert/strict';
import type { Scenario } from '../runner/types.js';
import { batch, expectError, fetchRaw, produceRaw, readAll, setUpTopic } from './support.js';

export const produceAcks: Scenario = {
  name: 'produce-acks',
  source: 'Produce: KafkaApis.handleProduceRequest (acks=0 silent), ReplicaManager (INVALID_REQUIRED_ACKS)',
  description:
    'acks 0/1/all through our producer and raw; acks=2 rejected; the log holds what was acknowledged',
  async run(ctx) {
    const topic = ctx.name('acks');
    await setUpTopic(ctx, topic, 1);
    for (const acks of [1, -1] as const) {
      const p = await produceRaw(
        ctx,
        `raw-acks-${acks}`,
        topic,
        0,
        batch([`raw-${acks}-a`, `raw-${acks}-b`]),
        {
          acks,
        },
      );
      expectError(p.errorCode, 'NONE', `raw acks=${acks}`);
    }
    const bad = await produceRaw(ctx, 'raw-acks-2', topic, 0, batch(['never']), { acks: 2 });
    expectError(bad.errorCode, 'INVALID_REQUIRED_ACKS', 'acks=2');

    for (const acks of [0, 1, 'all'] as const) {
      const producer = await ctx.producer({ acks, idempotent: false });
      const [meta] = await producer.send({
        topic,
        messages: [{ value: `client-acks-${acks}`, partition: 0 }],
      });
      // acks=0: nobody tells the producer the offset.
      if (acks === 0) assert.equal(meta.offset, -1n);
      ctx.checkpoint(`client-acks-${acks}`, { offset: meta.offset });
      await producer.close();
    }
    // acks=0 gives no answer to wait for: wait until the record is readable.
    await ctx.until('all 7 records to be readable', async () => {
      const p = await fetchRaw(ctx, null, topic, 0, 0n);
      return p.highWatermark === 7n ? true : undefined;
    });
    const log = await readAll(ctx, topic, 0);
    assert.equal(log.length, 7);
    ctx.checkpoint('log', log);
  },
};
