/**
 * One kafka-consumer-groups session, whoever runs it (kafkalab groups or Kafka's own tool) and
 * whichever broker it talks to (the emulator or a real Kafka 4.1.1): the same topics, records and
 * groups are set up through kafkalab's client, then the same commands run, and what each printed is
 * kept with member ids, client ids and column padding that depends on them normalised away.
 *
 * Groups:
 * - `P-empty`    classic, committed t1 0:2 1:1 2:0 and t2 0:3, then closed (Empty)
 * - `P-classic`  classic member subscribed to t1, committed at the log end, stays (Stable)
 * - `P-consumer` KIP-848 member subscribed to t2, committed at 3, stays (Stable)
 */
import { Admin } from '../../src/client/admin.js';
import { GroupAdmin } from '../../src/client/admin-groups.js';
import { Consumer } from '../../src/client/consumer/consumer.js';
import { Producer } from '../../src/client/producer/index.js';

/**
 * Record i of a partition has CreateTime base + i × 10 minutes, base two hours ago: recent enough
 * for a broker's 7-day retention to keep them, far enough apart for --by-duration to land between
 * two records however long the session takes.
 */
const STEP_MS = 10 * 60_000;

export interface GroupsFixture {
  prefix: string;
  t1: string;
  t2: string;
  empty: string;
  classic: string;
  consumer: string;
  /** CreateTime of each partition's first record. */
  base: number;
  /** Member ids, to normalise them away. */
  memberIds(): string[];
  /** Closes the members and deletes the groups, leaving the broker as found. */
  close(): Promise<void>;
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    // Polling a remote broker's state: nothing local to wake us up.
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function setupGroups(bootstrap: string, prefix: string): Promise<GroupsFixture> {
  const f = {
    prefix,
    t1: `${prefix}-t1`,
    t2: `${prefix}-t2`,
    empty: `${prefix}-empty`,
    classic: `${prefix}-classic`,
    consumer: `${prefix}-consumer`,
  };
  const admin = new Admin({ bootstrap });
  await admin.createTopics({
    topics: [
      { topic: f.t1, numPartitions: 3, replicationFactor: 1 },
      { topic: f.t2, numPartitions: 1, replicationFactor: 1 },
    ],
  });
  await admin.close();
  const base = Math.floor(Date.now() / 60_000) * 60_000 - 2 * 3_600_000;
  const producer = new Producer({ bootstrap });
  // t1: 4, 3, 2 records in partitions 0, 1, 2; t2: 6 records.
  const counts: [string, number, number][] = [
    [f.t1, 0, 4],
    [f.t1, 1, 3],
    [f.t1, 2, 2],
    [f.t2, 0, 6],
  ];
  for (const [topic, partition, n] of counts) {
    await producer.send({
      topic,
      messages: Array.from({ length: n }, (_, i) => ({
        value: `${partition}-${i}`,
        partition,
        timestamp: base + i * STEP_MS,
      })),
    });
  }
  await producer.close();

  // Empty group: commits in assign mode, then leaves.
  const e = new Consumer({ bootstrap, groupId: f.empty, clientId: 'empty-client', autoCommit: false });
  await e.commit([
    { topic: f.t1, partition: 0, offset: 2n },
    { topic: f.t1, partition: 1, offset: 1n },
    { topic: f.t1, partition: 2, offset: 0n },
    { topic: f.t2, partition: 0, offset: 3n },
  ]);
  await e.close();

  const started: { c: Consumer; run: Promise<void> }[] = [];
  const start = (c: Consumer, topic: string) => {
    c.subscribe([topic]);
    let seen = 0;
    const run = c.run({
      eachMessage: async () => {
        seen++;
      },
    });
    started.push({ c, run });
    return () => seen;
  };
  const classic = new Consumer({
    bootstrap,
    groupId: f.classic,
    clientId: 'classic-client',
    autoCommit: false,
    autoOffsetReset: 'earliest',
  });
  const classicSeen = start(classic, f.t1);
  const consumer = new Consumer({
    bootstrap,
    groupId: f.consumer,
    clientId: 'consumer-client',
    groupProtocol: 'consumer',
    autoCommit: false,
    autoOffsetReset: 'earliest',
  });
  const consumerSeen = start(consumer, f.t2);
  await waitFor('the classic member to read t1', () => classicSeen() >= 9);
  await waitFor('the consumer member to read t2', () => consumerSeen() >= 6);
  // Fixed commits (the lag shows): t1 at 4, 3, 1 of 4, 3, 2; t2 at 3 of 6.
  await classic.commit([
    { topic: f.t1, partition: 0, offset: 4n },
    { topic: f.t1, partition: 1, offset: 3n },
    { topic: f.t1, partition: 2, offset: 1n },
  ]);
  await consumer.commit([{ topic: f.t2, partition: 0, offset: 3n }]);
  const ids = [classic.groupMetadata().memberId, consumer.groupMetadata().memberId];
  return {
    ...f,
    base,
    memberIds: () => ids,
    async close() {
      for (const s of started) await s.c.close();
      await Promise.allSettled(started.map((s) => s.run));
      const groups = new GroupAdmin({ bootstrap });
      try {
        // The consumer group empties once its member has left; a real broker may take a moment.
        await waitFor('the groups to be deleted', async () => {
          const r = await groups.deleteGroups([f.classic, f.consumer]);
          return r.every((x) => !x.error || x.error.code === 69);
        });
      } finally {
        await groups.close();
      }
    },
  };
}

/** The commands of the session, by name; `$X` stands for the fixture's names. */
export function sessionCommands(f: GroupsFixture): [string, string[]][] {
  const g = (s: string[]) =>
    s.map((a) =>
      a
        .replace('$T1', f.t1)
        .replace('$T2', f.t2)
        .replace('$EMPTY', f.empty)
        .replace('$CLASSIC', f.classic)
        .replace('$CONSUMER', f.consumer),
    );
  return [
    ['list', g(['--list'])],
    ['listState', g(['--list', '--state'])],
    ['listType', g(['--list', '--type'])],
    ['listTypeState', g(['--list', '--type', '--state'])],
    ['listStableConsumer', g(['--list', '--state', 'Stable', '--type', 'consumer'])],
    ['listEmpty', g(['--list', '--state', 'empty'])],
    ['listClassic', g(['--list', '--type', 'classic'])],
    ['listBadState', g(['--list', '--state', 'Nope'])],
    ['listBadType', g(['--list', '--type', 'share,nope'])],
    ['describeEmpty', g(['--describe', '--group', '$EMPTY'])],
    ['describeClassic', g(['--describe', '--group', '$CLASSIC'])],
    ['describeConsumer', g(['--describe', '--group', '$CONSUMER'])],
    ['offsetsEmpty', g(['--describe', '--offsets', '--group', '$EMPTY'])],
    ['offsetsClassicVerbose', g(['--describe', '--offsets', '--verbose', '--group', '$CLASSIC'])],
    ['membersEmpty', g(['--describe', '--members', '--group', '$EMPTY'])],
    ['membersClassic', g(['--describe', '--members', '--group', '$CLASSIC'])],
    ['membersClassicVerbose', g(['--describe', '--members', '--verbose', '--group', '$CLASSIC'])],
    ['membersConsumer', g(['--describe', '--members', '--group', '$CONSUMER'])],
    ['membersConsumerVerbose', g(['--describe', '--members', '--verbose', '--group', '$CONSUMER'])],
    ['stateEmpty', g(['--describe', '--state', '--group', '$EMPTY'])],
    ['stateClassic', g(['--describe', '--state', '--group', '$CLASSIC'])],
    ['stateClassicVerbose', g(['--describe', '--state', '--verbose', '--group', '$CLASSIC'])],
    ['stateConsumer', g(['--describe', '--state', '--group', '$CONSUMER'])],
    ['stateConsumerVerbose', g(['--describe', '--state', '--verbose', '--group', '$CONSUMER'])],
    ['describeAllState', g(['--describe', '--all-groups', '--state'])],
    ['describeAllOffsets', g(['--describe', '--all-groups'])],
    ['describeMissing', g(['--describe', '--group', 'no-such-group'])],
    ['stateMissing', g(['--describe', '--state', '--group', 'no-such-group'])],
    ['describeTwo', g(['--describe', '--group', '$EMPTY', '--group', '$CLASSIC'])],
    ['resetEarliestDry', g(['--reset-offsets', '--group', '$EMPTY', '--topic', '$T1', '--to-earliest'])],
    [
      'resetLatestDry',
      g(['--reset-offsets', '--group', '$EMPTY', '--all-topics', '--to-latest', '--dry-run']),
    ],
    ['resetToOffset', g(['--reset-offsets', '--group', '$EMPTY', '--topic', '$T1:0,2', '--to-offset', '3'])],
    ['resetToOffsetHigh', g(['--reset-offsets', '--group', '$EMPTY', '--topic', '$T1', '--to-offset', '10'])],
    ['resetShiftBy', g(['--reset-offsets', '--group', '$EMPTY', '--all-topics', '--shift-by', '-2'])],
    ['resetToCurrent', g(['--reset-offsets', '--group', '$EMPTY', '--all-topics', '--to-current'])],
    ['resetShiftUp', g(['--reset-offsets', '--group', '$EMPTY', '--topic', '$T1', '--shift-by', '2'])],
    [
      'resetDatetime',
      g([
        '--reset-offsets',
        '--group',
        '$EMPTY',
        '--topic',
        '$T1',
        '--to-datetime',
        new Date(f.base + 15 * 60_000).toISOString(),
      ]),
    ],
    [
      'resetDuration',
      g(['--reset-offsets', '--group', '$EMPTY', '--topic', '$T1', '--by-duration', 'PT1H35M']),
    ],
    ['resetNoScope', g(['--reset-offsets', '--group', '$EMPTY', '--to-earliest'])],
    ['resetNoSpec', g(['--reset-offsets', '--group', '$EMPTY', '--all-topics'])],
    [
      'resetBoth',
      g(['--reset-offsets', '--group', '$EMPTY', '--all-topics', '--to-earliest', '--dry-run', '--execute']),
    ],
    [
      'resetActive',
      g(['--reset-offsets', '--group', '$CLASSIC', '--all-topics', '--to-earliest', '--execute']),
    ],
    ['resetActiveConsumer', g(['--reset-offsets', '--group', '$CONSUMER', '--all-topics', '--to-earliest'])],
    [
      'resetExecute',
      g(['--reset-offsets', '--group', '$EMPTY', '--topic', '$T1', '--to-offset', '1', '--execute']),
    ],
    ['afterReset', g(['--describe', '--offsets', '--group', '$EMPTY'])],
    [
      'resetNewGroup',
      g(['--reset-offsets', '--group', 'fresh-group', '--topic', '$T2', '--to-earliest', '--execute']),
    ],
    ['deleteOffsetsSubscribed', g(['--delete-offsets', '--group', '$CLASSIC', '--topic', '$T1'])],
    ['deleteOffsetsConsumer', g(['--delete-offsets', '--group', '$CONSUMER', '--topic', '$T2'])],
    ['deleteOffsetsPartition', g(['--delete-offsets', '--group', '$EMPTY', '--topic', '$T1:1'])],
    ['deleteOffsetsUnknownTopic', g(['--delete-offsets', '--group', '$EMPTY', '--topic', 'no-such-topic'])],
    ['deleteOffsetsMissingGroup', g(['--delete-offsets', '--group', 'no-such-group', '--topic', '$T1'])],
    ['afterDeleteOffsets', g(['--describe', '--offsets', '--group', '$EMPTY'])],
    ['deleteNonEmpty', g(['--delete', '--group', '$CLASSIC'])],
    ['deleteMissing', g(['--delete', '--group', 'no-such-group'])],
    ['deleteEmpty', g(['--delete', '--group', '$EMPTY'])],
    ['deleteTwo', g(['--delete', '--group', 'fresh-group', '--group', 'no-such-group'])],
    ['noAction', g(['--group', '$EMPTY'])],
  ];
}
