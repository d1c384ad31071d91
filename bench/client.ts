/**
 * npm run bench:client — produce throughput and produce-ack latency of kafkalab's producer side by
 * side with kafkajs 2.2 and @platformatic/kafka, against one broker in another process, the same
 * for all of them: the emulator, or with BENCH_BROKER=real a real Apache Kafka 4.1.1 broker. 100-byte values, acks=all, idempotence on for every client. Consume
 * throughput belongs to the consumer side.
 *
 * A fourth row, "bare socket", writes one pre-encoded Produce frame and waits for its answer: no
 * client work at all, so its rate is the ceiling the round trip through the broker allows: no client
 * can send single awaited records faster than that row.
 *
 * Then each client runs alone while process.cpuUsage() and the broker's /proc CPU time are read
 * around it: CPU µs per record says what a client costs apart from waiting for the broker.
 */
import net from 'node:net';
import { Producer as PlatformaticProducer, stringSerializers } from '@platformatic/kafka';
import { Kafka, logLevel } from 'kafkajs';
import { Producer } from '../src/client/producer/producer.js';
import { encodeRequestFrame, FrameSplitter } from '../src/protocol/frame.js';
import { Produce } from '../src/protocol/messages/00-produce.js';
import { encodeRecordBatch } from '../src/protocol/records/index.js';
import { cpuMsOf, startBenchBroker } from './emulator-process.js';
import { machineLine, type Result, renderTable, runScenario } from './harness.js';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
const VALUE = 'v'.repeat(100);
const TOPIC = 'bench';
const FLOOR = 'bare socket (round-trip floor)';

// The broker runs in its own process so that each client's rate reflects its own CPU cost.
// BENCH_BROKER=real: a real Kafka broker instead of the emulator.
const emulator = await startBenchBroker([{ name: TOPIC, partitions: 1 }]);

const ours = new Producer({ bootstrap: emulator.bootstrap, acks: 'all' });
await ours.connect();
const kafkajs = new Kafka({
  clientId: 'bench',
  brokers: [emulator.bootstrap],
  logLevel: logLevel.NOTHING,
}).producer({
  idempotent: true,
  maxInFlightRequests: 5,
});
await kafkajs.connect();
const plat = new PlatformaticProducer({
  clientId: 'bench',
  bootstrapBrokers: [emulator.bootstrap],
  serializers: stringSerializers,
  idempotent: true,
  acks: -1,
});

type Message = { key: string; value: string };
function batch(n: number): Message[] {
  return Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: VALUE }));
}
const one = batch(1);
const hundred = batch(100);

/**
 * The same Produce a client would send (v11, acks=all, one batch of the same records), encoded once
 * and written again and again on a bare socket. Not idempotent (producer id -1): resending the very
 * same bytes must not be taken for a duplicate.
 */
async function bareSocket(): Promise<{ send(m: Message[]): Promise<void>; close(): void }> {
  const [host, port] = emulator.bootstrap.split(':');
  const socket = net.connect({ host, port: Number(port), noDelay: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const splitter = new FrameSplitter();
  let answered: (() => void) | undefined;
  socket.on('data', (chunk) => {
    for (const _ of splitter.push(chunk)) answered?.();
  });
  const frames = new Map<Message[], Buffer>();
  for (const m of [one, hundred]) {
    const records = encodeRecordBatch({ records: m.map((x) => ({ key: x.key, value: x.value })) });
    const body = {
      transactionalId: null,
      acks: -1,
      timeoutMs: 30_000,
      topicData: [{ name: TOPIC, partitionData: [{ index: 0, records }] }],
    };
    frames.set(
      m,
      encodeRequestFrame({ api: Produce, version: 11, correlationId: 1, clientId: 'bench', body }),
    );
  }
  return {
    send: (m) =>
      new Promise<void>((resolve) => {
        answered = resolve;
        socket.write(frames.get(m)!);
      }),
    close: () => socket.destroy(),
  };
}
const bare = await bareSocket();

const clients = [
  { name: 'kafkalab', send: (m: Message[]) => ours.send({ topic: TOPIC, messages: m }) },
  { name: 'kafkajs', send: (m: Message[]) => kafkajs.send({ topic: TOPIC, acks: -1, messages: m }) },
  {
    name: '@platformatic/kafka',
    send: (m: Message[]) =>
      plat.send({ messages: m.map((x) => ({ topic: TOPIC, key: x.key, value: x.value })) }),
  },
  { name: FLOOR, send: (m: Message[]) => bare.send(m) },
];

const scenarios = [
  ['produce 1 × 100 B, awaited', one],
  ['produce 100 × 100 B per send, awaited', hundred],
] as const;

/**
 * A JVM broker runs interpreted code until its JIT has seen enough traffic: measured cold, whichever
 * client went first would pay for it. So every client sends for a while before anything is timed
 * (a few seconds for the real broker; the emulator needs no more than the harness's own warm-up).
 */
const BROKER_WARMUP_MS = process.env.BENCH_BROKER === 'real' ? 4000 : 0;
for (let round = 0; round < 2 && BROKER_WARMUP_MS > 0; round++) {
  for (const c of clients) {
    for (const [, messages] of scenarios) {
      const until = performance.now() + BROKER_WARMUP_MS / 2 / clients.length / scenarios.length;
      while (performance.now() < until) await c.send(messages as Message[]);
    }
  }
}

const results: Result[] = [];
for (const [name, messages] of scenarios) {
  results.push(
    ...(await runScenario(
      {
        name,
        unitsPerOp: messages.length,
        unit: ' rec',
        contenders: clients.map((c) => ({ name: c.name, run: () => c.send(messages as Message[]) })),
      },
      // Short rounds, many of them: the median then shrugs off a burst of load from other processes.
      { rounds: 9, ms: 150 },
    )),
  );
}

/**
 * CPU per record, one client at a time (nothing else runs in this process meanwhile): awaited sends
 * for CPU_MS of wall time (at most CPU_MAX_OPS), after CPU_WARMUP_OPS unmeasured ones; CPU_ROUNDS
 * such windows per client, taken in turn, and the median window reported. The emulator's share comes
 * from /proc in 10 ms ticks, hence windows of a few hundred ms.
 */
const CPU_MS = 300;
const CPU_ROUNDS = 3;
const CPU_MAX_OPS = 100_000;
const CPU_WARMUP_OPS = 100;
interface CpuRow {
  scenario: string;
  client: string;
  recPerSec: number;
  clientUs: number;
  userUs: number;
  systemUs: number;
  emulatorUs: number;
}
async function cpuWindow(
  scenario: string,
  c: (typeof clients)[number],
  messages: Message[],
): Promise<CpuRow> {
  for (let i = 0; i < CPU_WARMUP_OPS; i++) await c.send(messages);
  const emulatorBefore = cpuMsOf(emulator.pid);
  const before = process.cpuUsage();
  const start = performance.now();
  let ops = 0;
  while (ops < CPU_MAX_OPS && performance.now() - start < CPU_MS) {
    for (let i = 0; i < 8; i++) await c.send(messages);
    ops += 8;
  }
  const elapsedMs = performance.now() - start;
  const used = process.cpuUsage(before);
  const emulatorMs = cpuMsOf(emulator.pid) - emulatorBefore;
  const records = ops * messages.length;
  return {
    scenario,
    client: c.name,
    recPerSec: (records / elapsedMs) * 1000,
    clientUs: (used.user + used.system) / records,
    userUs: used.user / records,
    systemUs: used.system / records,
    emulatorUs: (emulatorMs * 1000) / records,
  };
}
const cpuRows: CpuRow[] = [];
for (const [scenario, messages] of scenarios) {
  const windows = new Map<string, CpuRow[]>(clients.map((c) => [c.name, []]));
  for (let round = 0; round < CPU_ROUNDS; round++) {
    for (const c of clients) windows.get(c.name)!.push(await cpuWindow(scenario, c, messages as Message[]));
  }
  for (const c of clients) {
    const sorted = windows.get(c.name)!.sort((a, b) => a.clientUs - b.clientUs);
    cpuRows.push(sorted[Math.floor(sorted.length / 2)]);
  }
}

/** Ack latency of single awaited sends: p50/p99 over SAMPLES sends per client, interleaved in rounds. */
const SAMPLES = 3000;
const LATENCY_ROUNDS = 10;
const latencies = new Map<string, number[]>(clients.map((c) => [c.name, []]));
for (let round = 0; round < LATENCY_ROUNDS; round++) {
  for (const c of clients) {
    const out = latencies.get(c.name)!;
    for (let i = 0; i < SAMPLES / LATENCY_ROUNDS; i++) {
      const t = performance.now();
      await c.send(one);
      out.push(performance.now() - t);
    }
  }
}
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

console.log(`# bench:client — broker: ${emulator.label}; ${machineLine()}\n`);
console.log(renderTable(results));
console.log(
  `\n| CPU per record, each client alone (median of ${CPU_ROUNDS} × ${CPU_MS} ms) | library | rate alone | client CPU | (user + sys) | broker CPU |`,
);
console.log('|---|---|---:|---:|---:|---:|');
for (const r of cpuRows) {
  console.log(
    `| ${r.scenario} | ${r.client} | ${(r.recPerSec / 1000).toFixed(1)} k rec/s | ${r.clientUs.toFixed(2)} µs | ${r.userUs.toFixed(2)} + ${r.systemUs.toFixed(2)} | ${r.emulatorUs.toFixed(2)} µs |`,
  );
}
console.log('\n| produce-ack latency (1 × 100 B, awaited) | p50 | p99 |\n|---|---:|---:|');
for (const c of clients) {
  const xs = latencies.get(c.name)!;
  console.log(`| ${c.name} | ${pct(xs, 0.5).toFixed(3)} ms | ${pct(xs, 0.99).toFixed(3)} ms |`);
}

await ours.close();
await kafkajs.disconnect();
await plat.close();
bare.close();
await emulator.stop();
