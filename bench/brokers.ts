/**
 * `npm run bench:brokers` — issue 5's "Emulator vs real broker" figures and issue 19's "vs kfake", in
 * one run: the same clients (kafkalab's and kafkajs 2.2) against the kafkalab emulator, a real Apache
 * Kafka 4.1.1 broker (conformance/real-kafka/kafka.sh, one KRaft node, 512 MB heap) and franz-go's
 * kfake (test/support/kfake, one broker — the strongest fake broker we know, in Go):
 *
 * - time to ready: emulator = spawn `node dist/cli/main.js emulator --port 0` until its ready line;
 *   real = `kafka.sh start` until the broker accepts connections (storage format included, jars cached);
 * - produce-ack latency: p50/p99 of single awaited 100-byte sends, acks=all;
 * - produce throughput: PRODUCE_MESSAGES 100-byte records, 1000 per send, 4 sends in flight, acks=all
 *   (median of 5 rounds after a warm-up round);
 * - consume throughput: the same records read back by a group consumer, from its first record to
 *   the last (the group join is not in the figure; median of 5 rounds after a warm-up, a new group each);
 * - the broker's CPU per record in those rounds (/proc/PID/stat of the emulator's node process or
 *   the broker's JVM): the throughput figures are mostly client-bound, this one is the broker's own;
 * - franz-go's own client (kgo, bench/kgo: KGO_MESSAGES × 100 B to one partition with acks=all and
 *   kgo's defaults — idempotent, snappy, 5 requests in flight — then read back from offset 0;
 *   median of KGO_ROUNDS), so that kfake is also measured with the client it was built beside;
 * - resident memory after 1 million 100-byte messages (kafkalab producer, into a fresh broker of each
 *   kind): VmRSS and VmHWM of the emulator's node process and of the broker's JVM (/proc/PID/status).
 *
 * Each broker kind runs in its own process, so the clients measured here pay only their own CPU.
 * Bounded: fixed counts, a bound on every wait, and a watchdog that ends the run; every child
 * (emulators, brokers) is stopped in `finally`, and the brokers also stop if this process dies
 * (kafka.sh's KAFKA_WATCH_PID).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { Kafka, logLevel } from 'kafkajs';
import { Admin } from '../src/client/admin.js';
import { Consumer } from '../src/client/consumer/index.js';
import { Producer } from '../src/client/producer/index.js';
import buildDist from '../test/cli/global-setup.js';
import { runProcess } from '../test/support/cli.js';
import { buildGoProgram, startKfake } from '../test/support/kfake.js';
import { type RealKafka, startRealKafka } from '../test/support/real-kafka.js';
import { CLI, cpuMsOf, READY, waitForLine } from './emulator-process.js';
import { machineLine } from './harness.js';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
const PRODUCE_MESSAGES = Number(process.env.BENCH_MESSAGES ?? 100_000);
const LATENCY_SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 2_000);
const RETAINED = Number(process.env.BENCH_RETAINED ?? 1_000_000);
const KGO_MESSAGES = Number(process.env.BENCH_KGO_MESSAGES ?? 1_000_000);
const KGO_ROUNDS = 3;
const EMULATOR_READY_RUNS = 5;
const ROUNDS = 5;
const PER_SEND = 1000;
const IN_FLIGHT = 4;
const WAIT_MS = 300_000;
/** The whole run ends here whatever happens (children stopped first). */
const WATCHDOG_MS = Number(process.env.BENCH_LIMIT_MS ?? 1_800_000);
const VALUE = Buffer.alloc(100, 0x61);

// ---- brokers ----

type Kind = 'emulator' | 'real' | 'kfake';
const ALL_KINDS: Kind[] = ['emulator', 'real', 'kfake'];
/**
 * BENCH_KINDS=emulator,kfake leaves a broker out (its column shows —): the emulator-vs-kfake ratios
 * without a JVM on a shared machine. BENCH_PARTS picks the measurements (default all of them).
 */
const KINDS = listFromEnv('BENCH_KINDS', ALL_KINDS);
const PARTS = listFromEnv('BENCH_PARTS', ['ready', 'kafkalab', 'kafkajs', 'franz-go', 'memory'] as const);

function listFromEnv<T extends string>(name: string, all: readonly T[]): T[] {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return [...all];
  const picked = raw.split(',').map((x) => x.trim());
  const unknown = picked.filter((x) => !all.includes(x as T));
  if (unknown.length > 0)
    throw new Error(`${name}: unknown ${unknown.join(', ')} (choose from ${all.join(', ')})`);
  return all.filter((x) => picked.includes(x));
}

interface Broker {
  kind: Kind;
  bootstrap: string;
  pid: number;
  readyMs: number;
  stop(): Promise<void>;
}

const running = new Set<Broker>();

async function startEmulatorChild(): Promise<Broker> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [CLI, 'emulator', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = () => stopChild(child);
  try {
    const port = Number((await waitForLine(child, READY, 30_000))[1]);
    const broker: Broker = {
      kind: 'emulator',
      bootstrap: `127.0.0.1:${port}`,
      pid: child.pid!,
      readyMs: performance.now() - t0,
      stop: async () => {
        running.delete(broker);
        await stop();
      },
    };
    running.add(broker);
    return broker;
  } catch (err) {
    await stop();
    throw err;
  }
}

/** SIGTERM, then SIGKILL if it is still there after 10 s. */
function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function startReal(): Promise<Broker> {
  const kafka: RealKafka = await startRealKafka({ timeoutMs: 300_000 });
  const broker: Broker = {
    kind: 'real',
    bootstrap: kafka.bootstrap,
    pid: kafka.pid,
    readyMs: kafka.startMs,
    stop: async () => {
      running.delete(broker);
      await kafka.stop();
    },
  };
  running.add(broker);
  const cmdline = await readFile(`/proc/${kafka.pid}/cmdline`, 'utf8').catch(() => '');
  if (!cmdline.includes('kafka.Kafka')) console.error(`warning: pid ${kafka.pid} is not the broker JVM`);
  return broker;
}

async function startKfakeBroker(): Promise<Broker> {
  const t0 = performance.now();
  const cluster = await startKfake({ brokers: 1 });
  const broker: Broker = {
    kind: 'kfake',
    bootstrap: cluster.bootstrap,
    pid: cluster.pid,
    readyMs: performance.now() - t0,
    stop: async () => {
      running.delete(broker);
      await cluster.stop();
    },
  };
  running.add(broker);
  return broker;
}

const STARTERS: Record<Kind, () => Promise<Broker>> = {
  emulator: startEmulatorChild,
  real: startReal,
  kfake: startKfakeBroker,
};

async function stopAll(): Promise<void> {
  await Promise.allSettled([...running].map((b) => b.stop()));
}

/** VmRSS and VmHWM (peak) of a process, in bytes. */
async function memoryOf(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') * 1024, peak: kb('VmHWM') * 1024 };
}

// ---- clients ----

interface BenchClient {
  name: string;
  sendOne(topic: string): Promise<unknown>;
  sendMany(topic: string, n: number): Promise<unknown>;
  /** Reads `count` records of `topic` in a new group; ms from the first record to the last. */
  consume(topic: string, group: string, count: number): Promise<number>;
  close(): Promise<void>;
}

function messages(n: number) {
  return Array.from({ length: n }, () => ({ value: VALUE }));
}

async function kafkalabClient(bootstrap: string): Promise<BenchClient> {
  const producer = new Producer({ bootstrap, clientId: 'bench-brokers', acks: 'all' });
  await producer.connect();
  const consumers: Consumer[] = [];
  return {
    name: 'kafkalab',
    sendOne: (topic) => producer.send({ topic, messages: messages(1) }),
    sendMany: (topic, n) => producer.send({ topic, messages: messages(n) }),
    async consume(topic, group, count) {
      const consumer = new Consumer({
        bootstrap,
        clientId: 'bench-brokers',
        groupId: group,
        autoOffsetReset: 'earliest',
      });
      consumers.push(consumer);
      consumer.subscribe(topic);
      try {
        return await readCount(count, (onRecords) =>
          consumer.run({ eachBatch: (b) => onRecords(b.records.length) }),
        );
      } finally {
        await consumer.close();
      }
    },
    async close() {
      await Promise.allSettled([producer.close(), ...consumers.map((c) => c.close())]);
    },
  };
}

async function kafkajsClient(bootstrap: string): Promise<BenchClient> {
  const kafka = new Kafka({ clientId: 'bench-brokers', brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  const consumers: ReturnType<typeof kafka.consumer>[] = [];
  return {
    name: 'kafkajs',
    sendOne: (topic) => producer.send({ topic, acks: -1, messages: messages(1) }),
    sendMany: (topic, n) => producer.send({ topic, acks: -1, messages: messages(n) }),
    async consume(topic, group, count) {
      const consumer = kafka.consumer({ groupId: group, maxWaitTimeInMs: 100 });
      consumers.push(consumer);
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      try {
        return await readCount(count, (onRecords) =>
          consumer.run({ eachBatch: async ({ batch }) => onRecords(batch.messages.length) }),
        );
      } finally {
        await consumer.disconnect();
      }
    },
    async close() {
      await Promise.allSettled([producer.disconnect(), ...consumers.map((c) => c.disconnect())]);
    },
  };
}

/** Runs a consumer until `count` records arrived (bounded); ms from the first record to the last. */
function readCount(count: number, start: (onRecords: (n: number) => void) => Promise<void>): Promise<number> {
  return new Promise((resolve, reject) => {
    let seen = 0;
    let first = 0;
    const timer = setTimeout(
      () => reject(new Error(`consumed ${seen} of ${count} in ${WAIT_MS} ms`)),
      WAIT_MS,
    );
    start((n) => {
      if (seen === 0) first = performance.now();
      seen += n;
      if (seen >= count) {
        clearTimeout(timer);
        resolve(performance.now() - first);
      }
    }).catch((err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** `total` records in sends of PER_SEND, at most `inFlight` sends awaiting their ack. */
async function produceMany(
  client: BenchClient,
  topic: string,
  total: number,
  inFlight: number,
): Promise<void> {
  const pending = new Set<Promise<unknown>>();
  for (let sent = 0; sent < total; sent += PER_SEND) {
    const p = client.sendMany(topic, Math.min(PER_SEND, total - sent)).finally(() => pending.delete(p));
    pending.add(p);
    if (pending.size >= inFlight) await Promise.race(pending);
  }
  await Promise.all(pending);
}

async function createTopic(bootstrap: string, topic: string): Promise<void> {
  const admin = new Admin({ bootstrap, clientId: 'bench-brokers' });
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }] });
  } finally {
    await admin.close();
  }
}

// ---- measurements ----

interface ClientFigures {
  p50: number;
  p99: number;
  producePerSec: number;
  consumePerSec: number;
  /** The broker process's CPU (user + system) per record over the timed rounds, in µs. */
  produceBrokerUs: number;
  consumeBrokerUs: number;
}

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

async function measureClient(client: BenchClient, broker: Broker): Promise<ClientFigures> {
  const { bootstrap } = broker;
  const latencyTopic = `latency-${client.name}`;
  const throughputTopic = `throughput-${client.name}`;
  await createTopic(bootstrap, latencyTopic);
  await createTopic(bootstrap, throughputTopic);
  // Warm-up (JIT on both sides, connections, metadata), then the samples.
  for (let i = 0; i < Math.min(500, LATENCY_SAMPLES); i++) await client.sendOne(latencyTopic);
  const samples: number[] = [];
  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    const t = performance.now();
    await client.sendOne(latencyTopic);
    samples.push(performance.now() - t);
  }
  // A warm-up round of each (so the client's JIT does not favour whichever broker goes second, this
  // process measures both), then ROUNDS timed rounds, median: one round on a shared 2-core machine
  // is too noisy to stand alone.
  const produceRates: number[] = [];
  let produceCpu = 0;
  for (let round = 0; round <= ROUNDS; round++) {
    const cpu0 = cpuMsOf(broker.pid);
    const t0 = performance.now();
    await produceMany(client, throughputTopic, PRODUCE_MESSAGES, IN_FLIGHT);
    if (round === 0) continue;
    produceRates.push((PRODUCE_MESSAGES * 1000) / (performance.now() - t0));
    produceCpu += cpuMsOf(broker.pid) - cpu0;
  }
  const consumeRates: number[] = [];
  let consumeCpu = 0;
  for (let round = 0; round <= ROUNDS; round++) {
    const cpu0 = cpuMsOf(broker.pid);
    // A new group each round, reading from the start; the rate counts from its first record to the
    // last (PRODUCE_MESSAGES − 1 records' worth of time), so the group join is not in it.
    const elapsed = await client.consume(
      throughputTopic,
      `${throughputTopic}-reader-${round}`,
      PRODUCE_MESSAGES,
    );
    if (round === 0) continue;
    consumeRates.push(((PRODUCE_MESSAGES - 1) * 1000) / elapsed);
    // Includes the group join and leave of each round: a few ms against 100k records.
    consumeCpu += cpuMsOf(broker.pid) - cpu0;
  }
  const usPerRecord = (cpuMs: number) => (cpuMs * 1000) / (ROUNDS * PRODUCE_MESSAGES);
  return {
    p50: pct(samples, 0.5),
    p99: pct(samples, 0.99),
    producePerSec: median(produceRates),
    consumePerSec: median(consumeRates),
    produceBrokerUs: usPerRecord(produceCpu),
    consumeBrokerUs: usPerRecord(consumeCpu),
  };
}

async function measureBroker(broker: Broker): Promise<Map<string, ClientFigures>> {
  const out = new Map<string, ClientFigures>();
  const clients = [
    ...(PARTS.includes('kafkalab') ? [kafkalabClient] : []),
    ...(PARTS.includes('kafkajs') ? [kafkajsClient] : []),
  ];
  for (const make of clients) {
    const client = await make(broker.bootstrap);
    try {
      out.set(client.name, await measureClient(client, broker));
    } finally {
      await client.close();
    }
  }
  return out;
}

interface KgoFigures {
  producePerSec: number;
  consumePerSec: number;
  /** The broker process's CPU per record over the rounds (produce and consume together), in µs. */
  brokerUs: number;
}

/** franz-go's client against one broker: KGO_ROUNDS runs of bench/kgo, each into a new topic. */
async function measureKgo(program: string, broker: Broker): Promise<KgoFigures> {
  const produce: number[] = [];
  const consume: number[] = [];
  const cpu0 = cpuMsOf(broker.pid);
  for (let round = 0; round < KGO_ROUNDS; round++) {
    const r = await runProcess(
      program,
      ['-brokers', broker.bootstrap, '-topic', `kgo-${round}`, '-n', String(KGO_MESSAGES)],
      { timeoutMs: WAIT_MS },
    );
    if (r.exitCode !== 0)
      throw new Error(`bench/kgo against ${broker.kind}: ${r.stderr.trim() || `exit ${r.exitCode}`}`);
    const out = JSON.parse(r.stdout) as { produceMs: number; consumeMs: number };
    produce.push((KGO_MESSAGES * 1000) / out.produceMs);
    consume.push((KGO_MESSAGES * 1000) / out.consumeMs);
  }
  const brokerUs = ((cpuMsOf(broker.pid) - cpu0) * 1000) / (KGO_ROUNDS * KGO_MESSAGES);
  return { producePerSec: median(produce), consumePerSec: median(consume), brokerUs };
}

interface MemoryFigures {
  atReady: { rss: number; peak: number };
  after: { rss: number; peak: number };
  loadMs: number;
}

/** A fresh broker of each kind takes RETAINED 100-byte records from kafkalab's producer. */
async function measureMemory(broker: Broker): Promise<MemoryFigures> {
  const atReady = await memoryOf(broker.pid);
  await createTopic(broker.bootstrap, 'retained');
  const client = await kafkalabClient(broker.bootstrap);
  try {
    const t0 = performance.now();
    await produceMany(client, 'retained', RETAINED, 8);
    const loadMs = performance.now() - t0;
    return { atReady, after: await memoryOf(broker.pid), loadMs };
  } finally {
    await client.close();
  }
}

// ---- report ----

const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
const rate = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} M/s` : `${(n / 1e3).toFixed(1)} k/s`);
const ms = (n: number) => (n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${n.toFixed(n < 10 ? 3 : 0)} ms`);
/** > 1 means the emulator is better: faster, quicker, or smaller. */
const advantage = (x: number) => (Number.isNaN(x) ? '—' : `${x >= 10 ? x.toFixed(0) : x.toFixed(2)}×`);

/** One line of the table: the three brokers' values, then the emulator's advantage over the other two. */
function row(
  figure: string,
  client: string,
  v: Record<Kind, string>,
  vsReal: number,
  vsKfake: number,
): string {
  return `| ${figure} | ${client} | ${v.emulator} | ${v.real} | ${v.kfake} | ${advantage(vsReal)} | ${advantage(vsKfake)} |`;
}

/** A row where more is better (rates): the advantage is emulator / other. */
function higher(
  figure: string,
  client: string,
  x: Record<Kind, number>,
  show: (n: number) => string,
): string {
  return row(figure, client, showKinds(x, show), x.emulator / x.real, x.emulator / x.kfake);
}

/** A row where less is better (times, CPU, memory): the advantage is other / emulator. */
function lower(figure: string, client: string, x: Record<Kind, number>, show: (n: number) => string): string {
  return row(figure, client, showKinds(x, show), x.real / x.emulator, x.kfake / x.emulator);
}

/** A broker left out of the run (BENCH_KINDS) has no figures: NaN here, — in the table. */
function mapKinds<T>(x: Record<Kind, T | undefined>, f: (v: T) => number): Record<Kind, number> {
  const one = (v: T | undefined) => (v === undefined ? Number.NaN : f(v));
  return { emulator: one(x.emulator), real: one(x.real), kfake: one(x.kfake) };
}

function showKinds(x: Record<Kind, number>, show: (n: number) => string): Record<Kind, string> {
  const one = (v: number) => (Number.isNaN(v) ? '—' : show(v));
  return { emulator: one(x.emulator), real: one(x.real), kfake: one(x.kfake) };
}

function byKind<T>(f: (k: Kind) => T): Record<Kind, T> {
  return { emulator: f('emulator'), real: f('real'), kfake: f('kfake') };
}

async function main(): Promise<void> {
  await buildDist();
  const kgo = await buildGoProgram(new URL('./kgo', import.meta.url).pathname, 'kgo-bench');
  console.log(`# bench:brokers — ${machineLine()}\n`);
  console.log(
    `${PRODUCE_MESSAGES} × 100 B records per throughput figure (${PER_SEND} per send, ${IN_FLIGHT} sends in ` +
      `flight, acks=all), ${LATENCY_SAMPLES} latency samples, ${RETAINED} records for memory; franz-go: ` +
      `${KGO_MESSAGES} × 100 B, median of ${KGO_ROUNDS}.\n`,
  );

  // Time to ready: the emulator and kfake are cheap to start, so take a median of several spawns;
  // the real broker's two starts below (throughput run, memory run) are its two samples.
  const ready: Record<Kind, number[]> = { emulator: [], real: [], kfake: [] };
  for (const kind of (['emulator', 'kfake'] as const).filter((k) => KINDS.includes(k))) {
    if (!PARTS.includes('ready')) break;
    for (let i = 0; i < EMULATOR_READY_RUNS; i++) {
      const b = await STARTERS[kind]();
      ready[kind].push(b.readyMs);
      await b.stop();
    }
  }

  const figures = new Map<Kind, Map<string, ClientFigures>>();
  const kgoFigures = new Map<Kind, KgoFigures>();
  const memory = new Map<Kind, MemoryFigures>();
  for (const kind of KINDS) {
    const broker = await STARTERS[kind]();
    if (kind === 'real') ready.real.push(broker.readyMs);
    try {
      console.error(`bench:brokers: ${kind} ready in ${ms(broker.readyMs)}; measuring clients`);
      figures.set(kind, await measureBroker(broker));
      if (PARTS.includes('franz-go')) {
        console.error(`bench:brokers: ${kind}: franz-go's client`);
        kgoFigures.set(kind, await measureKgo(kgo, broker));
      }
    } finally {
      await broker.stop();
    }
  }
  for (const kind of KINDS) {
    if (!PARTS.includes('memory')) break;
    const broker = await STARTERS[kind]();
    if (kind === 'real') ready.real.push(broker.readyMs);
    try {
      console.error(`bench:brokers: ${kind} ready; loading ${RETAINED} records`);
      memory.set(kind, await measureMemory(broker));
    } finally {
      await broker.stop();
    }
  }

  const lines = [
    '| figure | client | emulator | real Kafka 4.1.1 | kfake | emulator vs real | emulator vs kfake |',
    '|---|---|---:|---:|---:|---:|---:|',
  ];
  if (PARTS.includes('ready')) {
    lines.push(
      lower(
        'time to ready',
        '—',
        byKind((k) => (ready[k].length > 0 ? median(ready[k]) : Number.NaN)),
        ms,
      ),
    );
  }
  const us = (x: number) => `${x.toFixed(2)} µs`;
  for (const client of (['kafkalab', 'kafkajs'] as const).filter((c) => PARTS.includes(c))) {
    const f = byKind((k) => figures.get(k)?.get(client));
    lines.push(
      higher(
        'produce throughput',
        client,
        mapKinds(f, (x) => x.producePerSec),
        rate,
      ),
    );
    lines.push(
      higher(
        'consume throughput',
        client,
        mapKinds(f, (x) => x.consumePerSec),
        rate,
      ),
    );
    lines.push(
      lower(
        'broker CPU per record produced',
        client,
        mapKinds(f, (x) => x.produceBrokerUs),
        us,
      ),
    );
    lines.push(
      lower(
        'broker CPU per record consumed',
        client,
        mapKinds(f, (x) => x.consumeBrokerUs),
        us,
      ),
    );
    lines.push(
      lower(
        'produce-ack p50',
        client,
        mapKinds(f, (x) => x.p50),
        ms,
      ),
    );
    lines.push(
      lower(
        'produce-ack p99',
        client,
        mapKinds(f, (x) => x.p99),
        ms,
      ),
    );
  }
  if (PARTS.includes('franz-go')) {
    const g = byKind((k) => kgoFigures.get(k));
    lines.push(
      higher(
        'produce throughput',
        'franz-go',
        mapKinds(g, (x) => x.producePerSec),
        rate,
      ),
    );
    lines.push(
      higher(
        'consume throughput',
        'franz-go',
        mapKinds(g, (x) => x.consumePerSec),
        rate,
      ),
    );
    lines.push(
      lower(
        'broker CPU per record (both)',
        'franz-go',
        mapKinds(g, (x) => x.brokerUs),
        us,
      ),
    );
  }
  if (PARTS.includes('memory')) {
    const m = byKind((k) => memory.get(k));
    lines.push(
      lower(
        'RSS at ready',
        '—',
        mapKinds(m, (x) => x.atReady.rss),
        mib,
      ),
    );
    lines.push(
      lower(
        `RSS after ${RETAINED / 1e6}M × 100 B`,
        'kafkalab',
        mapKinds(m, (x) => x.after.rss),
        mib,
      ),
    );
    lines.push(
      lower(
        'peak RSS (VmHWM), same load',
        'kafkalab',
        mapKinds(m, (x) => x.after.peak),
        mib,
      ),
    );
    lines.push(
      higher(
        `load ${RETAINED / 1e6}M × 100 B (8 sends in flight)`,
        'kafkalab',
        mapKinds(m, (x) => (RETAINED * 1000) / x.loadMs),
        rate,
      ),
    );
  }
  console.log(lines.join('\n'));
  const list = (xs: number[]) => xs.map((x) => ms(x)).join(', ');
  console.log(
    `\nTime to ready: emulator and kfake medians of ${EMULATOR_READY_RUNS} spawns (${list(ready.emulator)}; ` +
      `${list(ready.kfake)}); real Kafka median of ${ready.real.length} \`kafka.sh start\` runs ` +
      `(${list(ready.real)}), storage format included. The emulator and kfake keep records in their ` +
      'heap; Kafka keeps them in segment files (page cache, not its RSS) with a heap capped at 512 MB.',
  );
}

const watchdog = setTimeout(() => {
  console.error(`bench:brokers: still running after ${WATCHDOG_MS} ms; stopping`);
  void stopAll().finally(() => process.exit(2));
}, WATCHDOG_MS);
try {
  await main();
} catch (err) {
  console.error(err);
  process.exitCode = 1;
} finally {
  clearTimeout(watchdog);
  await stopAll();
}
