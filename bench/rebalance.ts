/**
 * npm run bench:rebalance — how long a consumer group stops when a member joins (issue 14): classic
 * eager (range), classic cooperative-sticky and KIP-848's consumer protocol (server-side `uniform`),
 * with kafkalab's Consumer, against the emulator (child process) and a real Apache Kafka 4.1.1
 * broker (one KRaft node) in the same run.
 *
 * One round: member A owns all 6 partitions of a topic a producer writes one record per partition
 * every 10 ms; once A is reading every partition, member B joins. Measured from B's subscribe():
 *  - "all consuming": until every partition has delivered a record to the member that owns it once
 *    the group has settled, after it got the partition — a partition its owner never gave up counts
 *    from the start; under eager, A gives up all of them;
 *  - "longest pause": the longest gap between two deliveries of one partition, over all partitions,
 *    from B's subscribe() to the end — the stop-the-world part of a rebalance.
 * Each round has its own group, and B joins at another point of A's heartbeat cycle (round i waits
 * i/BENCH_ROUNDS of an interval); the median and the range of BENCH_ROUNDS rounds (default 6) are
 * reported. Both protocols have the same heartbeat interval (500 ms: the classic consumer's heartbeatIntervalMs,
 * the brokers' group.consumer.heartbeat.interval.ms) and group.initial.rebalance.delay.ms 0, so the
 * figures compare the protocols and not their defaults (3 s and 5 s).
 *
 * Bounded: every wait has a deadline, a watchdog ends the run, the brokers are stopped in `finally`.
 * BENCH_KINDS=emulator leaves the real broker out (no JVM). Starts a JVM otherwise: on a shared
 * machine run it under `flock /tmp/kafkalab-jvm.lock npm run bench:rebalance`.
 */
import { Admin } from '../src/client/admin.js';
import { cooperativeStickyAssignor, rangeAssignor } from '../src/client/assignors/index.js';
import { Consumer, type ConsumerOptions } from '../src/client/consumer/index.js';
import { Producer } from '../src/client/producer/index.js';
import { startRealKafka } from '../test/support/real-kafka.js';
import { startEmulatorProcess } from './emulator-process.js';
import { machineLine } from './harness.js';

const TOPIC = 'bench-rebalance';
const PARTITIONS = 6;
const HEARTBEAT_MS = 500;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const WATCHDOG_MS = Number(process.env.BENCH_LIMIT_MS ?? 300_000);
const STEP_TIMEOUT_MS = 30_000;
const KINDS = (process.env.BENCH_KINDS ?? 'emulator,real').split(',').map((k) => k.trim());
for (const k of KINDS)
  if (k !== 'emulator' && k !== 'real') throw new Error(`BENCH_KINDS: unknown ${k} (emulator, real)`);

/** The broker settings both targets run with. */
const OVERRIDES: Record<string, string> = {
  'group.initial.rebalance.delay.ms': '0',
  'group.consumer.min.heartbeat.interval.ms': String(HEARTBEAT_MS),
  'group.consumer.heartbeat.interval.ms': String(HEARTBEAT_MS),
};

const PROTOCOLS: { name: string; options: Partial<ConsumerOptions> }[] = [
  { name: 'classic, eager (range)', options: { groupProtocol: 'classic', assignors: [rangeAssignor] } },
  {
    name: 'classic, cooperative-sticky',
    options: { groupProtocol: 'classic', assignors: [cooperativeStickyAssignor] },
  },
  {
    name: 'consumer (KIP-848, uniform)',
    options: { groupProtocol: 'consumer', groupRemoteAssignor: 'uniform' },
  },
];

interface Broker {
  label: string;
  bootstrap: string;
  stop(): Promise<void>;
}

async function startBroker(kind: string): Promise<Broker> {
  if (kind === 'emulator') {
    // The emulator has no group.consumer.min.heartbeat.interval.ms setting: the interval alone.
    const e = await startEmulatorProcess(
      Object.entries(OVERRIDES)
        .filter(([k]) => k !== 'group.consumer.min.heartbeat.interval.ms')
        .flatMap(([k, v]) => ['--override', `${k}=${v}`]),
    );
    return { label: 'emulator (child process)', bootstrap: e.bootstrap, stop: e.stop };
  }
  const kafka = await startRealKafka({ timeoutMs: 180_000, overrides: OVERRIDES });
  return {
    label: 'Apache Kafka 4.1.1 (KRaft, one broker, JVM)',
    bootstrap: kafka.bootstrap,
    stop: kafka.stop,
  };
}

/** Resolves when check() holds, checking at every delivery and listener call; rejects at the deadline. */
function waiter() {
  const pending = new Set<() => void>();
  return {
    poke: () => {
      for (const p of [...pending]) p();
    },
    until: (what: string, check: () => boolean) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(tryIt);
          reject(new Error(`timed out waiting for ${what}`));
        }, STEP_TIMEOUT_MS);
        function tryIt() {
          if (!check()) return;
          clearTimeout(timer);
          pending.delete(tryIt);
          resolve();
        }
        pending.add(tryIt);
        tryIt();
      }),
  };
}

interface RoundFigures {
  allConsumingMs: number;
  longestPauseMs: number;
}

async function round(
  bootstrap: string,
  protocol: (typeof PROTOCOLS)[number],
  group: string,
  /** Which round this is: B joins this many ROUNDS-ths of a heartbeat interval later. */
  phase: number,
): Promise<RoundFigures> {
  const w = waiter();
  /** Per partition: its owner now and since when (listeners), and its deliveries' times. */
  const owner = new Map<number, { member: string; since: number }>();
  const deliveries = new Map<number, { member: string; at: number }[]>();
  const make = (member: string) => {
    const c = new Consumer({
      bootstrap,
      clientId: member,
      groupId: group,
      autoOffsetReset: 'latest',
      fetchMaxWaitMs: 50,
      heartbeatIntervalMs: HEARTBEAT_MS,
      sessionTimeoutMs: 10_000,
      ...protocol.options,
      listener: {
        onPartitionsAssigned: (ps) => {
          for (const p of ps) owner.set(p.partition, { member, since: performance.now() });
          w.poke();
        },
        onPartitionsRevoked: (ps) => {
          for (const p of ps) if (owner.get(p.partition)?.member === member) owner.delete(p.partition);
          w.poke();
        },
      },
    });
    c.subscribe(TOPIC);
    const running = c.run({
      eachMessage: (r) => {
        const list = deliveries.get(r.partition) ?? [];
        list.push({ member, at: performance.now() });
        deliveries.set(r.partition, list);
        w.poke();
      },
    });
    running.catch(() => undefined);
    return c;
  };

  const a = make('a');
  let b: Consumer | undefined;
  try {
    await w.until('A reading every partition', () => deliveries.size === PARTITIONS);
    // A reads its partitions right after the heartbeat that gave them, so its heartbeats keep that
    // phase: B joining at once would always land at the same point of A's heartbeat cycle, and
    // whether A's revocation reaches the broker before or after B's next heartbeat (one interval
    // more or less) would be decided by that phase. Round i joins at i/ROUNDS of an interval.
    await new Promise((r) => setTimeout(r, (HEARTBEAT_MS * phase) / ROUNDS));
    const t0 = performance.now();
    b = make('b');
    const members = () => new Set([...owner.values()].map((o) => o.member));
    /** A partition is consumed again once its settled owner got a record after getting it. */
    const consumingAgain = (p: number) => {
      const o = owner.get(p);
      return (deliveries.get(p) ?? []).some((d) => d.member === o?.member && d.at >= o.since && d.at >= t0);
    };
    await w.until(
      'both members owning partitions and every partition consumed again',
      () =>
        owner.size === PARTITIONS &&
        members().size === 2 &&
        Array.from({ length: PARTITIONS }, (_, p) => p).every(consumingAgain),
    );
    const end = performance.now();
    let longest = 0;
    for (const list of deliveries.values()) {
      let last = t0;
      for (const d of list) {
        if (d.at < t0) continue;
        longest = Math.max(longest, d.at - last);
        last = d.at;
      }
    }
    return { allConsumingMs: end - t0, longestPauseMs: longest };
  } finally {
    await Promise.all([a.close({ timeoutMs: 10_000 }), b?.close({ timeoutMs: 10_000 })]);
  }
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;

const started: Broker[] = [];
const watchdog = setTimeout(async () => {
  console.error(`bench:rebalance: still running after ${WATCHDOG_MS} ms, stopping`);
  await Promise.allSettled(started.map((b) => b.stop()));
  process.exit(2);
}, WATCHDOG_MS);

const results = new Map<string, Map<string, RoundFigures[]>>();
const t0 = performance.now();
try {
  for (const kind of KINDS) {
    const broker = await startBroker(kind);
    started.push(broker);
    const admin = new Admin({ bootstrap: broker.bootstrap, clientId: 'bench-setup' });
    try {
      await admin.createTopics({
        topics: [{ topic: TOPIC, numPartitions: PARTITIONS, replicationFactor: 1 }],
      });
    } finally {
      await admin.close();
    }
    // One record per partition every 10 ms for the whole run on this broker.
    const producer = new Producer({ bootstrap: broker.bootstrap, clientId: 'bench-writer', lingerMs: 0 });
    let writing = true;
    const writer = (async () => {
      while (writing) {
        await producer.send({
          topic: TOPIC,
          messages: Array.from({ length: PARTITIONS }, (_, partition) => ({ value: 'x', partition })),
        });
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const figures = new Map<string, RoundFigures[]>();
    try {
      for (const protocol of PROTOCOLS) {
        const rounds: RoundFigures[] = [];
        for (let i = 0; i < ROUNDS; i++)
          rounds.push(
            await round(
              broker.bootstrap,
              protocol,
              `bench-${kind}-${protocol.options.groupProtocol}-${figures.size}-${i}`,
              i,
            ),
          );
        figures.set(protocol.name, rounds);
      }
    } finally {
      writing = false;
      await writer;
      await producer.close();
    }
    results.set(broker.label, figures);
    await broker.stop();
  }
} finally {
  await Promise.allSettled(started.map((b) => b.stop()));
  clearTimeout(watchdog);
}

console.log(
  `\n${machineLine()}; a member joins a group of one on ${PARTITIONS} partitions, heartbeat ${HEARTBEAT_MS} ms, ${ROUNDS} rounds at phases 0, 1/${ROUNDS} … of an interval: median (min–max)`,
);
/** `median (min–max)` of one figure over the rounds. */
const spread = (xs: number[]) =>
  `${median(xs).toFixed(0)} ms (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`;
console.log('\n| broker | protocol | join → all consuming | longest pause |\n|---|---|---:|---:|');
for (const [label, figures] of results)
  for (const [protocol, rounds] of figures)
    console.log(
      `| ${label} | ${protocol} | ${spread(rounds.map((r) => r.allConsumingMs))} | ${spread(rounds.map((r) => r.longestPauseMs))} |`,
    );
console.log(`\nwall time ${((performance.now() - t0) / 1000).toFixed(1)} s`);
process.exit(0);
