// Issue 17 (ACLs): the same CreateAcls / DescribeAcls / DeleteAcls exchanges, and the same refused
// requests, sent to the emulator and to a real Apache Kafka 4.1.1 broker, both with Kafka's
// StandardAuthorizer and allow.everyone.if.no.acl.found=true — so that the PLAINTEXT clients of the
// test (User:ANONYMOUS, as the real broker's own controller connection is) may do what no ACL
// mentions, and are refused where an ACL names only someone else. The answers must be equal, with
// Kafka's order (a HashMap's) sorted away. Run under the JVM lock:
//   flock /tmp/kafkalab-jvm.lock npx vitest run test/security/acl-real-kafka.test.ts
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connection } from '../../src/client/connection.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { Produce } from '../../src/protocol/messages/00-produce.js';
import { Fetch } from '../../src/protocol/messages/01-fetch.js';
import { ListOffsets } from '../../src/protocol/messages/02-list-offsets.js';
import { Metadata } from '../../src/protocol/messages/03-metadata.js';
import { OffsetCommit } from '../../src/protocol/messages/08-offset-commit.js';
import { OffsetFetch } from '../../src/protocol/messages/09-offset-fetch.js';
import { FindCoordinator } from '../../src/protocol/messages/10-find-coordinator.js';
import { JoinGroup } from '../../src/protocol/messages/11-join-group.js';
import { DescribeGroups } from '../../src/protocol/messages/15-describe-groups.js';
import { ListGroups } from '../../src/protocol/messages/16-list-groups.js';
import { CreateTopics } from '../../src/protocol/messages/19-create-topics.js';
import { DeleteTopics } from '../../src/protocol/messages/20-delete-topics.js';
import { DeleteRecords } from '../../src/protocol/messages/21-delete-records.js';
import { InitProducerId } from '../../src/protocol/messages/22-init-producer-id.js';
import { OffsetForLeaderEpoch } from '../../src/protocol/messages/23-offset-for-leader-epoch.js';
import { AddPartitionsToTxn } from '../../src/protocol/messages/24-add-partitions-to-txn.js';
import { AddOffsetsToTxn } from '../../src/protocol/messages/25-add-offsets-to-txn.js';
import { EndTxn } from '../../src/protocol/messages/26-end-txn.js';
import { TxnOffsetCommit } from '../../src/protocol/messages/28-txn-offset-commit.js';
import { DescribeAcls } from '../../src/protocol/messages/29-describe-acls.js';
import { CreateAcls } from '../../src/protocol/messages/30-create-acls.js';
import { DeleteAcls } from '../../src/protocol/messages/31-delete-acls.js';
import { DescribeConfigs } from '../../src/protocol/messages/32-describe-configs.js';
import { AlterConfigs } from '../../src/protocol/messages/33-alter-configs.js';
import { CreatePartitions } from '../../src/protocol/messages/37-create-partitions.js';
import { DeleteGroups } from '../../src/protocol/messages/42-delete-groups.js';
import { ElectLeaders } from '../../src/protocol/messages/43-elect-leaders.js';
import { IncrementalAlterConfigs } from '../../src/protocol/messages/44-incremental-alter-configs.js';
import { OffsetDelete } from '../../src/protocol/messages/47-offset-delete.js';
import { DescribeClientQuotas } from '../../src/protocol/messages/48-describe-client-quotas.js';
import { AlterClientQuotas } from '../../src/protocol/messages/49-alter-client-quotas.js';
import { DescribeUserScramCredentials } from '../../src/protocol/messages/50-describe-user-scram-credentials.js';
import { AlterUserScramCredentials } from '../../src/protocol/messages/51-alter-user-scram-credentials.js';
import { DescribeProducers } from '../../src/protocol/messages/61-describe-producers.js';
import { DescribeTransactions } from '../../src/protocol/messages/65-describe-transactions.js';
import { ConsumerGroupHeartbeat } from '../../src/protocol/messages/68-consumer-group-heartbeat.js';
import { ConsumerGroupDescribe } from '../../src/protocol/messages/69-consumer-group-describe.js';
import { ListConfigResources } from '../../src/protocol/messages/74-list-config-resources.js';
import { DescribeTopicPartitions } from '../../src/protocol/messages/75-describe-topic-partitions.js';
import { encodeRecordBatch } from '../../src/protocol/records/batch-encoder.js';
import { type RealKafka, startRealKafka } from '../support/real-kafka.js';

const AUTHORIZER = {
  'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
  'allow.everyone.if.no.acl.found': 'true',
};

// Codes: resource TOPIC 2, GROUP 3, CLUSTER 4, TRANSACTIONAL_ID 5, DELEGATION_TOKEN 6, USER 7, ANY 1;
// pattern ANY 1, MATCH 2, LITERAL 3, PREFIXED 4; operation ANY 1, ALL 2, READ 3, WRITE 4, CREATE 5,
// DESCRIBE 8; permission ANY 1, DENY 2, ALLOW 3.
function creation(
  resourceType: number,
  resourceName: string,
  resourcePatternType: number,
  principal: string,
  operation: number,
  permissionType = 3,
  host = '*',
) {
  return { resourceType, resourceName, resourcePatternType, principal, host, operation, permissionType };
}

function filter(o: {
  resourceTypeFilter?: number;
  resourceNameFilter?: string | null;
  patternTypeFilter?: number;
  principalFilter?: string | null;
  hostFilter?: string | null;
  operation?: number;
  permissionType?: number;
}) {
  return {
    resourceTypeFilter: 1,
    resourceNameFilter: null,
    patternTypeFilter: 1,
    principalFilter: null,
    hostFilter: null,
    operation: 1,
    permissionType: 1,
    ...o,
  };
}

type DescribeAnswer = Awaited<ReturnType<Connection['request']>> & {
  errorCode: number;
  errorMessage: string | null;
  resources: { resourceType: number; resourceName: string; patternType: number; acls: object[] }[];
};

/** DescribeAcls' answer without Kafka's HashMap order. */
function sortedResources(res: DescribeAnswer) {
  return {
    errorCode: res.errorCode,
    errorMessage: res.errorMessage,
    resources: res.resources
      .map((r) => ({ ...r, acls: r.acls.map((a) => JSON.stringify(a)).sort() }))
      .sort((a, b) =>
        JSON.stringify([a.resourceType, a.resourceName, a.patternType]).localeCompare(
          JSON.stringify([b.resourceType, b.resourceName, b.patternType]),
        ),
      ),
  };
}

async function crud(c: Connection): Promise<unknown[]> {
  const out: unknown[] = [];
  const created = await c.request(CreateAcls, {
    creations: [
      creation(2, 'orders', 3, 'User:alice', 3),
      creation(2, 'orders', 3, 'User:alice', 3), // the same again
      creation(2, 'pay-', 4, 'User:bob', 4),
      creation(2, '*', 3, 'User:carol', 8),
      creation(3, 'g1', 3, 'User:alice', 3, 2, '10.0.0.1'),
      creation(5, 'tx', 4, 'User:*', 4),
      creation(6, 'token', 3, 'User:alice', 8),
      creation(7, 'User:dave', 3, 'User:alice', 2),
      creation(4, 'not-the-cluster', 3, 'User:alice', 8),
      creation(2, '', 3, 'User:alice', 3),
      creation(2, 'x', 3, 'alice', 3),
      creation(2, 'x', 3, 'Group:admins', 3, 3, ''),
    ],
  });
  out.push({ create: created.results });
  // One binding no authorizer can hold fails the whole request (UNKNOWN_SERVER_ERROR for each).
  for (const bad of [
    creation(1, 'x', 3, 'User:alice', 3),
    creation(2, 'x', 2, 'User:alice', 3),
    creation(2, 'x', 1, 'User:alice', 3),
    creation(2, 'x', 3, 'User:alice', 1),
    creation(2, 'x', 3, 'User:alice', 3, 1),
  ]) {
    const res = await c.request(CreateAcls, { creations: [creation(2, 'fine', 3, 'User:x', 3), bad] });
    out.push({ createWithUnstorable: res.results });
  }
  const describe = async (f: ReturnType<typeof filter>) =>
    sortedResources((await c.request(DescribeAcls, f)) as unknown as DescribeAnswer);
  out.push({ all: await describe(filter({})) });
  out.push({
    matchPayments: await describe(
      filter({ resourceTypeFilter: 2, resourceNameFilter: 'pay-eu', patternTypeFilter: 2 }),
    ),
  });
  out.push({
    matchOrders: await describe(
      filter({ resourceTypeFilter: 2, resourceNameFilter: 'orders', patternTypeFilter: 2 }),
    ),
  });
  out.push({
    literalStar: await describe(
      filter({ resourceTypeFilter: 2, resourceNameFilter: '*', patternTypeFilter: 3 }),
    ),
  });
  out.push({ prefixed: await describe(filter({ patternTypeFilter: 4 })) });
  out.push({ alice: await describe(filter({ principalFilter: 'User:alice' })) });
  out.push({ host: await describe(filter({ hostFilter: '10.0.0.1' })) });
  out.push({ denies: await describe(filter({ permissionType: 2 })) });
  out.push({ read: await describe(filter({ operation: 3 })) });
  out.push({ nothing: await describe(filter({ resourceTypeFilter: 3, resourceNameFilter: 'nope' })) });
  const deleted = await c.request(DeleteAcls, {
    filters: [
      filter({ principalFilter: 'User:alice', resourceTypeFilter: 2 }),
      filter({ resourceTypeFilter: 2, resourceNameFilter: 'orders', patternTypeFilter: 2 }),
      filter({ resourceTypeFilter: 3, resourceNameFilter: 'nope' }),
    ],
  });
  out.push({
    delete: deleted.filterResults.map((r) => ({
      errorCode: r.errorCode,
      errorMessage: r.errorMessage,
      matchingAcls: r.matchingAcls.map((a) => JSON.stringify(a)).sort(),
    })),
  });
  out.push({ after: await describe(filter({})) });
  // Clean up for the enforcement part.
  await c.request(DeleteAcls, { filters: [filter({})] });
  return out;
}

/**
 * Re-sends a request while the broker answers that it is not ready yet (a new topic's leader, the
 * group or transaction coordinator loading), bounded by a deadline: real Kafka needs a moment.
 */
async function whileNotReady<T>(send: () => Promise<T>, code: (res: T) => number): Promise<T> {
  const deadline = performance.now() + 30_000;
  for (;;) {
    const res = await send();
    if (![3, 5, 6, 14, 15, 16].includes(code(res)) || performance.now() > deadline) return res;
  }
}

function records(value: string) {
  return encodeRecordBatch({ baseOffset: 0n, records: [{ value: Buffer.from(value) }] });
}

/** Requests refused (or not) by ACLs that name only User:alice, as User:ANONYMOUS sees them. */
async function enforcement(c: Connection): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const topic of ['open', 'closed', 'deny-write'])
    await c.request(CreateTopics, {
      topics: [{ name: topic, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }],
      timeoutMs: 30_000,
    });
  const acl = await c.request(CreateAcls, {
    creations: [
      creation(2, 'closed', 3, 'User:alice', 2),
      creation(2, 'deny-write', 3, 'User:ANONYMOUS', 4, 2),
      creation(2, 'deny-write', 3, 'User:*', 2),
      creation(2, 'new-', 4, 'User:alice', 5),
      creation(3, 'g-closed', 3, 'User:alice', 2),
      creation(5, 'tx-closed', 3, 'User:alice', 2),
    ],
  });
  out.acl = acl.results.map((r) => r.errorCode);
  const produce = async (topic: string) => {
    const res = await whileNotReady(
      () =>
        c.request(
          Produce,
          {
            transactionalId: null,
            acks: 1,
            timeoutMs: 5000,
            topicData: [{ name: topic, partitionData: [{ index: 0, records: records('x') }] }],
          },
          { maxVersion: 12 },
        ),
      (r) => r.responses[0]?.partitionResponses[0]?.errorCode ?? 0,
    );
    return res.responses.map((t) => [t.name, t.partitionResponses.map((p) => p.errorCode)]);
  };
  out.produce = [await produce('open'), await produce('closed'), await produce('deny-write')];
  const all = await c.request(Metadata, { topics: null, allowAutoTopicCreation: false });
  out.metadataAll = all.topics
    .map((t) => t.name)
    .filter((n) => n !== '__consumer_offsets')
    .sort();
  const named = await c.request(Metadata, {
    topics: ['open', 'closed', 'deny-write', 'new-x'].map((name) => ({ name })),
    allowAutoTopicCreation: true,
  });
  // (Not auto-created here: that is no ACL matter, and producer-real-kafka.test.ts compares it.)
  const missing = await c.request(Metadata, { topics: [{ name: 'missing' }], allowAutoTopicCreation: false });
  out.metadataMissing = missing.topics.map((t) => [t.name, t.errorCode]);
  out.metadataNamed = named.topics
    .map((t) => [t.name, t.errorCode, t.partitions.length])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
  const listed = await c.request(ListOffsets, {
    replicaId: -1,
    isolationLevel: 0,
    topics: ['open', 'closed'].map((name) => ({ name, partitions: [{ partitionIndex: 0, timestamp: -1n }] })),
  });
  out.listOffsets = listed.topics.map((t) => [t.name, t.partitions.map((p) => p.errorCode)]);
  const fetched = await c.request(
    Fetch,
    {
      replicaId: -1,
      maxWaitMs: 0,
      minBytes: 0,
      maxBytes: 1_000_000,
      isolationLevel: 0,
      topics: ['open', 'closed'].map((topic) => ({
        topic,
        partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 100_000 }],
      })),
    },
    { maxVersion: 12 },
  );
  out.fetch = fetched.responses.map((t) => [t.topic, t.partitions.map((p) => p.errorCode)]);
  const createdTopics = await c.request(CreateTopics, {
    topics: ['new-closed', 'fresh'].map((name) => ({
      name,
      numPartitions: 1,
      replicationFactor: 1,
      assignments: [],
      configs: [],
    })),
    timeoutMs: 30_000,
  });
  out.createTopics = createdTopics.topics.map((t) => [t.name, t.errorCode, t.errorMessage]);
  const deletedTopics = await c.request(
    DeleteTopics,
    { topicNames: ['closed', 'fresh', 'missing'], topics: [], timeoutMs: 30_000 },
    { maxVersion: 5 },
  );
  out.deleteTopics = deletedTopics.responses.map((t) => [t.name, t.errorCode]).sort();
  const coordinators = await whileNotReady(
    () =>
      c.request(FindCoordinator, { keyType: 0, coordinatorKeys: ['g-open', 'g-closed'] }, { minVersion: 4 }),
    (r) => r.coordinators.find((k) => k.key === 'g-open')?.errorCode ?? 0,
  );
  out.findCoordinator = coordinators.coordinators
    .map((k) => [k.key, k.errorCode, k.errorCode === 0 ? '' : k.errorMessage])
    .sort();
  const txnCoordinator = await c.request(
    FindCoordinator,
    { keyType: 1, coordinatorKeys: ['tx-closed'] },
    { minVersion: 4 },
  );
  out.findTxnCoordinator = txnCoordinator.coordinators.map((k) => [k.key, k.errorCode, k.errorMessage]);
  const joined = await c.request(JoinGroup, {
    groupId: 'g-closed',
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 10_000,
    memberId: '',
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: Buffer.alloc(0) }],
  });
  out.joinGroup = joined.errorCode;
  const committed = await c.request(
    OffsetCommit,
    {
      groupId: 'g-closed',
      generationIdOrMemberEpoch: -1,
      memberId: '',
      topics: [
        { name: 'open', partitions: [{ partitionIndex: 0, committedOffset: 0n, committedMetadata: null }] },
      ],
    },
    { maxVersion: 8 },
  );
  out.offsetCommitClosedGroup = committed.topics.map((t) => [t.name, t.partitions.map((p) => p.errorCode)]);
  const committedOpen = await whileNotReady(
    () =>
      c.request(
        OffsetCommit,
        {
          groupId: 'g-open',
          generationIdOrMemberEpoch: -1,
          memberId: '',
          topics: ['open', 'closed'].map((name) => ({
            name,
            partitions: [{ partitionIndex: 0, committedOffset: 0n, committedMetadata: null }],
          })),
        },
        { maxVersion: 8 },
      ),
    (r) => r.topics.find((t) => t.name === 'open')?.partitions[0]?.errorCode ?? 0,
  );
  out.offsetCommitOpenGroup = committedOpen.topics
    .map((t) => [t.name, t.partitions.map((p) => p.errorCode)])
    .sort();
  const offsets = await c.request(
    OffsetFetch,
    {
      groupId: 'g-open',
      topics: ['open', 'closed'].map((name) => ({ name, partitionIndexes: [0] })),
    },
    { maxVersion: 7 },
  );
  out.offsetFetch = [
    offsets.errorCode,
    offsets.topics.map((t) => [t.name, t.partitions.map((p) => p.errorCode)]),
  ];
  const offsetsClosed = await c.request(
    OffsetFetch,
    { groupId: 'g-closed', topics: null },
    { maxVersion: 7 },
  );
  out.offsetFetchClosedGroup = offsetsClosed.errorCode;
  const txn = await c.request(InitProducerId, { transactionalId: 'tx-closed', transactionTimeoutMs: 60_000 });
  out.initProducerIdTxn = txn.errorCode;
  const idempotent = await whileNotReady(
    () => c.request(InitProducerId, { transactionalId: null, transactionTimeoutMs: 60_000 }),
    (r) => r.errorCode,
  );
  out.initProducerIdIdempotent = idempotent.errorCode;
  return out;
}

/** Group, config, partition, record and transaction APIs refused by ACLs that name only User:alice. */
async function enforcementMore(c: Connection): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const name of ['locked', 'free'])
    await c.request(CreateTopics, {
      topics: [{ name, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }],
      timeoutMs: 30_000,
    });
  await c.request(CreateAcls, {
    creations: [
      creation(2, 'locked', 3, 'User:alice', 2),
      creation(3, 'g-locked', 3, 'User:alice', 2),
      creation(5, 'tx-locked', 3, 'User:alice', 2),
    ],
  });
  // The group coordinator first (Kafka creates __consumer_offsets then), and a group with a
  // committed offset, so that ListGroups has one to show.
  await whileNotReady(
    () => c.request(FindCoordinator, { keyType: 0, coordinatorKeys: ['g-free'] }, { minVersion: 4 }),
    (r) => r.coordinators[0]?.errorCode ?? 0,
  );
  await whileNotReady(
    () =>
      c.request(
        OffsetCommit,
        {
          groupId: 'g-free',
          generationIdOrMemberEpoch: -1,
          memberId: '',
          topics: [
            {
              name: 'free',
              partitions: [{ partitionIndex: 0, committedOffset: 0n, committedMetadata: null }],
            },
          ],
        },
        { maxVersion: 8 },
      ),
    (r) => r.topics[0]?.partitions[0]?.errorCode ?? 0,
  );
  const described = await c.request(DescribeGroups, {
    groups: ['g-free', 'g-locked'],
    includeAuthorizedOperations: false,
  });
  out.describeGroups = described.groups.map((g) => [g.groupId, g.errorCode, g.groupState]).sort();
  const listed = await c.request(ListGroups, { statesFilter: [], typesFilter: [] });
  out.listGroups = listed.groups.map((g) => g.groupId).sort();
  const deleted = await c.request(DeleteGroups, { groupsNames: ['g-locked'] });
  out.deleteGroups = deleted.results.map((r) => [r.groupId, r.errorCode]);
  const offsetDelete = await c.request(OffsetDelete, {
    groupId: 'g-locked',
    topics: [{ name: 'free', partitions: [{ partitionIndex: 0 }] }],
  });
  out.offsetDeleteLockedGroup = offsetDelete.errorCode;
  const offsetDeleteTopic = await c.request(OffsetDelete, {
    groupId: 'g-free',
    topics: [{ name: 'locked', partitions: [{ partitionIndex: 0 }] }],
  });
  out.offsetDeleteLockedTopic = [
    offsetDeleteTopic.errorCode,
    offsetDeleteTopic.topics.map((t) => [t.name, t.partitions.map((p) => p.errorCode)]),
  ];
  const configs = await c.request(DescribeConfigs, {
    resources: ['locked', 'free'].map((resourceName) => ({
      resourceType: 2,
      resourceName,
      configurationKeys: ['cleanup.policy'],
    })),
    includeSynonyms: false,
    includeDocumentation: false,
  });
  out.describeConfigs = configs.results
    .map((r) => [r.resourceName, r.errorCode, r.errorMessage, r.configs.length])
    .sort();
  const altered = await c.request(AlterConfigs, {
    resources: ['locked', 'free'].map((resourceName) => ({
      resourceType: 2,
      resourceName,
      configs: [{ name: 'retention.ms', value: '100000' }],
    })),
    validateOnly: true,
  });
  out.alterConfigs = altered.responses.map((r) => [r.resourceName, r.errorCode, r.errorMessage]).sort();
  const incremental = await c.request(IncrementalAlterConfigs, {
    resources: ['locked', 'free'].map((resourceName) => ({
      resourceType: 2,
      resourceName,
      configs: [{ name: 'retention.ms', configOperation: 0, value: '100000' }],
    })),
    validateOnly: true,
  });
  out.incrementalAlterConfigs = incremental.responses
    .map((r) => [r.resourceName, r.errorCode, r.errorMessage])
    .sort();
  const partitions = await c.request(CreatePartitions, {
    topics: [{ name: 'locked', count: 2, assignments: null }],
    timeoutMs: 30_000,
    validateOnly: true,
  });
  out.createPartitions = partitions.results.map((r) => [r.name, r.errorCode, r.errorMessage]);
  const records = await c.request(DeleteRecords, {
    topics: ['locked', 'free'].map((name) => ({ name, partitions: [{ partitionIndex: 0, offset: 0n }] })),
    timeoutMs: 30_000,
  });
  out.deleteRecords = records.topics
    .map((t) => [t.name, t.partitions.map((p) => [p.errorCode, p.lowWatermark])])
    .sort();
  const addPartitions = await c.request(
    AddPartitionsToTxn,
    {
      transactions: [],
      v3AndBelowTransactionalId: 'tx-locked',
      v3AndBelowProducerId: 1000n,
      v3AndBelowProducerEpoch: 0,
      v3AndBelowTopics: [{ name: 'free', partitions: [0] }],
    },
    { maxVersion: 3 },
  );
  out.addPartitionsToTxn = addPartitions.resultsByTopicV3AndBelow.map((t) => [
    t.name,
    t.resultsByPartition.map((p) => p.partitionErrorCode),
  ]);
  const addOffsets = await c.request(AddOffsetsToTxn, {
    transactionalId: 'tx-locked',
    producerId: 1000n,
    producerEpoch: 0,
    groupId: 'g-free',
  });
  out.addOffsetsToTxn = addOffsets.errorCode;
  const end = await c.request(
    EndTxn,
    { transactionalId: 'tx-locked', producerId: 1000n, producerEpoch: 0, committed: true },
    { maxVersion: 4 },
  );
  out.endTxn = end.errorCode;
  const txnCommit = await c.request(TxnOffsetCommit, {
    transactionalId: 'tx-locked',
    groupId: 'g-free',
    producerId: 1000n,
    producerEpoch: 0,
    topics: [
      { name: 'free', partitions: [{ partitionIndex: 0, committedOffset: 0n, committedMetadata: null }] },
    ],
  });
  out.txnOffsetCommit = txnCommit.topics.map((t) => [t.name, t.partitions.map((p) => p.errorCode)]);
  const heartbeat = await c.request(ConsumerGroupHeartbeat, {
    groupId: 'g-locked',
    memberId: 'm-1',
    memberEpoch: 0,
    rebalanceTimeoutMs: 30_000,
    subscribedTopicNames: ['free'],
    topicPartitions: [],
  });
  out.consumerGroupHeartbeat = [heartbeat.errorCode, heartbeat.errorMessage, heartbeat.memberId];
  // A subscription naming a topic the principal may not describe.
  const subscribed = await whileNotReady(
    () =>
      c.request(ConsumerGroupHeartbeat, {
        groupId: 'g-free2',
        memberId: 'm-2',
        memberEpoch: 0,
        rebalanceTimeoutMs: 30_000,
        subscribedTopicNames: ['free', 'locked'],
        topicPartitions: [],
      }),
    (r) => r.errorCode,
  );
  out.consumerGroupHeartbeatTopics = [subscribed.errorCode, subscribed.errorMessage];
  // A regex matching both: it resolves only to the topic this principal may DESCRIBE (Kafka filters
  // the resolution with the triggering heartbeat's context). Heartbeats go on (bounded) until the
  // resolution has given the member an assignment.
  const freeId = (await c.request(Metadata, { topics: [{ name: 'free' }], allowAutoTopicCreation: false }))
    .topics[0]?.topicId;
  let epoch = 0;
  let assigned: { topicId: string; partitions: number[] }[] = [];
  const regexDeadline = performance.now() + 30_000;
  while (assigned.length === 0 && performance.now() < regexDeadline) {
    const hb = await c.request(ConsumerGroupHeartbeat, {
      groupId: 'g-regex',
      memberId: 'regex-member-000000001',
      memberEpoch: epoch,
      rebalanceTimeoutMs: epoch === 0 ? 30_000 : -1,
      subscribedTopicRegex: epoch === 0 ? '(free|locked)' : null,
      topicPartitions: epoch === 0 ? [] : null,
    });
    if (hb.errorCode !== 0) {
      out.consumerGroupHeartbeatRegex = [hb.errorCode, hb.errorMessage];
      break;
    }
    epoch = hb.memberEpoch;
    assigned = hb.assignment?.topicPartitions ?? assigned;
  }
  out.consumerGroupHeartbeatRegexAssigned = assigned.map((t) => [
    t.topicId === freeId ? 'free' : 'another topic',
    t.partitions,
  ]);
  const cgDescribe = await c.request(ConsumerGroupDescribe, {
    groupIds: ['g-locked'],
    includeAuthorizedOperations: false,
  });
  out.consumerGroupDescribe = cgDescribe.groups.map((g) => [g.groupId, g.errorCode, g.errorMessage]);
  const txns = await whileNotReady(
    () => c.request(DescribeTransactions, { transactionalIds: ['tx-locked'] }),
    (r) => r.transactionStates[0]?.errorCode ?? 0,
  );
  out.describeTransactions = txns.transactionStates.map((t) => [t.transactionalId, t.errorCode]);
  const producers = await c.request(DescribeProducers, {
    topics: [{ name: 'locked', partitionIndexes: [0] }],
  });
  const epochs = await c.request(OffsetForLeaderEpoch, {
    replicaId: -1,
    topics: ['locked', 'free'].map((topic) => ({
      topic,
      partitions: [{ partition: 0, currentLeaderEpoch: -1, leaderEpoch: 0 }],
    })),
  });
  out.offsetForLeaderEpoch = epochs.topics
    .map((t) => [t.topic, t.partitions.map((p) => [p.errorCode, p.leaderEpoch])])
    .sort();
  out.describeProducers = producers.topics.map((t) => [
    t.name,
    t.partitions.map((p) => [p.errorCode, p.errorMessage]),
  ]);
  return out;
}

/**
 * The cluster-level admin APIs (ElectLeaders, client quotas, SCRAM credentials) and
 * DescribeTopicPartitions under ACLs. The CLUSTER resource gets an ALLOW ALL for User:ANONYMOUS (the
 * real broker's own PLAINTEXT connections need CLUSTER_ACTION once any ACL names the cluster) and
 * DENYs for ALTER and ALTER_CONFIGS and DESCRIBE_CONFIGS, so DESCRIBE stays allowed. Run last: the
 * denied ALTER keeps even DeleteAcls from removing them.
 */
/**
 * The controller's "Request R needs OP permission.": Kafka's R is its RequestChannel.Request's
 * toString (connection ids, session hashes), the emulator's the API and principal — the operation
 * named is what must agree.
 */
const neededPermission = (message: string | null) =>
  message?.replace(/^Request .* needs ([A-Z_]+) permission\.$/s, 'Request … needs $1 permission.') ?? null;

async function enforcementCluster(c: Connection): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const topic of ['dtp-open', 'dtp-closed'])
    await c.request(CreateTopics, {
      topics: [{ name: topic, numPartitions: 2, replicationFactor: 1, assignments: [], configs: [] }],
      timeoutMs: 30_000,
    });
  const bindings = [
    creation(4, 'kafka-cluster', 3, 'User:ANONYMOUS', 2),
    creation(4, 'kafka-cluster', 3, 'User:ANONYMOUS', 7, 2),
    creation(4, 'kafka-cluster', 3, 'User:ANONYMOUS', 10, 2),
    creation(4, 'kafka-cluster', 3, 'User:ANONYMOUS', 11, 2),
    creation(2, 'dtp-closed', 3, 'User:alice', 2),
  ];
  const acl = await c.request(CreateAcls, { creations: bindings });
  out.acl = acl.results.map((r) => r.errorCode);
  await untilBrokerHolds(c, bindings.length);
  const elected = await c.request(ElectLeaders, {
    electionType: 0,
    topicPartitions: [{ topic: 'dtp-open', partitions: [0] }],
    timeoutMs: 10_000,
  });
  out.electLeaders = [
    elected.errorCode,
    elected.replicaElectionResults.map((t) => [
      t.topic,
      t.partitionResult.map((p) => [p.partitionId, p.errorCode, neededPermission(p.errorMessage)]),
    ]),
  ];
  const quotas = await c.request(DescribeClientQuotas, { components: [], strict: false });
  out.describeClientQuotas = [quotas.errorCode, quotas.errorMessage, quotas.entries];
  const altered = await c.request(AlterClientQuotas, {
    entries: [
      {
        entity: [{ entityType: 'user', entityName: 'alice' }],
        ops: [{ key: 'producer_byte_rate', value: 1024, remove: false }],
      },
    ],
    validateOnly: false,
  });
  out.alterClientQuotas = altered.entries.map((e) => [e.errorCode, e.errorMessage, e.entity]);
  const scram = await c.request(DescribeUserScramCredentials, { users: null });
  out.describeUserScramCredentials = [scram.errorCode, scram.errorMessage, scram.results];
  const scramAltered = await c.request(AlterUserScramCredentials, {
    deletions: [{ name: 'alice', mechanism: 1 }],
    upsertions: [],
  });
  out.alterUserScramCredentials = scramAltered.results.map((r) => [
    r.user,
    r.errorCode,
    neededPermission(r.errorMessage),
  ]);
  const named = await c.request(DescribeTopicPartitions, {
    topics: [{ name: 'dtp-open' }, { name: 'dtp-closed' }],
    responsePartitionLimit: 2000,
    cursor: null,
  });
  out.describeTopicPartitionsNamed = named.topics
    .map((t) => [t.name, t.errorCode, t.partitions.length])
    .sort();
  const every = await c.request(DescribeTopicPartitions, {
    topics: [],
    responsePartitionLimit: 2000,
    cursor: null,
  });
  out.describeTopicPartitionsAll = every.topics
    .map((t) => t.name)
    .filter((n) => n?.startsWith('dtp-'))
    .sort();
  const resources = await c.request(ListConfigResources, { resourceTypes: [] }, { minVersion: 1 });
  out.listConfigResources = [resources.errorCode, resources.configResources.length];
  // DeleteAcls needs ALTER on the cluster too, which this test denies: refused, so the bindings
  // stay until the brokers stop — this test runs last.
  const deleted = await c.request(DeleteAcls, { filters: [filter({ resourceTypeFilter: 4 })] });
  out.deleteAcls = deleted.filterResults.map((r) => [
    r.errorCode,
    neededPermission(r.errorMessage),
    r.matchingAcls.length,
  ]);
  return out;
}

/**
 * The broker's authorizer follows the controller's metadata a moment after CreateAcls/DeleteAcls
 * answer: waits (bounded) until DescribeAcls shows `n` bindings on this test's resources.
 */
async function untilBrokerHolds(c: Connection, n: number): Promise<void> {
  const deadline = performance.now() + 30_000;
  for (;;) {
    const held = await c.request(DescribeAcls, filter({}));
    const ours = held.resources
      .filter((r) => r.resourceName === 'kafka-cluster' || r.resourceName === 'dtp-closed')
      .reduce((sum, r) => sum + r.acls.length, 0);
    if (ours === n) return;
    if (performance.now() > deadline)
      throw new Error(`the broker holds ${ours} of this test's ACLs, not ${n}`);
  }
}

describe('ACLs: the emulator answers as Kafka 4.1.1 with StandardAuthorizer', () => {
  let kafka: RealKafka | undefined;
  let emulator: Emulator | undefined;
  const conns: Connection[] = [];
  const connect = (address: string) => {
    const [host, port] = address.split(':');
    const c = new Connection({ host: host as string, port: Number(port) });
    conns.push(c);
    return c;
  };

  beforeAll(async () => {
    [kafka, emulator] = await Promise.all([
      startRealKafka({ overrides: AUTHORIZER }),
      startEmulator({ port: 0, security: AUTHORIZER }),
    ]);
  }, 300_000);
  afterAll(async () => {
    await Promise.all(conns.map((c) => c.close()));
    await emulator?.stop();
    await kafka?.stop();
  }, 60_000);

  it('CreateAcls / DescribeAcls / DeleteAcls: same results, errors and messages', async () => {
    const real = await crud(connect((kafka as RealKafka).bootstrap));
    const emulated = await crud(connect((emulator as Emulator).bootstrap));
    expect(emulated).toEqual(real);
  }, 120_000);

  it('enforcement at the group, config, partition, record and transaction APIs', async () => {
    const real = await enforcementMore(connect((kafka as RealKafka).bootstrap));
    const emulated = await enforcementMore(connect((emulator as Emulator).bootstrap));
    expect(emulated).toEqual(real);
  }, 120_000);

  it('enforcement: the same requests refused with the same codes', async () => {
    const real = await enforcement(connect((kafka as RealKafka).bootstrap));
    const emulated = await enforcement(connect((emulator as Emulator).bootstrap));
    expect(emulated).toEqual(real);
  }, 120_000);

  it('enforcement at the cluster-level admin APIs and DescribeTopicPartitions', async () => {
    const real = await enforcementCluster(connect((kafka as RealKafka).bootstrap));
    const emulated = await enforcementCluster(connect((emulator as Emulator).bootstrap));
    expect(emulated).toEqual(real);
  }, 120_000);
});
