/**
 * Kafka's ordering promise, as a property: the records one producer sends to one partition are
 * stored in the order of its send() calls (issue 11, item 1). fast-check draws a script of sends
 * (several keys, keyless records, explicit partitions, awaited or not, flush() between) and the
 * faults it meets on the emulator's hooks: the topic created on first use, Metadata delayed or
 * answered LEADER_NOT_AVAILABLE (leader unknown), Produce answered with retriable errors, with
 * OUT_OF_ORDER_SEQUENCE_NUMBER / UNKNOWN_PRODUCER_ID (the epoch bump), with a closed connection, with
 * its answer lost after the append (idempotent runs), and batches above the broker's
 * message.max.bytes (split in halves). Then each partition is read back with our own Fetch: every
 * record of a successful send is stored exactly once at the offset send() reported, no record of a
 * failed send is stored twice, and each partition holds the producer's records in send order.
 */
import net from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Admin } from '../../src/client/admin.js';
import { PartitionQueue } from '../../src/client/producer/accumulator.js';
import { Producer } from '../../src/client/producer/producer.js';
import type { RecordMetadata } from '../../src/client/producer/types.js';
import type { RequestEvent } from '../../src/emulator/hooks.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { FrameSplitter } from '../../src/protocol/frame.js';
import { readPartition } from './support/read-back.js';

const PRODUCE = 0;
const METADATA = 3;
const LEADER_NOT_AVAILABLE = 5;
const PARTITIONS = 3;
/** Small enough that a batch of a dozen records is refused as MESSAGE_TOO_LARGE and split. */
const MAX_MESSAGE_BYTES = 1000;

let emulator: Emulator;
let run = 0;

beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    numPartitions: PARTITIONS,
    maxMessageBytes: MAX_MESSAGE_BYTES,
  });
});

afterAll(async () => {
  emulator.hooks.clear();
  await emulator.stop();
});

type Step =
  | { kind: 'send'; key: number | null; count: number; partition: number | undefined; awaited: boolean }
  | { kind: 'flush'; awaited: boolean }
  | { kind: 'metadata-delay'; ms: number }
  | { kind: 'metadata-unavailable'; times: number }
  | { kind: 'turn' };

/** What the broker does with the n-th Produce request. */
type Fault =
  | { kind: 'pass' }
  | { kind: 'error'; code: number; all: boolean }
  | { kind: 'close' }
  | { kind: 'lost' }
  | { kind: 'delay'; ms: number };

const RETRIABLE = [
  3, // UNKNOWN_TOPIC_OR_PARTITION
  5, // LEADER_NOT_AVAILABLE
  6, // NOT_LEADER_OR_FOLLOWER
  7, // REQUEST_TIMED_OUT
  19, // NOT_ENOUGH_REPLICAS
];
const SEQUENCE_TROUBLE = [
  45, // OUT_OF_ORDER_SEQUENCE_NUMBER, unexplained: an epoch bump
  59, // UNKNOWN_PRODUCER_ID: an epoch bump
];
/** INVALID_RECORD: refused for good; the send fails, the idempotent chain re-sequences. */
const FATAL = 87;

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('send' as const),
      key: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null, freq: 3 }),
      count: fc.integer({ min: 1, max: 6 }),
      // Mostly the partitioner's choice.
      partition: fc.oneof(
        { weight: 4, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.integer({ min: 0, max: PARTITIONS - 1 }) },
      ),
      awaited: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('flush' as const), awaited: fc.boolean() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('metadata-delay' as const),
      ms: fc.integer({ min: 1, max: 40 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('metadata-unavailable' as const),
      times: fc.integer({ min: 1, max: 3 }),
    }),
  },
  { weight: 2, arbitrary: fc.constant({ kind: 'turn' as const }) },
);

function faultArb(idempotent: boolean, bumps: boolean): fc.Arbitrary<Fault> {
  // A refusal for good of a batch whose earlier attempt went unanswered, or an unexplained sequence
  // error, bumps the epoch (KIP-360); a batch re-sent under the new identity is a new batch to the
  // broker. So runs either stage those or lose answers, not both (see 'lost' below).
  const codes = [
    ...RETRIABLE,
    ...(!idempotent || bumps ? [FATAL] : []),
    ...(idempotent && bumps ? SEQUENCE_TROUBLE : []),
  ];
  const faults: fc.WeightedArbitrary<Fault>[] = [
    { weight: 6, arbitrary: fc.constant({ kind: 'pass' as const }) },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('error' as const),
        code: fc.constantFrom(...codes),
        all: fc.boolean(),
      }),
    },
    { weight: 1, arbitrary: fc.constant({ kind: 'close' as const }) },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant('delay' as const), ms: fc.integer({ min: 1, max: 30 }) }),
    },
  ];
  // An answer lost after the append is a duplicate the broker must recognise: only idempotence does,
  // and only within one producer epoch (after a bump a re-sent batch is new to the broker; Java's
  // producer re-sequences its in-flight batches under the new epoch the same way).
  if (idempotent && !bumps) faults.push({ weight: 1, arbitrary: fc.constant({ kind: 'lost' as const }) });
  return fc.oneof(...faults);
}

const scenarioArb = fc
  .record({
    idempotent: fc.boolean(),
    bumps: fc.boolean(),
    maxInFlight: fc.integer({ min: 1, max: 5 }),
    // 200: about one record a batch; 900: a few; 6000: batches above message.max.bytes, split.
    batchSize: fc.constantFrom(200, 900, 6000),
    lingerMs: fc.constantFrom(0, 0, 3),
  })
  .chain((o) =>
    fc.record({
      options: fc.constant(o),
      steps: fc.array(stepArb, { minLength: 1, maxLength: 25 }),
      faults: fc.array(faultArb(o.idempotent, o.bumps), { maxLength: 12 }),
    }),
  );

/** Sends a request frame on a connection of its own and waits for its answer (bounded). */
async function replay(e: Emulator, frame: Buffer): Promise<void> {
  const socket = net.connect({ host: e.host, port: e.port });
  const splitter = new FrameSplitter();
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('replay: no answer within 5 s')), 5000);
      socket.on('error', reject);
      socket.on('data', (chunk) => {
        if (splitter.push(chunk).length > 0) {
          clearTimeout(timer);
          resolve();
        }
      });
      socket.write(frame);
    });
  } finally {
    socket.destroy();
  }
}

/** A Produce answer with `code` for every partition of the request, or for its first one only. */
function errorAnswer(e: RequestEvent, code: number, all: boolean) {
  let first = true;
  return {
    respond: {
      responses: e.request.topicData.map((t: { name: string; partitionData: { index: number }[] }) => ({
        name: t.name,
        partitionResponses: t.partitionData.map((p) => {
          const errorCode = all || first ? code : 0;
          first = false;
          // A partition answered 0 here was not appended either: say so with a retriable error, so
          // that the producer sends it again (NOT_LEADER_OR_FOLLOWER, as after a leader move).
          return {
            index: p.index,
            errorCode: errorCode === 0 ? 6 : errorCode,
            baseOffset: -1n,
            logAppendTimeMs: -1n,
            logStartOffset: -1n,
            recordErrors: [],
            errorMessage: null,
          };
        }),
      })),
      throttleTimeMs: 0,
    },
  };
}

interface Sent {
  seq: number;
  call: number;
}

describe('send order on a topic created on first use', () => {
  it('stores three sends of one burst in call order (the first used to land last)', async () => {
    const p = new Producer({ bootstrap: emulator.bootstrap });
    try {
      const sends = ['x', 'y', 'z'].map((value) =>
        p.send({ topic: 'burst', messages: [{ key: 'k', value }] }),
      );
      const metas = (await Promise.all(sends)).flat();
      const stored = await readPartition(emulator, 'burst', metas[0].partition);
      expect(stored.map((r) => r.value)).toEqual(['x', 'y', 'z']);
      expect(metas.map((m) => m.offset)).toEqual([0n, 1n, 2n]);
    } finally {
      await p.close();
    }
  });

  it('keeps keyless records in call order too: the sticky partitioner sees them as sent', async () => {
    const p = new Producer({ bootstrap: emulator.bootstrap });
    try {
      const values = ['a', 'b', 'c', 'd', 'e'];
      const metas = (
        await Promise.all(values.map((value) => p.send({ topic: 'sticky', messages: [{ value }] })))
      ).flat();
      // One batch's worth of bytes: the sticky partitioner keeps them all on one partition.
      expect(new Set(metas.map((m) => m.partition)).size).toBe(1);
      const stored = await readPartition(emulator, 'sticky', metas[0].partition);
      expect(stored.map((r) => r.value)).toEqual(values);
    } finally {
      await p.close();
    }
  });
});

describe('sends waiting for metadata share one look-up (issue 11, item 9)', () => {
  it('asks Metadata about a new topic once for a burst of 2000 sends, not once per send', async () => {
    const p = new Producer({ bootstrap: emulator.bootstrap });
    let asked = 0;
    const obs = emulator.hooks.observe(METADATA, (e) => {
      if (e.request.topics?.some((t: { name: string }) => t.name === 'many-sends')) asked++;
    });
    try {
      await p.connect();
      const sends = Array.from({ length: 2000 }, (_, i) =>
        p.send({ topic: 'many-sends', messages: [{ key: `k${i}`, value: `v${i}` }] }),
      );
      await Promise.all(sends);
      // Created on first use: UNKNOWN_TOPIC_OR_PARTITION, then the answer (each Metadata answer carries
      // every partition, so one per send cost the client time and memory per partition).
      expect(asked).toBeLessThanOrEqual(3);
    } finally {
      obs.remove();
      await p.close();
    }
  });
});

describe('the sender visits only partitions with something to send (issue 11, item 9)', () => {
  it('sending to one partition of a 2000-partition topic does not look at the other 1999 each time', async () => {
    const admin = new Admin({ bootstrap: emulator.bootstrap });
    try {
      await admin.createTopics({ topics: [{ topic: 'wide', numPartitions: 2000 }] });
    } finally {
      await admin.close();
    }
    const p = new Producer({ bootstrap: emulator.bootstrap });
    try {
      // One record to every partition: a queue each.
      await Promise.all(
        Array.from({ length: 2000 }, (_, partition) =>
          p.send({ topic: 'wide', messages: [{ value: 'x', partition }] }),
        ),
      );
      const ready = vi.spyOn(PartitionQueue.prototype, 'ready');
      for (let i = 0; i < 50; i++)
        await p.send({ topic: 'wide', messages: [{ value: `y${i}`, partition: 7 }] });
      // A few looks per send at partition 7's queue; before, every drain asked all 2000 queues.
      expect(ready.mock.calls.length).toBeLessThan(50 * 10);
      ready.mockRestore();
    } finally {
      await p.close();
    }
  });
});

describe('the producer keeps send order per partition (property)', () => {
  it('stores every partition in send order, whatever the metadata and Produce faults', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async ({ options, steps, faults }) => {
        const topic = `order-${++run}`;
        const p = new Producer({
          bootstrap: emulator.bootstrap,
          acks: options.idempotent ? -1 : 1,
          idempotent: options.idempotent,
          maxInFlight: options.maxInFlight,
          batchSize: options.batchSize,
          lingerMs: options.lingerMs,
          deliveryTimeoutMs: 60_000,
          requestTimeoutMs: 10_000,
          retry: { initialBackoffMs: 2, maxBackoffMs: 20 },
        });
        // The n-th Produce request of this run meets faults[n]; replays of a lost answer pass.
        let n = 0;
        const replaying = new Set<string>();
        const hook = emulator.hooks.intercept(PRODUCE, async (e) => {
          // The replayed frame carries the original's header.
          const id = `${e.header.clientId}/${e.header.correlationId}`;
          if (replaying.has(id)) return undefined;
          const f = faults[n++] ?? { kind: 'pass' };
          if (f.kind === 'pass') return undefined;
          if (f.kind === 'error') return errorAnswer(e, f.code, f.all);
          if (f.kind === 'close') return 'close';
          if (f.kind === 'delay') {
            await new Promise((r) => setTimeout(r, f.ms));
            return undefined;
          }
          // Appended (the frame again, on a connection of its own), then the answer never arrives.
          replaying.add(id);
          await replay(emulator, e.raw);
          replaying.delete(id);
          return 'close';
        });
        const metadataRules: { remove(): void }[] = [];
        const calls: { records: Sent[]; outcome: Promise<PromiseSettledResult<RecordMetadata[]>> }[] = [];
        const pending: Promise<unknown>[] = [];
        let seq = 0;
        try {
          for (const step of steps) {
            if (step.kind === 'send') {
              const records: Sent[] = [];
              const messages = [];
              for (let i = 0; i < step.count; i++) {
                const r = { seq: seq++, call: calls.length };
                records.push(r);
                messages.push({
                  key: step.key === null ? null : `k${step.key}`,
                  value: `${String(r.seq).padStart(5, '0')}-${'v'.repeat(60)}`,
                  partition: step.partition,
                });
              }
              const sending = p.send({ topic, messages });
              const outcome = sending.then(
                (value) => ({ status: 'fulfilled' as const, value }),
                (reason) => ({ status: 'rejected' as const, reason }),
              );
              calls.push({ records, outcome });
              if (step.awaited) await outcome;
            } else if (step.kind === 'flush') {
              const f = p.flush();
              if (step.awaited) await f;
              else pending.push(f);
            } else if (step.kind === 'metadata-delay') {
              metadataRules.push(emulator.hooks.delay(METADATA, step.ms, { times: 1 }));
            } else if (step.kind === 'metadata-unavailable') {
              metadataRules.push(
                emulator.hooks.injectError(METADATA, LEADER_NOT_AVAILABLE, { times: step.times }),
              );
            } else {
              await new Promise((r) => setImmediate(r));
            }
          }
          await p.flush();
          await Promise.all(pending);
          const outcomes = await Promise.all(calls.map((c) => c.outcome));

          // What the broker stored, per partition.
          const stored = new Map<number, { offset: bigint; seq: number }[]>();
          for (let partition = 0; partition < PARTITIONS; partition++) {
            const records = await readPartition(emulator, topic, partition).catch(() => []);
            stored.set(
              partition,
              records.map((r) => ({ offset: r.offset, seq: Number((r.value ?? '').slice(0, 5)) })),
            );
          }
          const where = new Map<number, { partition: number; offset: bigint }[]>();
          for (const [partition, records] of stored) {
            // Send order within the partition: strictly increasing send sequence, so no duplicate either.
            const seqs = records.map((r) => r.seq);
            expect(seqs, `partition ${partition} in send order`).toEqual([...seqs].sort((a, b) => a - b));
            expect(new Set(seqs).size, `partition ${partition} without duplicates`).toBe(seqs.length);
            for (const r of records) {
              const list = where.get(r.seq) ?? [];
              list.push({ partition, offset: r.offset });
              where.set(r.seq, list);
            }
          }
          for (let c = 0; c < calls.length; c++) {
            const o = outcomes[c];
            if (o.status === 'rejected') {
              // Only a refusal for good can fail a call here (retries are unbounded, the deadline far).
              expect(String(o.reason)).toMatch(/INVALID_RECORD/);
              for (const r of calls[c].records) expect(where.get(r.seq)?.length ?? 0).toBeLessThanOrEqual(1);
              continue;
            }
            // A successful send: each record stored once, where send() said (no gap).
            calls[c].records.forEach((r, i) => {
              const meta = o.value[i];
              expect(where.get(r.seq), `record ${r.seq} stored once`).toEqual([
                { partition: meta.partition, offset: meta.offset },
              ]);
            });
          }
        } finally {
          hook.remove();
          for (const r of metadataRules) r.remove();
          await p.close().catch(() => {});
        }
      }),
      {
        numRuns: Number(process.env.ORDER_RUNS ?? 40),
        seed: process.env.ORDER_SEED === undefined ? undefined : Number(process.env.ORDER_SEED),
        path: process.env.ORDER_PATH,
        endOnFailure: true,
      },
    );
  }, 300_000);
});
