// Issue 17 (ACLs): the emulator's StandardAuthorizer decisions (state/acls.ts) and their enforcement
// against a client that logs in with SASL PLAIN. Kafka's rules (StandardAuthorizerData): super users
// pass, DENY beats ALLOW, PREFIXED patterns and the `*` literal apply to every name they cover,
// READ/WRITE/DELETE/ALTER imply DESCRIBE only when allowed, and a resource with no ACL at all follows
// allow.everyone.if.no.acl.found (false by default). Compared with a real broker in acl-real-kafka.
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { Admin } from '../../src/client/admin.js';
import { ANY_ACL } from '../../src/client/admin-acls.js';
import { Connection } from '../../src/client/connection.js';
import { KafkaProtocolError } from '../../src/client/errors.js';
import { startEmulator } from '../../src/emulator/index.js';
import { SecurityConfigError } from '../../src/emulator/security/config.js';
import { Acls } from '../../src/emulator/state/acls.js';
import type { AclBinding } from '../../src/protocol/acls.js';
import { Fetch } from '../../src/protocol/messages/01-fetch.js';
import { Metadata } from '../../src/protocol/messages/03-metadata.js';
import { OffsetCommit } from '../../src/protocol/messages/08-offset-commit.js';
import { ListGroups } from '../../src/protocol/messages/16-list-groups.js';
import { CreateTopics } from '../../src/protocol/messages/19-create-topics.js';
import { InitProducerId } from '../../src/protocol/messages/22-init-producer-id.js';
import { OffsetForLeaderEpoch } from '../../src/protocol/messages/23-offset-for-leader-epoch.js';
import { AddPartitionsToTxn } from '../../src/protocol/messages/24-add-partitions-to-txn.js';
import { WriteTxnMarkers } from '../../src/protocol/messages/27-write-txn-markers.js';
import { CreateAcls } from '../../src/protocol/messages/30-create-acls.js';
import { DescribeLogDirs } from '../../src/protocol/messages/35-describe-log-dirs.js';
import { CreatePartitions } from '../../src/protocol/messages/37-create-partitions.js';
import { DescribeCluster } from '../../src/protocol/messages/60-describe-cluster.js';
import { DescribeProducers } from '../../src/protocol/messages/61-describe-producers.js';
import { DescribeTransactions } from '../../src/protocol/messages/65-describe-transactions.js';
import { ConsumerGroupHeartbeat } from '../../src/protocol/messages/68-consumer-group-heartbeat.js';
import { type SecureEmulator, startSecureEmulator } from './harness.js';

const STANDARD = 'org.apache.kafka.metadata.authorizer.StandardAuthorizer';

function acls(
  o: { superUsers?: string[]; allowEveryone?: boolean } = {},
  bindings: Partial<AclBinding>[] = [],
) {
  const a = new Acls({
    enabled: true,
    superUsers: new Set(o.superUsers ?? []),
    allowEveryoneIfNoAclFound: o.allowEveryone ?? false,
  });
  for (const b of bindings)
    a.add({
      resourceType: 'TOPIC',
      resourceName: 'orders',
      patternType: 'LITERAL',
      principal: 'User:alice',
      host: '*',
      operation: 'READ',
      permissionType: 'ALLOW',
      ...b,
    });
  return a;
}

const alice = { principal: 'User:alice', host: '127.0.0.1' };
const bob = { principal: 'User:bob', host: '127.0.0.1' };

describe('StandardAuthorizer decisions', () => {
  it('no ACL: denied unless allow.everyone.if.no.acl.found; an ACL for someone else: denied anyway', () => {
    expect(acls().authorize(alice, 'READ', 'TOPIC', 'orders')).toBe(false);
    expect(acls({ allowEveryone: true }).authorize(alice, 'READ', 'TOPIC', 'orders')).toBe(true);
    const onlyAlice = acls({ allowEveryone: true }, [{}]);
    expect(onlyAlice.authorize(alice, 'READ', 'TOPIC', 'orders')).toBe(true);
    expect(onlyAlice.authorize(bob, 'READ', 'TOPIC', 'orders')).toBe(false);
    expect(onlyAlice.authorize(bob, 'READ', 'TOPIC', 'other')).toBe(true);
  });

  it('super users pass every check, DENY included', () => {
    const a = acls({ superUsers: ['User:bob'] }, [
      { principal: 'User:bob', permissionType: 'DENY', operation: 'ALL' },
    ]);
    expect(a.authorize(bob, 'WRITE', 'TOPIC', 'orders')).toBe(true);
    expect(a.authorize(bob, 'ALTER', 'CLUSTER', 'kafka-cluster')).toBe(true);
    expect(a.authorize(alice, 'WRITE', 'TOPIC', 'orders')).toBe(false);
  });

  it('DENY beats ALLOW, whichever pattern carries it', () => {
    const a = acls({}, [
      { operation: 'ALL' },
      { patternType: 'PREFIXED', resourceName: 'ord', operation: 'WRITE', permissionType: 'DENY' },
    ]);
    expect(a.authorize(alice, 'READ', 'TOPIC', 'orders')).toBe(true);
    expect(a.authorize(alice, 'WRITE', 'TOPIC', 'orders')).toBe(false);
    const star = acls({}, [
      { operation: 'ALL' },
      { resourceName: '*', principal: 'User:*', permissionType: 'DENY' },
    ]);
    expect(star.authorize(alice, 'READ', 'TOPIC', 'orders')).toBe(false);
    expect(star.authorize(alice, 'WRITE', 'TOPIC', 'orders')).toBe(true);
  });

  it('PREFIXED covers names that start with it; LITERAL only its own name, `*` every name', () => {
    const a = acls({}, [
      { patternType: 'PREFIXED', resourceName: 'pay-' },
      { resourceName: 'pay', operation: 'WRITE' },
      { resourceName: '*', principal: 'User:bob', operation: 'DESCRIBE' },
    ]);
    expect(a.authorize(alice, 'READ', 'TOPIC', 'pay-eu')).toBe(true);
    expect(a.authorize(alice, 'READ', 'TOPIC', 'pay')).toBe(false);
    expect(a.authorize(alice, 'WRITE', 'TOPIC', 'pay')).toBe(true);
    expect(a.authorize(alice, 'WRITE', 'TOPIC', 'pay-eu')).toBe(false);
    expect(a.authorize(bob, 'DESCRIBE', 'TOPIC', 'anything')).toBe(true);
    expect(a.authorize(bob, 'DESCRIBE', 'GROUP', 'anything')).toBe(false);
  });

  it('allowed READ/WRITE/DELETE/ALTER imply DESCRIBE, ALTER_CONFIGS implies DESCRIBE_CONFIGS; a DENY implies nothing', () => {
    for (const operation of ['READ', 'WRITE', 'DELETE', 'ALTER'] as const)
      expect(acls({}, [{ operation }]).authorize(alice, 'DESCRIBE', 'TOPIC', 'orders')).toBe(true);
    expect(acls({}, [{ operation: 'CREATE' }]).authorize(alice, 'DESCRIBE', 'TOPIC', 'orders')).toBe(false);
    expect(
      acls({}, [{ operation: 'ALTER_CONFIGS' }]).authorize(alice, 'DESCRIBE_CONFIGS', 'TOPIC', 'orders'),
    ).toBe(true);
    const denyRead = acls({}, [{ operation: 'DESCRIBE' }, { operation: 'READ', permissionType: 'DENY' }]);
    expect(denyRead.authorize(alice, 'DESCRIBE', 'TOPIC', 'orders')).toBe(true);
    expect(denyRead.authorize(alice, 'READ', 'TOPIC', 'orders')).toBe(false);
  });

  it('User:* and host match as Kafka compares them (exact strings, `*` for any)', () => {
    const a = acls({}, [
      { principal: 'User:*', host: '10.0.0.1' },
      { principal: 'User:bob', operation: 'WRITE' },
    ]);
    expect(a.authorize(alice, 'READ', 'TOPIC', 'orders')).toBe(false);
    expect(a.authorize({ principal: 'User:alice', host: '10.0.0.1' }, 'READ', 'TOPIC', 'orders')).toBe(true);
    expect(a.authorize(bob, 'WRITE', 'TOPIC', 'orders')).toBe(true);
  });

  it('authorizeByResourceType: some ALLOW no DENY covers (the idempotent producer check)', () => {
    expect(acls({}, [{ operation: 'WRITE' }]).authorizeByResourceType(alice, 'WRITE', 'TOPIC')).toBe(true);
    expect(
      acls({}, [
        { operation: 'WRITE' },
        { operation: 'WRITE', permissionType: 'DENY', patternType: 'PREFIXED', resourceName: 'or' },
      ]).authorizeByResourceType(alice, 'WRITE', 'TOPIC'),
    ).toBe(false);
    expect(
      acls({}, [
        { operation: 'WRITE', resourceName: '*' },
        { operation: 'WRITE', permissionType: 'DENY', resourceName: 'orders' },
      ]).authorizeByResourceType(alice, 'WRITE', 'TOPIC'),
    ).toBe(true);
    expect(acls({}, [{ operation: 'READ' }]).authorizeByResourceType(alice, 'WRITE', 'TOPIC')).toBe(false);
  });
});

describe('ACLs enforced on a SASL PLAIN client', () => {
  const started: Array<{ stop(): Promise<void> }> = [];
  afterEach(async () => {
    for (const s of started.splice(0).reverse()) await s.stop();
  });

  async function secured(extra: Record<string, string> = {}): Promise<SecureEmulator> {
    const e = await startSecureEmulator(
      {
        listeners: 'SASL_PLAINTEXT://127.0.0.1:0',
        'sasl.enabled.mechanisms': 'PLAIN',
        'sasl.users': 'alice:alice-secret,admin:admin-secret',
        'connection.failed.authentication.delay.ms': '0',
        'authorizer.class.name': STANDARD,
        'super.users': 'User:admin',
        ...extra,
      },
      { topics: [{ name: 'orders', partitions: 1 }] },
    );
    started.push(e);
    return e;
  }

  const login = (user: string) => ({
    protocol: 'SASL_PLAINTEXT' as const,
    sasl: { mechanism: 'PLAIN' as const, username: user, password: `${user}-secret` },
  });

  it('alice is refused TOPIC_AUTHORIZATION_FAILED with kafkajs, allowed after an ACL, denied again by a DENY', async () => {
    const e = await secured();
    const kafka = new Kafka({
      brokers: [e.bootstrap],
      clientId: 'acl-test',
      sasl: { mechanism: 'plain', username: 'alice', password: 'alice-secret' },
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    });
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    const send = () => producer.send({ topic: 'orders', messages: [{ value: 'x' }] });
    // kafkajs wraps the error when it gives up retrying (KafkaJSNonRetriableError, the code in cause).
    const refusedType = (err: { type?: string; cause?: { type?: string } }) => err.type ?? err.cause?.type;
    expect(refusedType(await send().catch((e) => e))).toBe('TOPIC_AUTHORIZATION_FAILED');

    const admin = new Admin({ bootstrap: e.bootstrap, security: login('admin') });
    started.push({ stop: () => admin.close() });
    const allow: AclBinding = {
      resourceType: 'TOPIC',
      resourceName: 'orders',
      patternType: 'LITERAL',
      principal: 'User:alice',
      host: '*',
      operation: 'WRITE',
      permissionType: 'ALLOW',
    };
    expect((await admin.createAcls([allow])).map((r) => r.error)).toEqual([null]);
    const [sent] = await send();
    expect(sent?.errorCode).toBe(0);
    expect(await admin.describeAcls()).toEqual([allow]);

    await admin.createAcls([
      { ...allow, resourceName: 'ord', patternType: 'PREFIXED', permissionType: 'DENY' },
    ]);
    expect(refusedType(await send().catch((e) => e))).toBe('TOPIC_AUTHORIZATION_FAILED');
    await producer.disconnect();
  });

  it('the ACL APIs need CLUSTER ALTER / DESCRIBE: alice is refused, the super user is not', async () => {
    const e = await secured();
    const alice = new Admin({ bootstrap: e.bootstrap, security: login('alice') });
    started.push({ stop: () => alice.close() });
    await expect(alice.describeAcls()).rejects.toMatchObject({ type: 'CLUSTER_AUTHORIZATION_FAILED' });
    const [created] = await alice.createAcls([
      {
        resourceType: 'GROUP',
        resourceName: 'g',
        patternType: 'LITERAL',
        principal: 'User:alice',
        host: '*',
        operation: 'READ',
        permissionType: 'ALLOW',
      },
    ]);
    expect(created?.error?.type).toBe('CLUSTER_AUTHORIZATION_FAILED');
    const [deleted] = await alice.deleteAcls([ANY_ACL]);
    expect(deleted?.error?.type).toBe('CLUSTER_AUTHORIZATION_FAILED');
  });

  it('without an authorizer the ACL APIs answer SECURITY_DISABLED and nothing is enforced', async () => {
    const e = await startEmulator({ port: 0, topics: [{ name: 'orders' }] });
    started.push(e);
    const admin = new Admin({ bootstrap: e.bootstrap });
    started.push({ stop: () => admin.close() });
    const refusal = await admin.describeAcls().catch((err: unknown) => err);
    expect(refusal).toBeInstanceOf(KafkaProtocolError);
    expect(refusal).toMatchObject({
      type: 'SECURITY_DISABLED',
      brokerMessage: 'No Authorizer is configured on the broker',
    });
    const [deleted] = await admin.deleteAcls([ANY_ACL]);
    expect(deleted?.error).toMatchObject({
      type: 'SECURITY_DISABLED',
      brokerMessage: 'No Authorizer is configured.',
    });
    expect((await admin.describeTopics({ topics: ['orders'] }))[0]?.topic).toBe('orders');
  });

  it('CreateTopics, CreatePartitions, idempotent InitProducerId and ListGroups follow the ACLs', async () => {
    const e = await secured();
    const [host, port] = e.bootstrap.split(':');
    const as = (user: string) => {
      const c = new Connection({ host: host as string, port: Number(port), security: login(user) });
      started.push({ stop: () => c.close() });
      return c;
    };
    const alice = as('alice');
    const admin = as('admin');
    const newTopic = (name: string) => ({
      name,
      numPartitions: 1,
      replicationFactor: 1,
      assignments: [],
      configs: [],
    });
    const create = async (c: Connection, names: string[]) =>
      (await c.request(CreateTopics, { topics: names.map(newTopic), timeoutMs: 5000 })).topics.map((t) => [
        t.name,
        t.errorCode,
        t.errorMessage,
      ]);
    expect(await create(alice, ['alice-1'])).toEqual([['alice-1', 29, 'Authorization failed.']]);
    const idempotent = () =>
      alice.request(InitProducerId, { transactionalId: null, transactionTimeoutMs: 60_000 });
    expect((await idempotent()).errorCode).toBe(31);

    const grant = (resourceType: number, resourceName: string, patternType: number, operation: number) =>
      admin.request(CreateAcls, {
        creations: [
          {
            resourceType,
            resourceName,
            resourcePatternType: patternType,
            principal: 'User:alice',
            host: '*',
            operation,
            permissionType: 3,
          },
        ],
      });
    await grant(2, 'alice-', 4, 5); // CREATE on topics alice-*
    expect(await create(alice, ['alice-1', 'bob-1'])).toEqual([
      ['alice-1', 0, null],
      ['bob-1', 29, 'Authorization failed.'],
    ]);
    const grow = async () =>
      (
        await alice.request(CreatePartitions, {
          topics: [{ name: 'alice-1', count: 2, assignments: null }],
          timeoutMs: 5000,
          validateOnly: true,
        })
      ).results.map((r) => r.errorCode);
    expect(await grow()).toEqual([29]);
    await grant(2, 'alice-', 4, 7); // ALTER
    expect(await grow()).toEqual([0]);
    // KIP-679: WRITE on some topic is enough for an idempotent producer id.
    await grant(2, 'alice-', 4, 4);
    expect((await idempotent()).errorCode).toBe(0);

    for (const groupId of ['g1', 'g2'])
      await admin.request(OffsetCommit, {
        groupId,
        generationIdOrMemberEpoch: -1,
        memberId: '',
        topics: [
          {
            name: 'orders',
            partitions: [{ partitionIndex: 0, committedOffset: 1n, committedMetadata: null }],
          },
        ],
      });
    const groups = async (c: Connection) =>
      (await c.request(ListGroups, { statesFilter: [], typesFilter: [] })).groups
        .map((g) => g.groupId)
        .sort();
    expect(await groups(admin)).toEqual(['g1', 'g2']);
    expect(await groups(alice)).toEqual([]);
    await grant(3, 'g1', 3, 8); // DESCRIBE on group g1
    expect(await groups(alice)).toEqual(['g1']);
  });

  it('KIP-848 heartbeat, transaction and producer admin APIs, cluster authorizedOperations', async () => {
    const e = await secured();
    const [host, port] = e.bootstrap.split(':');
    const alice = new Connection({ host: host as string, port: Number(port), security: login('alice') });
    started.push({ stop: () => alice.close() });
    const heartbeat = await alice.request(ConsumerGroupHeartbeat, {
      groupId: 'g',
      memberId: 'm-1',
      memberEpoch: 0,
      rebalanceTimeoutMs: 30_000,
      subscribedTopicNames: ['orders'],
      topicPartitions: [],
    });
    expect([heartbeat.errorCode, heartbeat.errorMessage]).toEqual([30, null]);
    const txn = await alice.request(DescribeTransactions, { transactionalIds: ['tx'] });
    expect(txn.transactionStates.map((t) => t.errorCode)).toEqual([53]);
    const producers = await alice.request(DescribeProducers, {
      topics: [{ name: 'orders', partitionIndexes: [0] }],
    });
    expect(producers.topics[0]?.partitions.map((p) => p.errorCode)).toEqual([29]);
    const markers = await alice.request(WriteTxnMarkers, {
      markers: [
        {
          producerId: 1n,
          producerEpoch: 0,
          transactionResult: false,
          topics: [{ name: 'orders', partitionIndexes: [0] }],
          coordinatorEpoch: 0,
        },
      ],
    });
    expect(markers.markers[0]?.topics[0]?.partitions.map((p) => p.errorCode)).toEqual([31]);
    const batched = await alice.request(
      AddPartitionsToTxn,
      {
        transactions: [
          { transactionalId: 'tx', producerId: 1n, producerEpoch: 0, verifyOnly: true, topics: [] },
        ],
        v3AndBelowTransactionalId: '',
        v3AndBelowProducerId: 0n,
        v3AndBelowProducerEpoch: 0,
        v3AndBelowTopics: [],
      },
      { version: 4 },
    );
    expect([batched.errorCode, batched.resultsByTransaction]).toEqual([31, []]);
    const epochs = await alice.request(OffsetForLeaderEpoch, {
      replicaId: -1,
      topics: [{ topic: 'orders', partitions: [{ partition: 0, currentLeaderEpoch: -1, leaderEpoch: 0 }] }],
    });
    expect(epochs.topics[0]?.partitions.map((p) => p.errorCode)).toEqual([29]);
    const dirs = await alice.request(DescribeLogDirs, { topics: null });
    expect([dirs.errorCode, dirs.results]).toEqual([31, []]);
    const cluster = await alice.request(DescribeCluster, { includeClusterAuthorizedOperations: true });
    expect(cluster.clusterAuthorizedOperations).toBe(0);
    const admin = new Admin({ bootstrap: e.bootstrap, security: login('admin') });
    started.push({ stop: () => admin.close() });
    await admin.createAcls([
      {
        resourceType: 'CLUSTER',
        resourceName: 'kafka-cluster',
        patternType: 'LITERAL',
        principal: 'User:alice',
        host: '*',
        operation: 'DESCRIBE',
        permissionType: 'ALLOW',
      },
    ]);
    const after = await alice.request(DescribeCluster, { includeClusterAuthorizedOperations: true });
    expect(after.clusterAuthorizedOperations).toBe(1 << 8);
    const metadata = await alice.request(
      Metadata,
      { topics: [], allowAutoTopicCreation: false, includeClusterAuthorizedOperations: true },
      { version: 10 },
    );
    expect(metadata.clusterAuthorizedOperations).toBe(1 << 8);
    // A follower's Fetch (replicaId >= 0) needs CLUSTER_ACTION, READ on the topic is not enough.
    await admin.createAcls([
      {
        resourceType: 'TOPIC',
        resourceName: 'orders',
        patternType: 'LITERAL',
        principal: 'User:alice',
        host: '*',
        operation: 'READ',
        permissionType: 'ALLOW',
      },
    ]);
    const fetch = (replicaId: number) =>
      alice.request(
        Fetch,
        {
          replicaId,
          maxWaitMs: 0,
          minBytes: 0,
          maxBytes: 1000,
          isolationLevel: 0,
          topics: [
            { topic: 'orders', partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1000 }] },
          ],
        },
        { maxVersion: 12 },
      );
    expect((await fetch(-1)).responses[0]?.partitions[0]?.errorCode).toBe(0);
    expect((await fetch(1)).responses[0]?.partitions[0]?.errorCode).toBe(29);
  });

  it('bad authorizer settings are refused at start, naming the setting', async () => {
    await expect(
      startEmulator({
        port: 0,
        security: { 'authorizer.class.name': 'kafka.security.authorizer.AclAuthorizer' },
      }),
    ).rejects.toThrow(SecurityConfigError);
    await expect(
      startEmulator({ port: 0, security: { 'authorizer.class.name': STANDARD, 'super.users': 'admin' } }),
    ).rejects.toThrow(/super\.users: expected a string in format principalType:principalName but got admin/);
    await expect(
      startEmulator({
        port: 0,
        security: { 'authorizer.class.name': STANDARD, 'allow.everyone.if.no.acl.found': 'yes' },
      }),
    ).rejects.toThrow(/allow\.everyone\.if\.no\.acl\.found/);
  });
});
