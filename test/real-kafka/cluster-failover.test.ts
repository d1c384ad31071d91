/**
 * Issue 16's proof for elections: the same scenario on a real 3-node Apache Kafka 4.1.1 cluster
 * (kafka.sh start-cluster 3, KRaft) and on a 3-broker emulator, and the states and answers compared.
 * Topics are placed by hand (CreateTopics assignments) so both have the same replicas: sc
 * [0,1,2] [1,2,0] [2,0,1], solo [0], min2 [1,2,0] with min.insync.replicas 2. Two records go to sc-0,
 * node 0 is stopped (controlled shutdown), then: Metadata (leaders, epochs, ISR, offline replicas,
 * error codes), ElectLeaders PREFERRED, OffsetForLeaderEpoch at sc-0's new leader, acks=all to min2;
 * KIP-320 fencing (OffsetForLeaderEpoch with stale/future epochs at the leader and a follower) and
 * Produce to a follower (NOT_LEADER_OR_FOLLOWER + KIP-951 hint); node 0 is started again: Metadata
 * once it is back in every ISR; a preferred election for sc-0 and Metadata after it; a Heartbeat to
 * a broker that is not the group's coordinator.
 *
 * The real cluster is eventually consistent (brokers learn the controller's decisions from the
 * metadata log), so its side polls Metadata until the state the step waits for shows; so does the
 * emulator's, where a restarted broker's replicas rejoin the ISR after their fetch step (a later
 * turn of the event loop, cluster/replication.ts); everything else is there at once.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Connection } from '../../src/client/connection.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { Produce } from '../../src/protocol/messages/00-produce.js';
import { Fetch } from '../../src/protocol/messages/01-fetch.js';
import { Metadata } from '../../src/protocol/messages/03-metadata.js';
import { FindCoordinator } from '../../src/protocol/messages/10-find-coordinator.js';
import { Heartbeat } from '../../src/protocol/messages/12-heartbeat.js';
import { CreateTopics } from '../../src/protocol/messages/19-create-topics.js';
import { OffsetForLeaderEpoch } from '../../src/protocol/messages/23-offset-for-leader-epoch.js';
import { ElectLeaders } from '../../src/protocol/messages/43-elect-leaders.js';
import { DescribeTopicPartitions } from '../../src/protocol/messages/75-describe-topic-partitions.js';
import { encodeRecordBatch } from '../../src/protocol/records/batch-encoder.js';
import { type RealKafkaCluster, startRealKafkaCluster } from '../support/real-kafka-cluster.js';

let kafka: RealKafkaCluster | undefined;
let emulator: Emulator | undefined;
const conns: Connection[] = [];

beforeAll(async () => {
  kafka = await startRealKafkaCluster({ brokers: 3 });
  emulator = await startEmulator({ brokers: 3, port: 0 });
}, 1_200_000);

afterAll(async () => {
  for (const c of conns) await c.close().catch(() => {});
  await emulator?.stop();
  await kafka?.stop();
}, 120_000);

/** One side of the comparison: how to reach node N, stop and start it, and whether to poll. */
interface Target {
  name: string;
  address(nodeId: number): string;
  stop(nodeId: number): Promise<unknown>;
  start(nodeId: number): Promise<unknown>;
  eventual: boolean;
}

function connect(address: string): Connection {
  const [host, port] = address.split(':');
  const c = new Connection({ host: host as string, port: Number(port) });
  conns.push(c);
  return c;
}

type Snapshot = Record<string, [number, number, number, number[], number[]][]>;

async function snapshot(c: Connection): Promise<Snapshot> {
  const md = await c.request(
    Metadata,
    { topics: ['sc', 'solo', 'min2'].map((name) => ({ name })), allowAutoTopicCreation: false } as never,
    { version: 12 },
  );
  const out: Snapshot = {};
  for (const t of md.topics)
    out[t.name ?? ''] = [...t.partitions]
      .sort((a, b) => a.partitionIndex - b.partitionIndex)
      .map((p) => [p.errorCode, p.leaderId, p.leaderEpoch, p.isrNodes, p.offlineReplicas]);
  return out;
}

/** The snapshot once `ready` holds (the real cluster: polled for up to 60 s). */
async function settled(t: Target, c: Connection, ready: (s: Snapshot) => boolean): Promise<Snapshot> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const s = await snapshot(c).catch(() => undefined);
    if (s && ready(s)) return s;
    if (!t.eventual || Date.now() > deadline)
      throw new Error(`${t.name}: state not reached: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function scenario(t: Target) {
  const n1 = connect(t.address(1));
  const created = await n1.request(
    CreateTopics,
    {
      topics: [
        {
          name: 'sc',
          numPartitions: -1,
          replicationFactor: -1,
          assignments: [
            [0, 1, 2],
            [1, 2, 0],
            [2, 0, 1],
          ].map((brokerIds, partitionIndex) => ({ partitionIndex, brokerIds })),
          configs: [],
        },
        {
          name: 'solo',
          numPartitions: -1,
          replicationFactor: -1,
          assignments: [{ partitionIndex: 0, brokerIds: [0] }],
          configs: [],
        },
        {
          name: 'min2',
          numPartitions: -1,
          replicationFactor: -1,
          assignments: [{ partitionIndex: 0, brokerIds: [1, 2, 0] }],
          configs: [{ name: 'min.insync.replicas', value: '2' }],
        },
      ],
      timeoutMs: 30_000,
      validateOnly: false,
    } as never,
    { version: 7 },
  );
  const steps: Record<string, unknown> = { created: created.topics.map((x) => [x.name, x.errorCode]) };
  steps.initial = await settled(
    t,
    n1,
    (s) =>
      s.sc?.length === 3 &&
      s.sc.every((p) => p[1] >= 0 && p[3].length === 3) &&
      s.solo?.[0]?.[1] === 0 &&
      s.min2?.[0]?.[3].length === 3,
  );
  const produce = (c: Connection, topic: string, values: string[]) =>
    c.request(
      Produce,
      {
        transactionalId: null,
        acks: -1,
        timeoutMs: 10_000,
        topicData: [
          {
            name: topic,
            partitionData: [
              { index: 0, records: encodeRecordBatch({ records: values.map((value) => ({ value })) }) },
            ],
          },
        ],
      } as never,
      { version: 11 },
    );
  // Node 0 may not know the topic yet on the real cluster (UNKNOWN_TOPIC_OR_PARTITION): ask again.
  const n0 = connect(t.address(0));
  const deadline = Date.now() + 30_000;
  let p0 = (await produce(n0, 'sc', ['a', 'b'])).responses[0]?.partitionResponses[0];
  while (t.eventual && p0?.errorCode === 3 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    p0 = (await produce(n0, 'sc', ['a', 'b'])).responses[0]?.partitionResponses[0];
  }
  steps.produced = [p0?.errorCode, p0?.baseOffset];

  await t.stop(0);
  steps.afterStop = await settled(
    t,
    n1,
    (s) =>
      s.sc?.[0]?.[1] !== 0 && (s.sc?.every((p) => !p[3].includes(0)) ?? false) && s.solo?.[0]?.[1] === -1,
  );
  const dtp = await n1.request(
    DescribeTopicPartitions,
    {
      topics: ['solo', 'min2'].map((name) => ({ name })),
      responsePartitionLimit: 2000,
      cursor: null,
    } as never,
    { version: 0 },
  );
  steps.eligibleAfterStop = dtp.topics.map((x) => [
    x.name,
    x.partitions.map((p) => [p.isrNodes, p.eligibleLeaderReplicas, p.lastKnownElr]),
  ]);
  const elected = await n1.request(
    ElectLeaders,
    {
      electionType: 0,
      topicPartitions: [
        { topic: 'sc', partitions: [0, 1] },
        { topic: 'solo', partitions: [0] },
      ],
      timeoutMs: 30_000,
    } as never,
    { version: 2 },
  );
  steps.preferredWhileDown = elected.replicaElectionResults.map((r) => [
    r.topic,
    r.partitionResult.map((p) => [p.partitionId, p.errorCode, p.errorMessage]),
  ]);
  const newLeader = (steps.afterStop as Snapshot).sc?.[0]?.[1] ?? -1;
  const epochs = await connect(t.address(newLeader)).request(
    OffsetForLeaderEpoch,
    {
      replicaId: -1,
      topics: [
        {
          topic: 'sc',
          partitions: [0, 1].map((leaderEpoch) => ({ partition: 0, currentLeaderEpoch: 1, leaderEpoch })),
        },
      ],
    } as never,
    { version: 4 },
  );
  steps.epochEnds = epochs.topics[0]?.partitions.map((p) => [p.errorCode, p.leaderEpoch, p.endOffset]);
  const m2 = (await produce(connect(t.address(1)), 'min2', ['x'])).responses[0]?.partitionResponses[0];
  steps.min2WithTwoInSync = [m2?.errorCode, m2?.baseOffset];
  // KIP-320 fencing at the leader and at a follower (sc-0: leader 1 at epoch 1, follower 2).
  const epochAt = async (nodeId: number, currentLeaderEpoch: number) =>
    (
      await connect(t.address(nodeId)).request(
        OffsetForLeaderEpoch,
        {
          replicaId: -1,
          topics: [{ topic: 'sc', partitions: [{ partition: 0, currentLeaderEpoch, leaderEpoch: 0 }] }],
        } as never,
        { version: 4 },
      )
    ).topics[0]?.partitions[0]?.errorCode;
  steps.epochFencing = [await epochAt(1, 0), await epochAt(1, 2), await epochAt(2, 1), await epochAt(2, 0)];
  // Fetch: at the follower (6) and at the leader with a stale epoch (74); the current leader is named
  // from v16 only.
  const md = await n1.request(
    Metadata,
    { topics: [{ name: 'sc' }], allowAutoTopicCreation: false } as never,
    {
      version: 12,
    },
  );
  const topicId = md.topics[0]?.topicId;
  const fetchAt = async (nodeId: number, currentLeaderEpoch: number, version: number) => {
    const r = await connect(t.address(nodeId)).request(
      Fetch,
      {
        replicaId: -1,
        maxWaitMs: 0,
        minBytes: 0,
        maxBytes: 1 << 20,
        isolationLevel: 0,
        sessionId: 0,
        sessionEpoch: -1,
        topics: [
          {
            topic: 'sc',
            topicId,
            partitions: [{ partition: 0, currentLeaderEpoch, fetchOffset: 0n, partitionMaxBytes: 1 << 20 }],
          },
        ],
        forgottenTopicsData: [],
        rackId: '',
      } as never,
      { version },
    );
    const p = r.responses[0]?.partitions[0];
    return [p?.errorCode, p?.currentLeader?.leaderId ?? null, (r.nodeEndpoints ?? []).map((e) => e.nodeId)];
  };
  steps.fetchRefused = [
    await fetchAt(2, 1, 12),
    await fetchAt(2, 1, 16),
    await fetchAt(1, 0, 16),
    await fetchAt(1, 2, 16),
  ];
  // Produce to a follower: NOT_LEADER_OR_FOLLOWER with KIP-951's current leader.
  const refused = await connect(t.address(2)).request(
    Produce,
    {
      transactionalId: null,
      acks: -1,
      timeoutMs: 10_000,
      topicData: [
        {
          name: 'sc',
          partitionData: [{ index: 0, records: encodeRecordBatch({ records: [{ value: 'f' }] }) }],
        },
      ],
    } as never,
    { version: 11 },
  );
  const rp = refused.responses[0]?.partitionResponses[0];
  steps.produceToFollower = [rp?.errorCode, rp?.currentLeader, refused.nodeEndpoints?.map((e) => e.nodeId)];

  await t.start(0);
  steps.afterStart = await settled(
    t,
    n1,
    (s) =>
      (s.sc?.every((p) => p[3].includes(0)) ?? false) &&
      s.solo?.[0]?.[1] === 0 &&
      (s.min2?.[0]?.[3].includes(0) ?? false),
  );
  const back = await n1.request(
    ElectLeaders,
    { electionType: 0, topicPartitions: [{ topic: 'sc', partitions: [0] }], timeoutMs: 30_000 } as never,
    { version: 2 },
  );
  steps.preferredWhenBack = back.replicaElectionResults.map((r) =>
    r.partitionResult.map((p) => [p.partitionId, p.errorCode]),
  );
  steps.afterElection = await settled(t, n1, (s) => s.sc?.[0]?.[1] === 0);
  // A group request to a broker that does not coordinate the group: NOT_COORDINATOR.
  // The first FindCoordinator creates __consumer_offsets and answers COORDINATOR_NOT_AVAILABLE.
  let coordinator = -1;
  for (let tries = 0; coordinator < 0 && tries < 150; tries++) {
    const found = await n1.request(FindCoordinator, { keyType: 0, coordinatorKeys: ['gx'] } as never, {
      version: 4,
    });
    const c = found.coordinators[0];
    if (c?.errorCode === 0) coordinator = c.nodeId;
    else await new Promise((r) => setTimeout(r, 200));
  }
  const heartbeat = await connect(t.address((coordinator + 1) % 3)).request(
    Heartbeat,
    { groupId: 'gx', generationId: 1, memberId: 'm', groupInstanceId: null } as never,
    { version: 4 },
  );
  steps.heartbeatElsewhere = heartbeat.errorCode;
  return steps;
}

it('stop, elections, epochs and restart: the emulator ends where Kafka 4.1.1 does', async () => {
  const real: Target = {
    name: 'Kafka 4.1.1',
    address: (id) => kafka?.nodes[id]?.address as string,
    stop: (id) => kafka?.stopNode(id) as Promise<void>,
    start: (id) => kafka?.startNode(id) as Promise<void>,
    eventual: true,
  };
  const emu: Target = {
    name: 'emulator',
    address: (id) => emulator?.addresses[id] as string,
    stop: (id) => emulator?.stopBroker(id) as Promise<string>,
    start: (id) => emulator?.startBroker(id) as Promise<string>,
    eventual: true,
  };
  const theirs = await scenario(real);
  const ours = await scenario(emu);
  expect(ours).toEqual(theirs);
}, 600_000);
