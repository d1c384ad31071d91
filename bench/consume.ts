/**
 * npm run bench:consume — consume throughput: the same 1 million 100-byte records (4 partitions)
 * read from the beginning by a kafkalab, a kafkajs 2.2 and an @platformatic/kafka consumer, each in a
 * fresh group, one after the other, against one broker in another process (so this process's CPU is
 * the client's alone): the emulator, or with BENCH_BROKER=real a real Apache Kafka 4.1.1 broker.
 * Reports records/s (wall clock from subscribe to the last record), the consumer's CPU µs per record
 * (this process) and the broker's (its process, from /proc). Each run is bounded by a timeout. With
 * BENCH_ROUNDS > 1 the contenders run interleaved, round after round, and the median round of each
 * is reported.
 *
 * BENCH_RECORDS=200000 npm run bench:consume for a shorter run; BENCH_ONLY=kafkalab to run only the
 * contenders whose name starts with that; BENCH_PROFILE=dir writes a CPU profile of each consume run.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { Consumer as PlatformaticConsumer } from '@platformatic/kafka';
import { Kafka, logLevel } from 'kafkajs';
import { Consumer } from '../src/client/consumer/consumer.js';
import { Producer } from '../src/client/producer/producer.js';
import { cpuMsOf, startBenchBroker } from './emulator-process.js';
import { machineLine } from './harness.js';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const ROUNDS = Math.min(Math.max(Number(process.env.BENCH_ROUNDS ?? 1), 1), 20);
const ONLY = process.env.BENCH_ONLY;
/** BENCH_PROFILE=dir: a V8 CPU profile of each consume run (not the fill) into dir. */
const PROFILE = process.env.BENCH_PROFILE;
const PARTITIONS = 4;
const PER_SEND = 1000;
const TOPIC = 'bench-consume';
const TIMEOUT_MS = 300_000;
const VALUE = Buffer.alloc(100, 'v');

// The broker runs in its own process: its Fetch work is not charged to (nor competes in-process
// with) the client being measured. BENCH_BROKER=real: a real Kafka broker instead of the emulator.
const emulator = await startBenchBroker([{ name: TOPIC, partitions: PARTITIONS }]);

interface Measured {
  name: string;
  records: number;
  ms: number;
  /** From subscribe to the first record (group join, first fetch). */
  firstMs: number;
  /** CPU of this process (the consumer) during the run. */
  cpuUs: number;
  /** CPU of the broker process during the run (10 ms resolution). */
  brokerCpuUs: number;
}

try {
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

  /** Runs `consume` until it reports RECORDS records; bounded by TIMEOUT_MS. */
  async function measure(
    name: string,
    consume: (onRecords: (n: number) => void) => Promise<() => Promise<void>>,
  ): Promise<Measured> {
    let count = 0;
    let firstMs = 0;
    let finish!: () => void;
    const done = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const session = PROFILE ? new Session() : undefined;
    if (session) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    }
    const cpu0 = process.cpuUsage();
    const broker0 = cpuMsOf(emulator.pid);
    const t0 = performance.now();
    const stop = await consume((n) => {
      if (count === 0) firstMs = performance.now() - t0;
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
    const brokerCpuUs = (cpuMsOf(emulator.pid) - broker0) * 1000;
    if (session) {
      const { profile } = await session.post('Profiler.stop');
      const file = `${PROFILE}/${name.replace(/\W+/g, '-')}-${run}.cpuprofile`;
      writeFileSync(file, JSON.stringify(profile));
      process.stderr.write(`profile: ${file}\n`);
      session.disconnect();
    }
    await stop();
    return { name, records: count, ms, firstMs, cpuUs: cpu.user + cpu.system, brokerCpuUs };
  }

  let run = 0;
  const group = (client: string) => `bench-${client}-${process.pid}-${run}`;

  const kafkalab =
    (name: string, checkCrcs: boolean) =>
    async (onRecords: (n: number) => void): Promise<() => Promise<void>> => {
      const c = new Consumer({
        bootstrap: emulator.bootstrap,
        groupId: group(name),
        autoOffsetReset: 'earliest',
        checkCrcs,
      });
      c.subscribe(TOPIC);
      c.run({ eachBatch: (b) => onRecords(b.records.length) }).catch((err) =>
        process.stderr.write(`${err}\n`),
      );
      return () => c.close();
    };

  const all: { name: string; consume: Parameters<typeof measure>[1] }[] = [
    { name: 'kafkalab', consume: kafkalab('kafkalab', true) },
    // Kafka's check.crcs=false: kafkajs and @platformatic/kafka do not verify batch CRCs on fetch.
    { name: 'kafkalab, no CRC check', consume: kafkalab('kafkalab-nocrc', false) },
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
  const contenders = all.filter((c) => ONLY === undefined || c.name.startsWith(ONLY));

  const results: Measured[] = [];
  for (run = 0; run < ROUNDS; run++) {
    for (const c of contenders) {
      const m = await measure(c.name, c.consume);
      results.push(m);
      process.stderr.write(
        `${m.name}: ${m.records} records in ${(m.ms / 1000).toFixed(2)} s (first after ${Math.round(m.firstMs)} ms), ${(m.cpuUs / m.records).toFixed(2)} CPU µs/record\n`,
      );
    }
  }

  /** The median round of each contender (by rate). */
  const median = new Map<string, Measured>();
  for (const c of contenders) {
    const rounds = results.filter((r) => r.name === c.name).sort((a, b) => a.ms - b.ms);
    median.set(c.name, rounds[Math.floor(rounds.length / 2)]);
  }
  const ours = median.get('kafkalab');
  const rate = (m: Measured) => (m.records / m.ms) * 1000;
  console.log(
    `consume ${RECORDS} × 100 B records, ${PARTITIONS} partitions, broker: ${emulator.label} (median of ${ROUNDS})`,
  );
  console.log(machineLine());
  console.log('client                   records/s   client CPU µs/rec    broker CPU µs/rec   kafkalab ×');
  for (const m of median.values()) {
    console.log(
      `${m.name.padEnd(24)} ${Math.round(rate(m)).toString().padStart(9)}   ${(m.cpuUs / m.records).toFixed(2).padStart(17)}   ${(m.brokerCpuUs / m.records).toFixed(2).padStart(19)}   ${ours ? (rate(ours) / rate(m)).toFixed(2).padStart(10) : '-'.padStart(10)}`,
    );
  }
} finally {
  await emulator.stop();
}
process.exit(0);
