/**
 * Admin requests go where Kafka's Admin client (KafkaAdminClient) sends them: CreateTopics,
 * DeleteTopics and CreatePartitions to the controller that Metadata names, a broker's configs to that
 * broker, and on NOT_CONTROLLER a Metadata refresh and a retry. Against franz-go's kfake with three
 * brokers (it does not forward controller requests, as KRaft brokers do since KIP-590), against the
 * emulator with NOT_CONTROLLER injected, and against a real Kafka broker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Admin } from '../../src/client/admin.js';
import { Connection } from '../../src/client/connection.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { Metadata } from '../../src/protocol/messages/03-metadata.js';
import { FindCoordinator } from '../../src/protocol/messages/10-find-coordinator.js';
import { CreateTopics } from '../../src/protocol/messages/19-create-topics.js';
import { DeleteTopics } from '../../src/protocol/messages/20-delete-topics.js';
import { CreatePartitions } from '../../src/protocol/messages/37-create-partitions.js';
import type { ChildCluster } from '../support/child-cluster.js';
import { runCli } from '../support/cli.js';
import { startKfake } from '../support/kfake.js';
import { type RealKafka, startRealKafka } from '../support/real-kafka.js';

const NOT_CONTROLLER = 41;

/** create, describe, grow (library), delete and list through `kafkalab topics`, bootstrapped at `bootstrap`. */
async function topicLifecycle(bootstrap: string, topic: string): Promise<void> {
  const created = await runCli([
    'topics',
    '--bootstrap-server',
    bootstrap,
    '--create',
    '--topic',
    topic,
    '--partitions',
    '3',
  ]);
  expect(created.stderr).toBe('');
  expect(created.code).toBe(0);
  expect(created.stdout).toContain(`Created topic ${topic}.`);

  const described = await runCli(['topics', '--bootstrap-server', bootstrap, '--describe', '--topic', topic]);
  expect(described.code, described.stderr).toBe(0);
  expect(described.stdout).toContain('PartitionCount: 3');

  const admin = new Admin({ bootstrap, retry: { retries: 5, initialBackoffMs: 20, maxBackoffMs: 100 } });
  try {
    await admin.createPartitions({ topics: [{ topic, count: 5 }] });
    const [d] = await admin.describeTopics({ topics: [topic] });
    expect(d.partitions.map((p) => p.partition)).toEqual([0, 1, 2, 3, 4]);
  } finally {
    await admin.close();
  }

  const deleted = await runCli(['topics', '--bootstrap-server', bootstrap, '--delete', '--topic', topic]);
  expect(deleted.code, deleted.stderr).toBe(0);
  const listed = await runCli(['topics', '--bootstrap-server', bootstrap, '--list']);
  expect(listed.code, listed.stderr).toBe(0);
  expect(listed.stdout.split('\n')).not.toContain(topic);
}

describe('against kfake with 3 brokers (no forwarding to the controller)', () => {
  let kfake: ChildCluster;
  /** A broker that is not the controller, and the cluster's view. */
  let notController: string;
  let nodes: { nodeId: number; address: string }[];
  let controllerId: number;

  beforeAll(async () => {
    kfake = await startKfake({ brokers: 3 });
    const admin = new Admin({ bootstrap: kfake.brokers[0] });
    try {
      const c = await admin.describeCluster();
      controllerId = c.controllerId;
      nodes = c.brokers.map((b) => ({ nodeId: b.nodeId, address: `${b.host}:${b.port}` }));
    } finally {
      await admin.close();
    }
    const other = nodes.find((n) => n.nodeId !== controllerId);
    if (!other) throw new Error(`kfake has no broker besides the controller (${JSON.stringify(nodes)})`);
    notController = other.address;
  }, 600_000);
  afterAll(async () => {
    await kfake?.stop();
  });

  it('has three brokers, one of them the controller', () => {
    expect(nodes).toHaveLength(3);
    expect(nodes.map((n) => n.nodeId)).toContain(controllerId);
  });

  it('creates, describes, grows and deletes a topic bootstrapped at a broker that is not the controller', async () => {
    await topicLifecycle(notController, 'routed');
  }, 60_000);

  it('group APIs reach each group’s coordinator: consume, groups --list, --describe, --delete', async () => {
    const topic = 'routed-groups';
    expect(
      (
        await runCli([
          'topics',
          '--bootstrap-server',
          notController,
          '--create',
          '--topic',
          topic,
          '--partitions',
          '1',
        ])
      ).code,
    ).toBe(0);
    const produced = await runCli(['produce', '--topic', topic, '--bootstrap-server', notController], {
      stdin: 'a\nb\n',
    });
    expect(produced.code, produced.stderr).toBe(0);
    // kfake hashes groups over its brokers: with six, some coordinator is not the bootstrap broker.
    const groups = ['ga', 'gb', 'gc', 'gd', 'ge', 'gf'];
    const conn = new Connection({
      host: notController.split(':')[0],
      port: Number(notController.split(':')[1]),
    });
    try {
      const found = await conn.request(FindCoordinator, { keyType: 0, coordinatorKeys: groups });
      const bootstrapNode = nodes.find((n) => n.address === notController)?.nodeId;
      expect(found.coordinators.some((c) => c.errorCode === 0 && c.nodeId !== bootstrapNode)).toBe(true);
    } finally {
      await conn.close();
    }
    for (const g of groups) {
      const consumed = await runCli([
        'consume',
        '--topic',
        topic,
        '--group',
        g,
        '--from-beginning',
        '--max-messages',
        '2',
        '--bootstrap-server',
        notController,
      ]);
      expect(consumed.code, `${g}: ${consumed.stderr}`).toBe(0);
    }
    const listed = await runCli(['groups', '--bootstrap-server', notController, '--list']);
    expect(listed.stdout.trim().split('\n')).toEqual(groups);
    const described = await runCli([
      'groups',
      '--bootstrap-server',
      notController,
      '--describe',
      ...groups.flatMap((g) => ['--group', g]),
    ]);
    expect(described.code, described.stderr).toBe(0);
    for (const g of groups) expect(described.stdout).toMatch(new RegExp(`^${g} +${topic} +0 +2 +2 +0 `, 'm'));
    const deleted = await runCli([
      'groups',
      '--bootstrap-server',
      notController,
      '--delete',
      ...groups.flatMap((g) => ['--group', g]),
    ]);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect((await runCli(['groups', '--bootstrap-server', notController, '--list'])).stdout).toBe('');
  }, 120_000);

  it('asks each broker for its own configs', async () => {
    const admin = new Admin({ bootstrap: notController });
    try {
      for (const n of nodes) {
        const [d] = await admin.describeConfigs({
          resources: [{ type: 'broker', name: String(n.nodeId), keys: ['broker.id'] }],
        });
        expect(d.name).toBe(String(n.nodeId));
      }
    } finally {
      await admin.close();
    }
  });
});

describe('NOT_CONTROLLER: refresh Metadata, then retry (emulator hooks)', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
  });
  afterAll(async () => {
    await emulator.stop();
  });

  it.each([
    [
      'CreateTopics',
      CreateTopics.apiKey,
      (a: Admin) => a.createTopics({ topics: [{ topic: 'nc', numPartitions: 1 }] }),
    ],
    [
      'CreatePartitions',
      CreatePartitions.apiKey,
      (a: Admin) => a.createPartitions({ topics: [{ topic: 'nc', count: 2 }] }),
    ],
    ['DeleteTopics', DeleteTopics.apiKey, (a: Admin) => a.deleteTopics({ topics: ['nc'] })],
  ] as const)('%s answered NOT_CONTROLLER once succeeds on the second try', async (name, apiKey, call) => {
    const admin = new Admin({ bootstrap: emulator.bootstrap, retry: { retries: 3, initialBackoffMs: 5 } });
    await admin.connect();
    const seen: string[] = [];
    const watch = emulator.hooks.observe('*', (e) => {
      seen.push(`${e.api.name}${e.errorCodes.includes(NOT_CONTROLLER) ? ' NOT_CONTROLLER' : ''}`);
    });
    const inject = emulator.hooks.injectError(apiKey, NOT_CONTROLLER, { times: 1 });
    try {
      await call(admin);
      const first = seen.indexOf(`${name} NOT_CONTROLLER`);
      expect(first, seen.join(', ')).toBeGreaterThanOrEqual(0);
      expect(seen.slice(first + 1), seen.join(', ')).toEqual([Metadata.name, name]);
    } finally {
      inject.remove();
      watch.remove();
      await admin.close();
    }
  });
});

describe('against a real Kafka broker', () => {
  let kafka: RealKafka;
  beforeAll(async () => {
    kafka = await startRealKafka();
  }, 300_000);
  afterAll(() => kafka?.stop(), 60_000);

  it('creates, describes, grows and deletes a topic', async () => {
    await topicLifecycle(kafka.bootstrap, 'routed-real');
  }, 120_000);
});
