/**
 * npm run bench:transactions — transactional produce (issue 13): one transaction of 100 and of 1000
 * records × 100 B (begin, one send of all the records, commit; awaited, so each figure includes the
 * AddPartitionsToTxn, Produce and EndTxn round trips and, on a real broker, the markers written
 * before EndTxn's next transaction can start), by kafkalab's producer side by side with kafkajs 2.2
 * and @platformatic/kafka, against the emulator (child process) and a real Apache Kafka 4.1.1 broker
 * (conformance/real-kafka/kafka.sh, one KRaft node) in the same run: a table per broker with
 * kafkalab's ratio to each client, and emulator ÷ real Kafka per client.
 *
 * Every client has its own transactional.id per broker, initialised once before timing. The real
 * broker is warmed up first (its JIT), as in bench:client. Bounded: a few seconds of timing per
 * client, scenario and broker (BENCH_ROUNDS × BENCH_ROUND_MS), a watchdog that ends the run, both
 * brokers stopped in `finally` (the real one also when this process dies: KAFKA_WATCH_PID).
 *
 * BENCH_KINDS=emulator leaves the real broker out (no JVM). Starts a JVM otherwise: on a shared
 * machine run it under `flock /tmp/kafkalab-jvm.lock npm run bench:transactions`.
 */
import { Producer as PlatformaticProducer, stringSerializers } from '@platformatic/kafka';
import { Kafka, logLevel } from 'kafkajs';
import { Admin } from '../src/client/admin.js';
import { describeTransaction } from '../src/client/admin-transactions.js';
import { Cluster } from '../src/client/cluster.js';
import { Producer } from '../src/client/producer/index.js';
import { startRealKafka } from '../test/support/real-kafka.js';
import { startEmulatorProcess } from './emulator-process.js';
import { machineLine } from './harness.js';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
const TOPIC = 'bench-txn';
const VALUE = 'v'.repeat(100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 500);
const REAL_WARMUP_MS = 4_000;
const WATCHDOG_MS = Number(process.env.BENCH_LIMIT_MS ?? 240_000);
const KINDS = (process.env.BENCH_KINDS ?? 'emulator,real').split(',').map((k) => k.trim());
for (const k of KINDS)
  if (k !== 'emulator' && k !== 'real') throw new Error(`BENCH_KINDS: unknown ${k} (emulator, real)`);

type Message = { key: string; value: string };
const batch = (n: number): Message[] => Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: VALUE }));
const SCENARIOS = [
  { name: 'transaction of 100 × 100 B', messages: batch(100) },
  { name: 'transaction of 1000 × 100 B', messages: batch(1000) },
];

interface Client {
  name: string;
  /** One whole transaction: begin, send, commit. */
  transaction(messages: Message[]): Promise<void>;
  close(): Promise<void>;
}

async function clientsFor(bootstrap: string, tag: string): Promise<Client[]> {
  const ours = new Producer({ bootstrap, transactionalId: `bench-kafkalab-${tag}`, acks: 'all' });
  await ours.initTransactions();
  const kafkajs = new Kafka({ clientId: 'bench', brokers: [bootstrap], logLevel: logLevel.NOTHING }).producer(
    {
      transactionalId: `bench-kafkajs-${tag}`,
      idempotent: true,
      maxInFlightRequests: 1,
    },
  );
  await kafkajs.connect();
  const plat = new PlatformaticProducer({
    clientId: 'bench',
    bootstrapBrokers: [bootstrap],
    serializers: stringSerializers,
    transactionalId: `bench-platformatic-${tag}`,
    idempotent: true,
    acks: -1,
  });
  return [
    {
      name: 'kafkalab',
      async transaction(m) {
        ours.beginTransaction();
        await ours.send({ topic: TOPIC, messages: m });
        await ours.commitTransaction();
      },
      close: () => ours.close(),
    },
    {
      name: 'kafkajs',
      async transaction(m) {
        const tx = await kafkajs.transaction();
        await tx.send({ topic: TOPIC, acks: -1, messages: m });
        await tx.commit();
      },
      close: () => kafkajs.disconnect(),
    },
    {
      name: '@platformatic/kafka',
      async transaction(m) {
        const tx = await plat.beginTransaction();
        await tx.send({ messages: m.map((x) => ({ topic: TOPIC, key: x.key, value: x.value })) });
        await tx.commit();
      },
      close: () => plat.close(),
    },
  ];
}

/** Each client's last transaction really committed (its coordinator says CompleteCommit). */
async function checkCommitted(bootstrap: string, tag: string): Promise<void> {
  const cluster = new Cluster({ bootstrap, clientId: 'bench-check' });
  try {
    for (const name of ['kafkalab', 'kafkajs', 'platformatic']) {
      const d = await describeTransaction(cluster, `bench-${name}-${tag}`);
      if (d.state !== 'CompleteCommit')
        throw new Error(`bench-${name}-${tag}: transaction state ${d.state}, not CompleteCommit`);
    }
  } finally {
    await cluster.close();
  }
}

interface Row {
  scenario: string;
  client: string;
  transactions: number;
  txnPerSec: number;
  recPerSec: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * Interleaved rounds: each client in turn runs transactions back to back for ROUND_MS, ROUNDS times,
 * every transaction timed. The rate is all transactions over all their time; p50/p99 show whether a
 * rate comes from steady transactions or from a few long waits (a client backing off after
 * CONCURRENT_TRANSACTIONS while the broker still writes the previous transaction's markers).
 */
async function timeScenario(sc: (typeof SCENARIOS)[number], clients: Client[]): Promise<Row[]> {
  for (const c of clients) for (let i = 0; i < 3; i++) await c.transaction(sc.messages);
  const durations = new Map<string, number[]>(clients.map((c) => [c.name, []]));
  for (let round = 0; round < ROUNDS; round++)
    for (const c of clients) {
      const list = durations.get(c.name)!;
      const end = performance.now() + ROUND_MS;
      do {
        const t = performance.now();
        await c.transaction(sc.messages);
        list.push(performance.now() - t);
      } while (performance.now() < end);
    }
  return clients.map((c) => {
    const list = durations.get(c.name)!.sort((a, b) => a - b);
    const totalMs = list.reduce((a, b) => a + b, 0);
    const txnPerSec = (list.length / totalMs) * 1000;
    return {
      scenario: sc.name,
      client: c.name,
      transactions: list.length,
      txnPerSec,
      recPerSec: txnPerSec * sc.messages.length,
      p50Ms: list[Math.floor(list.length / 2)]!,
      p99Ms: list[Math.min(list.length - 1, Math.floor(list.length * 0.99))]!,
    };
  });
}

function rate(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(1)} k` : n.toFixed(1);
}

interface Broker {
  label: string;
  bootstrap: string;
  stop(): Promise<void>;
}

async function startBroker(kind: string): Promise<Broker> {
  if (kind === 'emulator') {
    const e = await startEmulatorProcess(['--topic', `${TOPIC}:1`]);
    return { label: 'emulator (child process)', bootstrap: e.bootstrap, stop: e.stop };
  }
  const kafka = await startRealKafka({ timeoutMs: 180_000 });
  try {
    const admin = new Admin({ bootstrap: kafka.bootstrap, clientId: 'bench-setup' });
    try {
      await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 1, replicationFactor: 1 }] });
    } finally {
      await admin.close();
    }
  } catch (err) {
    await kafka.stop();
    throw err;
  }
  return {
    label: 'Apache Kafka 4.1.1 (KRaft, one broker, JVM)',
    bootstrap: kafka.bootstrap,
    stop: kafka.stop,
  };
}

const started: Broker[] = [];
const watchdog = setTimeout(async () => {
  console.error(`bench:transactions: still running after ${WATCHDOG_MS} ms, stopping`);
  await Promise.allSettled(started.map((b) => b.stop()));
  process.exit(2);
}, WATCHDOG_MS);

const byKind = new Map<string, { broker: Broker; results: Row[] }>();
const t0 = performance.now();
try {
  for (const kind of KINDS) {
    const broker = await startBroker(kind);
    started.push(broker);
    const clients = await clientsFor(broker.bootstrap, kind);
    try {
      if (kind === 'real') {
        // The JVM's JIT: every client runs transactions for a while before anything is timed.
        for (const c of clients) {
          const until = performance.now() + REAL_WARMUP_MS / clients.length;
          while (performance.now() < until) await c.transaction(SCENARIOS[0]!.messages);
        }
      }
      const results: Row[] = [];
      for (const sc of SCENARIOS) results.push(...(await timeScenario(sc, clients)));
      byKind.set(kind, { broker, results });
    } finally {
      for (const c of clients) await c.close().catch(() => undefined);
    }
    await checkCommitted(broker.bootstrap, kind);
    await broker.stop();
  }
} finally {
  await Promise.allSettled(started.map((b) => b.stop()));
  clearTimeout(watchdog);
}

console.log(`\n${machineLine()}; ${ROUNDS} rounds × ${ROUND_MS} ms per client and scenario, interleaved`);
for (const { broker, results } of byKind.values()) {
  console.log(`\n${broker.label}\n`);
  console.log('| scenario | library | transactions | txn/s | rec/s | p50 | p99 | kafkalab × |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    const ours = results.find((x) => x.scenario === r.scenario && x.client === 'kafkalab')!;
    const ratio = r === ours ? '' : `${(ours.txnPerSec / r.txnPerSec).toFixed(2)}×`;
    console.log(
      `| ${r.scenario} | ${r.client} | ${r.transactions} | ${r.txnPerSec.toFixed(1)} | ${rate(r.recPerSec)} | ${r.p50Ms.toFixed(2)} ms | ${r.p99Ms.toFixed(2)} ms | ${ratio} |`,
    );
  }
}
const emu = byKind.get('emulator');
const real = byKind.get('real');
if (emu && real) {
  console.log(
    '\n| scenario | library | emulator txn/s | real Kafka txn/s | emulator ÷ real |\n|---|---|---:|---:|---:|',
  );
  for (const e of emu.results) {
    const r = real.results.find((x) => x.scenario === e.scenario && x.client === e.client)!;
    console.log(
      `| ${e.scenario} | ${e.client} | ${e.txnPerSec.toFixed(1)} | ${r.txnPerSec.toFixed(1)} | ${(e.txnPerSec / r.txnPerSec).toFixed(2)}× |`,
    );
  }
}
console.log(`\nwall time ${((performance.now() - t0) / 1000).toFixed(1)} s`);
process.exit(0);
