/**
 * npm run bench:consume — consume throughput: the same 1 million 100-byte records (4 partitions)
 * read from the beginning by a kafkalab, a kafkajs 2.2 and an @platformatic/kafka consumer, each in a
 * fresh group, one after the other, against one in-process emulator. Reports records/s (wall clock
 * from subscribe to the last record) and CPU µs per record (this process: clients and emulator
 * share it, so the broker's share is the same for all three). Each run is bounded by a timeout.
 *
 * BENCH_RECORDS=200000 npm run bench:consume for a shorter run.
 */
import { Consumer as PlatformaticConsumer } from '@platformatic/kafka';
import { Kafka, logLevel } from 'kafkajs';
import { Consumer } from '../src/client/consumer/consumer.js';
import { Producer } from '../src/client/producer/producer.js';
import { startEmulator } from '../src/emulator/index.js';
import { machineLine } from './harness.js';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const PARTITIONS = 4;
const PER_SEND = 1000;
const TOPIC = 'bench-consume';
const TIMEOUT_MS = 300_000;
const VALUE = Buffer.alloc(100, 'v');

const emulator = await startEmulator({ port: 0, topics: [{ name: TOPIC, partitions: PARTITIONS }] });

// Fill the topic: batches of 1000 records, partitions in turn, several sends in flight.
{
  const t0 = performance.now();
  const producer = new Producer({ bootstrap: emulator.bootstrap, acks: 1 });
  await producer.connect();
  const messages = Array.from({ length: PER_SEND }, (_, i) => ({ key: `k${i}`, value: VALUE }));
  const sends: Promise<unknown>[] = [];
  for (let i = 0; i < RECORDS / PER_SEND; i++) {
    sends.push(
      producer.send({ topic: TOPIC, messages: messages.map((m) => ({ ...m, partition: i % PARTITIONS })) }),
    );
    if (sends.length >= 8) await sends.shift();
  }
  await Promise.all(sends);
  await producer.close();
  process.stderr.write(`filled ${RECORDS} records in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}

interface Measured {
  name: string;
  records: number;
  ms: number;
  cpuUs: number;
}

/** Runs `consume` until it reports RECORDS records; bounded by TIMEOUT_MS. */
async function measure(
  name: string,
  consume: (onRecords: (n: number) => void) => Promise<() => Promise<void>>,
): Promise<Measured> {
  let count = 0;
  let finish!: () => void;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const stop = await consume((n) => {
    count += n;
    if (count >= RECORDS) finish();
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${name}: ${count} of ${RECORDS} records after ${TIMEOUT_MS} ms`)),
      TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([done, timeout]);
  } finally {
    clearTimeout(timer);
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  await stop();
  return { name, records: count, ms, cpuUs: cpu.user + cpu.system };
}

let run = 0;
const group = (client: string) => `bench-${client}-${process.pid}-${run}`;

const contenders: { name: string; consume: Parameters<typeof measure>[1] }[] = [
  {
    name: 'kafkalab',
    consume: async (onRecords) => {
      const c = new Consumer({
        bootstrap: emulator.bootstrap,
        groupId: group('kafkalab'),
        autoOffsetReset: 'earliest',
      });
      c.subscribe(TOPIC);
      c.run({ eachBatch: (b) => onRecords(b.records.length) }).catch((err) =>
        process.stderr.write(`${err}\n`),
      );
      return () => c.close();
    },
  },
  {
    // Kafka's check.crcs=false: kafkajs and @platformatic/kafka do not verify batch CRCs on fetch.
    name: 'kafkalab, no CRC check',
    consume: async (onRecords) => {
      const c = new Consumer({
        bootstrap: emulator.bootstrap,
        groupId: group('kafkalab-nocrc'),
        autoOffsetReset: 'earliest',
        checkCrcs: false,
      });
      c.subscribe(TOPIC);
      c.run({ eachBatch: (b) => onRecords(b.records.length) }).catch((err) =>
        process.stderr.write(`${err}\n`),
      );
      return () => c.close();
    },
  },
  {
    name: 'kafkajs',
    consume: async (onRecords) => {
      const kafka = new Kafka({
        clientId: 'bench',
        brokers: [emulator.bootstrap],
        logLevel: logLevel.NOTHING,
      });
      const c = kafka.consumer({ groupId: group('kafkajs') });
      await c.connect();
      await c.subscribe({ topic: TOPIC, fromBeginning: true });
      await c.run({ eachBatch: async ({ batch }) => onRecords(batch.messages.length) });
      return () => c.disconnect();
    },
  },
  {
    name: '@platformatic/kafka',
    consume: async (onRecords) => {
      const c = new PlatformaticConsumer({
        groupId: group('platformatic'),
        clientId: 'bench',
        bootstrapBrokers: [emulator.bootstrap],
      });
      const stream = await c.consume({ topics: [TOPIC], mode: 'earliest' });
      stream.on('data', () => onRecords(1));
      return async () => {
        await stream.close();
        await c.close();
      };
    },
  },
];

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const results: Measured[] = [];
for (run = 0; run < ROUNDS; run++) {
  for (const c of contenders) {
    const m = await measure(c.name, c.consume);
    results.push(m);
    process.stderr.write(`${m.name}: ${m.records} records in ${(m.ms / 1000).toFixed(2)} s\n`);
  }
}
await emulator.stop();

const best = new Map<string, Measured>();
for (const r of results) {
  const b = best.get(r.name);
  if (!b || r.ms < b.ms) best.set(r.name, r);
}
const ours = best.get('kafkalab')!;
const rate = (m: Measured) => (m.records / m.ms) * 1000;
console.log(
  `consume ${RECORDS} × 100 B records, ${PARTITIONS} partitions, in-process emulator (best of ${ROUNDS})`,
);
console.log(machineLine());
console.log('client                   records/s   CPU µs/record   kafkalab ×');
for (const m of best.values()) {
  console.log(
    `${m.name.padEnd(24)} ${Math.round(rate(m)).toString().padStart(9)}   ${(m.cpuUs / m.records).toFixed(2).padStart(13)}   ${(rate(ours) / rate(m)).toFixed(2).padStart(10)}`,
  );
}
process.exit(0);
