// `kafkalab consume --group G` with the group protocol chosen by --group-protocol or by the consumer
// property group.protocol (as Kafka's console consumer takes it): the group it joins is a KIP-848
// consumer group or a classic one, as `kafkalab groups --describe` (kafka-consumer-groups.sh's
// tables) shows while the consume runs; and the checks Java's ConsumerConfig makes on the properties.
// The consume runs in-process (runConsume) so that the test can wait for its member on the emulator's
// hooks; `kafkalab groups` runs from the built bin as a user runs it.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsumeCliOptions, runConsume } from '../../src/cli/commands/consume.js';
import { Producer } from '../../src/client/producer/index.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { consumerGroupsOf } from '../../src/emulator/state/group-consumer/index.js';
import { groupsOf } from '../../src/emulator/state/groups.js';
import { runCli } from '../support/cli.js';
import { poke, until } from '../support/until.js';

let emulator: Emulator;
let bootstrap: string;

beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    topics: [{ name: 'gp', partitions: 2 }],
    groupConsumerHeartbeatIntervalMs: 100,
  });
  emulator.hooks.observe('*', () => poke());
  bootstrap = `127.0.0.1:${emulator.port}`;
  const producer = new Producer({ bootstrap });
  try {
    await producer.send({
      topic: 'gp',
      messages: [0, 1].map((p) => ({ key: null, value: Buffer.from(`v${p}`), partition: p })),
    });
  } finally {
    await producer.close();
  }
});

afterAll(() => emulator?.stop());

/** A consume that runs until the test stops it; what it printed is collected. */
function startConsume(o: Omit<ConsumeCliOptions, 'bootstrapServer' | 'topic'>) {
  const printed: string[] = [];
  const out = new Writable({
    write(chunk, _enc, done) {
      printed.push(String(chunk));
      poke();
      done();
    },
  });
  const controller = new AbortController();
  let failure: unknown;
  const running = runConsume(
    { bootstrapServer: bootstrap, topic: 'gp', fromBeginning: true, ...o },
    out,
    controller.signal,
  )
    .catch((e) => {
      failure = e;
    })
    .finally(poke);
  const failed = () => {
    if (failure !== undefined) throw failure;
    return false;
  };
  return {
    printed,
    failed,
    async stop() {
      controller.abort();
      await running;
    },
  };
}

const groups = (...args: string[]) => runCli(['groups', '--bootstrap-server', bootstrap, ...args]);
const lines = (s: string) => s.split('\n').filter((l) => l.trim() !== '');

describe('consume --group-protocol', () => {
  it('consumer: a KIP-848 member, shown by groups --describe --members with epochs and assignments', async () => {
    const c = startConsume({ group: 'gp-consumer', groupProtocol: 'consumer' });
    try {
      const cg = consumerGroupsOf(emulator.cluster);
      await until('the consume to print both records and its member to be Stable', () => {
        c.failed();
        return c.printed.length === 2 && cg.snapshot('gp-consumer')?.state === 'Stable';
      });
      const member = cg.snapshot('gp-consumer')!.members[0]!;
      expect(groupsOf(emulator.cluster).stateOf('gp-consumer')).toBeUndefined();

      const plain = await groups('--describe', '--group', 'gp-consumer', '--members');
      expect(plain.code, plain.stderr).toBe(0);
      const [head, row, ...rest] = lines(plain.stdout);
      expect(head!.split(/\s+/).filter(Boolean)).toEqual([
        'GROUP',
        'CONSUMER-ID',
        'HOST',
        'CLIENT-ID',
        '#PARTITIONS',
      ]);
      expect(row!.split(/\s+/).filter(Boolean)).toEqual([
        'gp-consumer',
        member.memberId,
        '/127.0.0.1',
        'kafkalab-console-consumer',
        '2',
      ]);
      expect(rest).toEqual([]);

      const verbose = await groups('--describe', '--group', 'gp-consumer', '--members', '--verbose');
      expect(verbose.code, verbose.stderr).toBe(0);
      const [vHead, vRow] = lines(verbose.stdout);
      expect(vHead!.split(/\s+/).filter(Boolean)).toEqual([
        'GROUP',
        'CONSUMER-ID',
        'HOST',
        'CLIENT-ID',
        '#PARTITIONS',
        'CURRENT-EPOCH',
        'CURRENT-ASSIGNMENT',
        'TARGET-EPOCH',
        'TARGET-ASSIGNMENT',
      ]);
      expect(vRow!.split(/\s+/).filter(Boolean).slice(4)).toEqual([
        '2',
        String(member.memberEpoch),
        'gp:0,1',
        String(member.memberEpoch),
        'gp:0,1',
      ]);

      const state = await groups('--describe', '--group', 'gp-consumer', '--state', '--verbose');
      const [, sRow] = lines(state.stdout);
      // GROUP COORDINATOR (ID) ASSIGNMENT-STRATEGY STATE GROUP-EPOCH TARGET-ASSIGNMENT-EPOCH #MEMBERS
      expect(sRow!.split(/\s+/).filter(Boolean).slice(3)).toEqual(['uniform', 'Stable', '1', '1', '1']);
    } finally {
      await c.stop();
    }
  });

  it('group.protocol=consumer through --consumer-property, with group.remote.assignor', async () => {
    const c = startConsume({
      group: 'gp-property',
      consumerProperty: { 'group.protocol': 'consumer', 'group.remote.assignor': 'range' },
    });
    try {
      await until('its member to be Stable', () => {
        c.failed();
        return consumerGroupsOf(emulator.cluster).snapshot('gp-property')?.state === 'Stable';
      });
      const state = await groups('--describe', '--group', 'gp-property', '--state', '--verbose');
      expect(state.code, state.stderr).toBe(0);
      expect(lines(state.stdout)[1]!.split(/\s+/).filter(Boolean).slice(3, 5)).toEqual(['range', 'Stable']);
    } finally {
      await c.stop();
    }
  });

  it('classic: a JoinGroup member, no epochs in the verbose table', async () => {
    const c = startConsume({ group: 'gp-classic', groupProtocol: 'classic' });
    try {
      await until('the classic group to be Stable', () => {
        c.failed();
        return groupsOf(emulator.cluster).stateOf('gp-classic')?.state === 'Stable';
      });
      expect(consumerGroupsOf(emulator.cluster).snapshot('gp-classic')).toBeUndefined();
      const verbose = await groups('--describe', '--group', 'gp-classic', '--members', '--verbose');
      expect(verbose.code, verbose.stderr).toBe(0);
      const cells = lines(verbose.stdout)[1]!.split(/\s+/).filter(Boolean);
      expect(cells.slice(4)).toEqual(['2', '-', 'gp:0,1', '-', '-']);
    } finally {
      await c.stop();
    }
  });

  it('refuses what Kafka refuses and what would change nothing', async () => {
    const refused = async (o: Omit<ConsumeCliOptions, 'bootstrapServer' | 'topic'>) => {
      const err = await runConsume({ bootstrapServer: bootstrap, topic: 'gp', ...o }, new Writable()).then(
        () => undefined,
        (e: Error) => e.message,
      );
      return err;
    };
    expect(await refused({ group: 'x', groupProtocol: 'eager' })).toBe(
      '--group-protocol must be classic or consumer, not "eager"',
    );
    expect(
      await refused({
        group: 'x',
        groupProtocol: 'classic',
        consumerProperty: { 'group.protocol': 'CONSUMER' },
      }),
    ).toMatch(
      /group protocols provided in different places .* do not match\. Detected group protocols: 'classic', 'consumer'/,
    );
    expect(await refused({ groupProtocol: 'consumer' })).toMatch(/group protocol consumer needs --group/);
    expect(
      await refused({
        group: 'x',
        consumerProperty: {
          'group.protocol': 'consumer',
          'session.timeout.ms': '10000',
          'heartbeat.interval.ms': '100',
        },
      }),
    ).toBe(
      '--consumer-property session.timeout.ms=10000: heartbeat.interval.ms,session.timeout.ms cannot be set when group.protocol=CONSUMER',
    );
    expect(await refused({ group: 'x', consumerProperty: { 'group.remote.assignor': 'uniform' } })).toBe(
      '--consumer-property group.remote.assignor=uniform: group.remote.assignor cannot be set when group.protocol=CLASSIC',
    );
    expect(await refused({ group: 'x', consumerProperty: { 'group.protocol': 'new' } })).toMatch(
      /group\.protocol must be one of classic, consumer, not "new"/,
    );
  });
});
