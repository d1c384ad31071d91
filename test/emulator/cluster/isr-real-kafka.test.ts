/**
 * Issue 16's proof for ISR shrink and expand: the same scenario on a real 3-node Apache Kafka 4.1.1
 * cluster (KRaft, kafka.sh start-cluster 3) and on a 3-broker emulator, both with
 * replica.lag.time.max.ms 2000 and broker.session.timeout.ms 30000 (so only the leaders' lag check
 * moves the ISR, not fencing), compared. Topics placed by hand: lag1 [0,1,2] (min ISR 1), lag2
 * [0,2] with min.insync.replicas 2. A record to each, then node 2 is paused — SIGSTOP on the real
 * JVM, pauseBroker on the emulator — and: an acks=all Produce to lag1 completes once node 2 is out
 * of the ISR; one to lag2 times out (the ISR [0] is below min ISR, so the high watermark stands
 * still, KIP-966); Metadata and DescribeTopicPartitions show the shrunk ISRs (lag2's ELR [2]),
 * leader epochs unchanged; acks=all to lag2 is refused (NOT_ENOUGH_REPLICAS), acks=1 appends but its
 * high watermark stays; node 2 resumes (SIGCONT / resumeBroker): both ISRs expand once it has
 * caught up, lag2's high watermark moves to the log end, acks=all succeeds.
 *
 * Both sides run on real time (the ISR moves between 2 and 3 s after the pause), and the state each
 * step waits for is polled for (the real cluster is eventually consistent; the emulator's
 * system-clock timers fire on their own).
 *
 * Starts JVMs: run under `flock /tmp/kafkalab-jvm.lock`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Connection } from '../../../src/client/connection.js';
import { type Emulator, startEmulator } from '../../../src/emulator/index.js';
import { Produce } from '../../../src/protocol/messages/00-produce.js';
import { Fetch } from '../../../src/protocol/messages/01-fetch.js';
import { Metadata } from '../../../src/protocol/messages/03-metadata.js';
import { CreateTopics } from '../../../src/protocol/messages/19-create-topics.js';
import { DescribeQuorum } from '../../../src/protocol/messages/55-describe-quorum.js';
import { DescribeTopicPartitions } from '../../../src/protocol/messages/75-describe-topic-partitions.js';
import { encodeRecordBatch } from '../../../src/protocol/records/batch-encoder.js';
import { type RealKafkaCluster, startRealKafkaCluster } from '../../support/real-kafka-cluster.js';

const LAG_MS = 2000;
const SESSION_MS = 30_000;

let kafka: RealKafkaCluster | undefined;
let emulator: Emulator | undefined;
const conns: Connection[] = [];

beforeAll(async () => {
  kafka = await startRealKafkaCluster({
    brokers: 3,
    overrides: { 'replica.lag.time.max.ms': String(LAG_MS), 'broker.session.timeout.ms': String(SESSION_MS) },
  });
  emulator = await startEmulator({
    brokers: 3,
    port: 0,
    replicaLagTimeMaxMs: LAG_MS,
    brokerSessionTimeoutMs: SESSION_MS,
  });
}, 1_200_000);

afterAll(async () => {
  for (const c of conns) await c.close().catch(() => {});
  await emulator?.stop();
  // A node left stopped by a failed run must run again to stop cleanly.
  if (kafka) for (const n of kafka.nodes) signal(n.nodeId, 'SIGCONT');
  await kafka?.stop();
}, 120_000);

function signal(nodeId: number, sig: 'SIGSTOP' | 'SIGCONT'): void {
  if (!kafka) return;
  const pid = Number(readFileSync(join(kafka.stateDir, `node-${nodeId}`, 'pid'), 'utf8').trim());
  try {
    process.kill(pid, sig);
  } catch {
    // gone already
  }
}

interface Target {
  name: string;
  address(nodeId: number): string;
  pause(nodeId: number): unknown;
  resume(nodeId: number): unknown;
}

function connect(address: string): Connection {
  const [host, port] = address.split(':');
  const c = new Connection({ host: host as string, port: Number(port), requestTimeoutMs: 60_000 });
  conns.push(c);
  return c;
}

type Snapshot = Record<
  string,
  { error: number; leader: number; epoch: number; isr: number[]; elr: number[] | null }
>;

async function snapshot(c: Connection): Promise<Snapshot> {
  const topics = ['lag1', 'lag2'].map((name) => ({ name }));
  const md = await c.request(Metadata, { topics, allowAutoTopicCreation: false } as never, { version: 12 });
  const dtp = await c.request(DescribeTopicPartitions, { topics, responsePartitionLimit: 10 } as never, {
    version: 0,
  });
  const out: Snapshot = {};
  for (const t of md.topics) {
    const p = t.partitions[0];
    const d = dtp.topics.find((x) => x.name === t.name)?.partitions[0];
    out[t.name ?? ''] = {
      error: p?.errorCode ?? -1,
      leader: p?.leaderId ?? -1,
      epoch: p?.leaderEpoch ?? -1,
      isr: p?.isrNodes ?? [],
      elr: d?.eligibleLeaderReplicas ?? null,
    };
  }
  return out;
}

/** Polls (200 ms apart, up to 60 s) until `ready` holds. */
async function settled(t: Target, c: Connection, ready: (s: Snapshot) => boolean): Promise<Snapshot> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const s = await snapshot(c).catch(() => undefined);
    if (s && ready(s)) return s;
    if (Date.now() > deadline) throw new Error(`${t.name}: state not reached: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function produce(c: Connection, topic: string, acks: number, timeoutMs = 10_000) {
  return c
    .request(
      Produce,
      {
        transactionalId: null,
        acks,
        timeoutMs,
        topicData: [
          {
            name: topic,
            partitionData: [{ index: 0, records: encodeRecordBatch({ records: [{ value: 'v' }] }) }],
          },
        ],
      } as never,
      { version: 11 },
    )
    .then((r) => {
      const p = r.responses[0]?.partitionResponses[0];
      return [p?.errorCode, p?.baseOffset] as const;
    });
}

async function highWatermark(c: Connection, topic: string): Promise<bigint | undefined> {
  const r = await c.request(
    Fetch,
    {
      replicaId: -1,
      maxWaitMs: 0,
      minBytes: 0,
      maxBytes: 1 << 20,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [{ topic, partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1 << 20 }] }],
      forgottenTopicsData: [],
      rackId: '',
    } as never,
    { version: 12 },
  );
  return r.responses[0]?.partitions[0]?.highWatermark;
}

const full = (s: Snapshot) => s.lag1?.isr.length === 3 && s.lag2?.isr.length === 2;

async function scenario(t: Target, paused: number) {
  const n0 = connect(t.address(0));
  const created = await n0.request(
    CreateTopics,
    {
      topics: [
        { name: 'lag1', assignments: [[0, 1, 2]], configs: [] },
        { name: 'lag2', assignments: [[0, paused]], configs: [{ name: 'min.insync.replicas', value: '2' }] },
      ].map(({ name, assignments, configs }) => ({
        name,
        numPartitions: -1,
        replicationFactor: -1,
        assignments: assignments.map((brokerIds, partitionIndex) => ({ partitionIndex, brokerIds })),
        configs,
      })),
      timeoutMs: 30_000,
      validateOnly: false,
    } as never,
    { version: 7 },
  );
  const steps: Record<string, unknown> = { created: created.topics.map((x) => [x.name, x.errorCode]) };
  steps.initial = await settled(t, n0, (s) => full(s) && s.lag1?.leader === 0 && s.lag2?.leader === 0);
  // Node 0 may not have the topics yet (UNKNOWN_TOPIC_OR_PARTITION): ask again.
  const deadline = Date.now() + 30_000;
  for (const topic of ['lag1', 'lag2']) {
    let answer = await produce(n0, topic, -1);
    while (answer[0] === 3 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      answer = await produce(n0, topic, -1);
    }
    steps[`first ${topic}`] = answer;
  }

  const pausedAt = Date.now();
  await t.pause(paused);
  // Each on its own connection: a parked acks=all answer holds later ones on its connection back.
  const lag1 = produce(connect(t.address(0)), 'lag1', -1, 30_000).then((a) => ({
    a,
    ms: Date.now() - pausedAt,
  }));
  const lag2 = produce(connect(t.address(0)), 'lag2', -1, 8000);
  const lag1Answer = await lag1;
  steps['acks=all lag1 while the follower is paused'] = lag1Answer.a;
  steps['lag1 answered after replica.lag.time.max.ms'] = lag1Answer.ms > LAG_MS;
  steps['acks=all lag2 while the follower is paused (timeoutMs 8000)'] = await lag2;
  steps.shrunk = await settled(t, n0, (s) => s.lag1?.isr.length === 2 && s.lag2?.isr.length === 1);
  steps['acks=all lag2, ISR below min'] = await produce(n0, 'lag2', -1);
  steps['acks=1 lag2, ISR below min'] = await produce(n0, 'lag2', 1);
  steps['lag2 high watermark below min ISR'] = await highWatermark(n0, 'lag2');

  await t.resume(paused);
  steps.expanded = await settled(t, n0, full);
  steps['lag2 high watermark after expand'] = await highWatermark(n0, 'lag2');
  steps['acks=all lag2 after expand'] = await produce(n0, 'lag2', -1);
  return { steps, lag1Ms: lag1Answer.ms };
}

it('a paused follower leaves the ISR after replica.lag.time.max.ms and rejoins: the emulator as Kafka 4.1.1', async () => {
  const real: Target = {
    name: 'Kafka 4.1.1',
    address: (id) => kafka?.nodes[id]?.address as string,
    pause: (id) => signal(id, 'SIGSTOP'),
    resume: (id) => signal(id, 'SIGCONT'),
  };
  const emu: Target = {
    name: 'emulator',
    address: (id) => emulator?.addresses[id] as string,
    pause: (id) => emulator?.pauseBroker(id),
    resume: (id) => emulator?.resumeBroker(id),
  };
  // Every Kafka node is also a KRaft voter: pausing the active controller would stall the leader's
  // AlterPartition (ISR shrink) until its request times out (30 s) — a different scenario. So the
  // paused follower is node 2 unless node 2 leads the metadata quorum; then node 1. Both targets
  // pause the same node.
  const quorum = await connect(real.address(0)).request(
    DescribeQuorum,
    { topics: [{ topicName: '__cluster_metadata', partitions: [{ partitionIndex: 0 }] }] } as never,
    { version: 0 },
  );
  const controller = quorum.topics[0]?.partitions[0]?.leaderId;
  const paused = controller === 2 ? 1 : 2;
  console.log(`metadata quorum leader: node ${controller}; pausing node ${paused}`);
  const theirs = await scenario(real, paused);
  const ours = await scenario(emu, paused);
  console.log(
    `acks=all to lag1 answered ${theirs.lag1Ms} ms after the pause on Kafka, ${ours.lag1Ms} ms on the emulator`,
  );
  console.log(JSON.stringify(theirs.steps, (_, v) => (typeof v === 'bigint' ? `${v}n` : v)));
  expect(ours.steps).toEqual(theirs.steps);
}, 600_000);
