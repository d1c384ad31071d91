/**
 * npm run bench:client — produce throughput and produce-ack latency of kafkalab's producer side by
 * side with kafkajs 2.2 and @platformatic/kafka, against one emulator in a child process (the same
 * broker for all three). 100-byte values, acks=all,
 * idempotence on for every client. Consume throughput belongs to the consumer side.
 */
import { Producer as PlatformaticProducer, stringSerializers } from '@platformatic/kafka';
import { Kafka, logLevel } from 'kafkajs';
import { Producer } from '../src/client/producer/producer.js';
import { startEmulatorProcess } from './emulator-process.js';
import { machineLine, type Result, renderTable, runScenario } from './harness.js';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
const VALUE = 'v'.repeat(100);
const TOPIC = 'bench';

// The emulator runs in its own process so that each client's rate reflects its own CPU cost.
const emulator = await startEmulatorProcess(['--topic', `${TOPIC}:1`]);

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

function batch(n: number) {
  return Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: VALUE }));
}
const one = batch(1);
const hundred = batch(100);

const clients = [
  { name: 'kafkalab', send: (m: typeof one) => ours.send({ topic: TOPIC, messages: m }) },
  { name: 'kafkajs', send: (m: typeof one) => kafkajs.send({ topic: TOPIC, acks: -1, messages: m }) },
  {
    name: '@platformatic/kafka',
    send: (m: typeof one) =>
      plat.send({ messages: m.map((x) => ({ topic: TOPIC, key: x.key, value: x.value })) }),
  },
];

const results: Result[] = [];
for (const [name, messages] of [
  ['produce 1 × 100 B, awaited', one],
  ['produce 100 × 100 B per send, awaited', hundred],
] as const) {
  results.push(
    ...(await runScenario(
      {
        name,
        unitsPerOp: messages.length,
        unit: ' rec',
        contenders: clients.map((c) => ({ name: c.name, run: () => c.send(messages as typeof one) })),
      },
      { rounds: 3, ms: 400 },
    )),
  );
}

/** Ack latency of single awaited sends: p50/p99 over SAMPLES sends per client, interleaved in rounds. */
const SAMPLES = 3000;
const latencies = new Map<string, number[]>(clients.map((c) => [c.name, []]));
for (let round = 0; round < 3; round++) {
  for (const c of clients) {
    const out = latencies.get(c.name)!;
    for (let i = 0; i < SAMPLES / 3; i++) {
      const t = performance.now();
      await c.send(one);
      out.push(performance.now() - t);
    }
  }
}
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

console.log(`# bench:client — ${machineLine()}\n`);
console.log(renderTable(results));
console.log('\n| produce-ack latency (1 × 100 B, awaited) | p50 | p99 |\n|---|---:|---:|');
for (const c of clients) {
  const xs = latencies.get(c.name)!;
  console.log(`| ${c.name} | ${pct(xs, 0.5).toFixed(3)} ms | ${pct(xs, 0.99).toFixed(3)} ms |`);
}

await ours.close();
await kafkajs.disconnect();
await plat.close();
await emulator.stop();
