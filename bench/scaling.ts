/**
 * `npm run bench:scaling` — issue 19, "how cost grows": the broker's memory (VmRSS of its own
 * process) and the latency of produce and fetch (p50 / p99) against
 *
 * - partitions: one topic of N partitions; single awaited acks=all sends spread over them
 *   (kafkalab's Producer, one record of 100 B each, partition i mod N), and raw Fetch requests for
 *   partition 0 (v12, maxWaitMs 0, partitionMaxBytes 1: the first batch only, the same bytes at
 *   every N);
 * - connections: N idle client connections (each did ApiVersions + Metadata, then stays open)
 *   while another connection measures the same latencies on a topic of 1 partition;
 * - consumer groups: N classic groups of one member each, joined with raw JoinGroup / SyncGroup
 *   (src/client's Connection) and left open — session timeout 1,800,000 ms (Kafka's
 *   group.max.session.timeout.ms default, the emulator's too) so no member expires mid-run without
 *   heartbeats; the run of a dimension is bounded well below that by the watchdog.
 *
 * One broker per dimension and broker kind, sizes in ascending order on it: a size adds to what the
 * smaller ones left (topics, connections, groups), which at most adds ~11% to the largest size.
 * Brokers: the emulator in a child process (bench/emulator-process.ts) and real Kafka 4.1.1
 * (test/support/real-kafka.ts; run the whole command under `flock -o /tmp/jvm.lock`). A size a
 * broker cannot set up within BENCH_SIZE_LIMIT_MS (default 180 s) is skipped with the reason printed,
 * and so are the larger ones of that dimension.
 *
 * BENCH_BROKERS=emulator,real (default both), BENCH_QUICK=1 (small sizes: a smoke run),
 * BENCH_SAMPLES (default 500), BENCH_LIMIT_MS (watchdog, default 40 min). Charts: docs/scaling-*.svg.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Admin } from '../src/client/admin.js';
import { Connection } from '../src/client/connection.js';
import { Producer } from '../src/client/producer/index.js';
import { Fetch, JoinGroup, Metadata, SyncGroup } from '../src/protocol/messages/index.js';
import { residentMemoryBytes, startRealKafka } from '../test/support/real-kafka.js';
import { startEmulatorProcess } from './emulator-process.js';
import { machineLine } from './harness.js';
import { renderLineChart } from './line-chart.js';

const QUICK = process.env.BENCH_QUICK === '1';
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? (QUICK ? 200 : 500));
const WARMUP = Math.max(50, Math.round(SAMPLES / 5));
const SIZE_LIMIT_MS = Number(process.env.BENCH_SIZE_LIMIT_MS ?? 180_000);
const WATCHDOG_MS = Number(process.env.BENCH_LIMIT_MS ?? 2_400_000);
const SESSION_TIMEOUT_MS = 1_800_000;
const KINDS = (process.env.BENCH_BROKERS ?? 'emulator,real').split(',').map((k) => k.trim()) as Kind[];
const DIMENSIONS: Record<Dimension, number[]> = QUICK
  ? { partitions: [1, 10, 100], connections: [1, 10], groups: [1, 10] }
  : {
      partitions: [1, 10, 100, 1_000, 10_000],
      connections: [1, 10, 100, 1_000],
      groups: [1, 10, 100, 1_000],
    };
const VALUE = Buffer.alloc(100, 0x61);
const DOCS = join(import.meta.dirname, '..', 'docs');

type Kind = 'emulator' | 'real';
type Dimension = 'partitions' | 'connections' | 'groups';
const LABEL: Record<Kind, string> = { emulator: 'emulator', real: 'Kafka 4.1.1' };

interface Broker {
  kind: Kind;
  host: string;
  port: number;
  bootstrap: string;
  pid: number;
  stop(): Promise<void>;
}

interface Row {
  dimension: Dimension;
  kind: Kind;
  size: number;
  rssMb: number;
  produceP50: number;
  produceP99: number;
  fetchP50: number;
  fetchP99: number;
  setupMs: number;
}

const running = new Set<Broker>();

async function startBroker(kind: Kind): Promise<Broker> {
  const b =
    kind === 'emulator'
      ? await startEmulatorProcess()
      : await startRealKafka({ timeoutMs: 300_000 }).then((k) => ({
          bootstrap: k.bootstrap,
          pid: k.pid,
          stop: () => k.stop(),
        }));
  const [host, port] = b.bootstrap.split(':');
  const broker: Broker = {
    kind,
    host,
    port: Number(port),
    bootstrap: b.bootstrap,
    pid: b.pid,
    stop: async () => {
      running.delete(broker);
      await b.stop();
    },
  };
  running.add(broker);
  return broker;
}

async function createTopic(broker: Broker, topic: string, partitions: number): Promise<void> {
  const admin = new Admin({ bootstrap: broker.bootstrap, clientId: 'bench-scaling' });
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }] });
  } finally {
    await admin.close();
  }
}

function open(broker: Broker, clientId: string): Connection {
  return new Connection({ host: broker.host, port: broker.port, clientId, requestTimeoutMs: 60_000 });
}

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

/** Produce and fetch latencies on `topic` (N partitions), after a warm-up of each. */
async function latencies(
  broker: Broker,
  topic: string,
  partitions: number,
): Promise<Pick<Row, 'produceP50' | 'produceP99' | 'fetchP50' | 'fetchP99'>> {
  const producer = new Producer({ bootstrap: broker.bootstrap, clientId: 'bench-scaling', acks: 'all' });
  const conn = open(broker, 'bench-scaling-fetch');
  try {
    await producer.connect();
    let i = 0;
    const send = () => producer.send({ topic, messages: [{ value: VALUE, partition: i++ % partitions }] });
    for (let k = 0; k < WARMUP; k++) await send();
    const produce: number[] = [];
    for (let k = 0; k < SAMPLES; k++) {
      const t = performance.now();
      await send();
      produce.push(performance.now() - t);
    }
    const fetchOnce = async () => {
      const r = await conn.request(
        Fetch,
        {
          replicaId: -1,
          maxWaitMs: 0,
          minBytes: 1,
          maxBytes: 1_048_576,
          isolationLevel: 0,
          sessionId: 0,
          sessionEpoch: -1,
          topics: [
            {
              topic,
              topicId: 'AAAAAAAAAAAAAAAAAAAAAA',
              partitions: [
                {
                  partition: 0,
                  currentLeaderEpoch: -1,
                  fetchOffset: 0n,
                  lastFetchedEpoch: -1,
                  logStartOffset: -1n,
                  // KIP-74: the first batch comes whatever the limit — one record, the same at every N.
                  partitionMaxBytes: 1,
                },
              ],
            },
          ],
          forgottenTopicsData: [],
          rackId: '',
        },
        { minVersion: 4, maxVersion: 12 },
      );
      const p = r.responses[0]?.partitions[0];
      if (r.errorCode !== 0 || !p || p.errorCode !== 0 || !p.records || p.records.length === 0)
        throw new Error(
          `Fetch of ${topic}-0 on ${broker.kind}: ${JSON.stringify({ e: r.errorCode, p: p?.errorCode })}`,
        );
    };
    for (let k = 0; k < WARMUP; k++) await fetchOnce();
    const fetch: number[] = [];
    for (let k = 0; k < SAMPLES; k++) {
      const t = performance.now();
      await fetchOnce();
      fetch.push(performance.now() - t);
    }
    return {
      produceP50: pct(produce, 0.5),
      produceP99: pct(produce, 0.99),
      fetchP50: pct(fetch, 0.5),
      fetchP99: pct(fetch, 0.99),
    };
  } finally {
    await Promise.allSettled([producer.close(), conn.close()]);
  }
}

/** Runs `fn` with a bound; the error names the size. */
async function bounded<T>(what: string, fn: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      fn(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${what}: not done within ${SIZE_LIMIT_MS} ms`)),
          SIZE_LIMIT_MS,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Joins a new classic group as its only member: JoinGroup (twice: KIP-394's member id), SyncGroup. */
async function joinGroup(conn: Connection, groupId: string): Promise<void> {
  let memberId = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const join = await conn.request(
      JoinGroup,
      {
        groupId,
        sessionTimeoutMs: SESSION_TIMEOUT_MS,
        rebalanceTimeoutMs: 60_000,
        memberId,
        groupInstanceId: null,
        protocolType: 'consumer',
        protocols: [{ name: 'range', metadata: new Uint8Array([0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]) }],
        reason: null,
      },
      { timeoutMs: 65_000 },
    );
    if (join.errorCode === 79) {
      memberId = join.memberId; // MEMBER_ID_REQUIRED
      continue;
    }
    if (join.errorCode !== 0) throw new Error(`JoinGroup ${groupId}: error ${join.errorCode}`);
    const sync = await conn.request(
      SyncGroup,
      {
        groupId,
        generationId: join.generationId,
        memberId: join.memberId,
        groupInstanceId: null,
        protocolType: 'consumer',
        protocolName: join.protocolName ?? 'range',
        assignments: [{ memberId: join.memberId, assignment: new Uint8Array(0) }],
      },
      { timeoutMs: 65_000 },
    );
    if (sync.errorCode !== 0) throw new Error(`SyncGroup ${groupId}: error ${sync.errorCode}`);
    return;
  }
  throw new Error(`JoinGroup ${groupId}: no member id after 3 tries`);
}

/** In batches of `width` at a time: keeps the number of requests in flight bounded. */
async function inBatches(n: number, width: number, fn: (i: number) => Promise<void>): Promise<void> {
  for (let i = 0; i < n; i += width)
    await Promise.all(Array.from({ length: Math.min(width, n - i) }, (_, k) => fn(i + k)));
}

async function runDimension(kind: Kind, dimension: Dimension, rows: Row[], notes: string[]): Promise<void> {
  const broker = await startBroker(kind);
  const idle: Connection[] = [];
  const groupConns: Connection[] = [];
  let groups = 0;
  try {
    if (dimension !== 'partitions') await createTopic(broker, 'lat', 1);
    for (const size of DIMENSIONS[dimension]) {
      const t0 = performance.now();
      try {
        await bounded(`${LABEL[kind]}, ${size} ${dimension}`, async () => {
          if (dimension === 'partitions') await createTopic(broker, `p${size}`, size);
          if (dimension === 'connections') {
            await inBatches(size - idle.length, 50, async () => {
              const c = open(broker, 'bench-scaling-idle');
              idle.push(c);
              await c.connect(); // ApiVersions
              await c.request(Metadata, { topics: null, allowAutoTopicCreation: false }, { minVersion: 4 });
            });
          }
          if (dimension === 'groups') {
            // One connection per 100 groups: Kafka answers one request of a connection at a time.
            while (groupConns.length < Math.ceil(size / 100))
              groupConns.push(open(broker, 'bench-scaling-groups'));
            const start = groups;
            await inBatches(size - start, 20, (i) =>
              joinGroup(groupConns[Math.floor((start + i) / 100)], `g${start + i}`),
            );
            groups = size;
          }
        });
      } catch (err) {
        const why = `${LABEL[kind]}: ${dimension} ${size.toLocaleString('en')} and larger skipped — ${(err as Error).message}`;
        console.error(why);
        notes.push(why);
        return;
      }
      const setupMs = performance.now() - t0;
      const topic = dimension === 'partitions' ? `p${size}` : 'lat';
      const lat = await latencies(broker, topic, dimension === 'partitions' ? size : 1);
      const rssMb = ((await residentMemoryBytes(broker.pid)) ?? Number.NaN) / 2 ** 20;
      const row: Row = { dimension, kind, size, rssMb, setupMs, ...lat };
      rows.push(row);
      console.error(
        `${LABEL[kind]} ${dimension}=${size}: RSS ${rssMb.toFixed(0)} MB, produce p50 ${lat.produceP50.toFixed(2)} ` +
          `p99 ${lat.produceP99.toFixed(2)} ms, fetch p50 ${lat.fetchP50.toFixed(2)} p99 ${lat.fetchP99.toFixed(2)} ms (setup ${(setupMs / 1000).toFixed(1)} s)`,
      );
    }
  } finally {
    await Promise.allSettled([...idle, ...groupConns].map((c) => c.close()));
    await broker.stop();
  }
}

const WHAT: Record<Dimension, string> = {
  partitions: 'partitions (one topic)',
  connections: 'idle connections',
  groups: 'consumer groups (one member each)',
};

function table(rows: Row[], dimension: Dimension): string {
  const lines = [
    `| ${WHAT[dimension]} | broker | RSS | produce p50 | produce p99 | fetch p50 | fetch p99 | setup |`,
    '|---:|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows.filter((x) => x.dimension === dimension))
    lines.push(
      `| ${r.size.toLocaleString('en')} | ${LABEL[r.kind]} | ${r.rssMb.toFixed(0)} MB | ${r.produceP50.toFixed(2)} ms | ` +
        `${r.produceP99.toFixed(2)} ms | ${r.fetchP50.toFixed(2)} ms | ${r.fetchP99.toFixed(2)} ms | ${(r.setupMs / 1000).toFixed(1)} s |`,
    );
  return lines.join('\n');
}

function charts(rows: Row[]): void {
  for (const dimension of Object.keys(DIMENSIONS) as Dimension[]) {
    const of = (kind: Kind) => rows.filter((r) => r.dimension === dimension && r.kind === kind);
    const figure = (name: string, yLabel: string, pick: (r: Row) => number, p99?: (r: Row) => number) =>
      writeFileSync(
        join(DOCS, `scaling-${dimension}-${name}.svg`),
        renderLineChart({
          title: `${yLabel} against ${WHAT[dimension]}`,
          subtitle: p99 ? 'solid: p50, dashed: p99; x log scale' : 'VmRSS of the broker process; x log scale',
          xLabel: WHAT[dimension],
          yLabel,
          series: KINDS.flatMap((kind) => [
            {
              name: `${LABEL[kind]}${p99 ? ' p50' : ''}`,
              points: of(kind).map((r) => ({ x: r.size, y: pick(r) })),
            },
            ...(p99
              ? [
                  {
                    name: `${LABEL[kind]} p99`,
                    dashed: true,
                    points: of(kind).map((r) => ({ x: r.size, y: p99(r) })),
                  },
                ]
              : []),
          ]),
        }),
      );
    figure('memory', 'broker RSS (MB)', (r) => r.rssMb);
    figure(
      'produce',
      'produce latency (ms)',
      (r) => r.produceP50,
      (r) => r.produceP99,
    );
    figure(
      'fetch',
      'fetch latency (ms)',
      (r) => r.fetchP50,
      (r) => r.fetchP99,
    );
  }
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const notes: string[] = [];
  for (const dimension of Object.keys(DIMENSIONS) as Dimension[])
    for (const kind of KINDS) await runDimension(kind, dimension, rows, notes);
  console.log(`\n${machineLine()}\n`);
  for (const dimension of Object.keys(DIMENSIONS) as Dimension[]) console.log(`${table(rows, dimension)}\n`);
  for (const n of notes) console.log(`- ${n}`);
  if (!QUICK) charts(rows);
}

const watchdog = setTimeout(() => {
  console.error(`bench:scaling: still running after ${WATCHDOG_MS} ms; stopping`);
  void Promise.allSettled([...running].map((b) => b.stop())).finally(() => process.exit(2));
}, WATCHDOG_MS);
try {
  await main();
} catch (err) {
  console.error(err);
  process.exitCode = 1;
} finally {
  clearTimeout(watchdog);
  await Promise.allSettled([...running].map((b) => b.stop()));
}
