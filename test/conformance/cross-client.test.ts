/**
 * Issue 5, "Cross-client matrix": the basic workflow — create a topic with 2 partitions, produce 1000
 * keyed messages, consume them in a group of 2, commit, resume with a new member of the same group —
 * run by four clients (Apache Kafka 4.1.1's Java tools, kafkajs, kcat/librdkafka, kafkalab's own
 * client) against two brokers (the kafkalab emulator and a real Apache Kafka 4.1.1), with the same
 * assertions for every combination:
 *
 * - the 1000 messages are read exactly once across the group's two members;
 * - each member read one partition, and not the same one;
 * - the commit holds: the group's committed offsets are the log ends (500 and 500);
 * - the resume step reads exactly the 100 messages produced after the commit, none before.
 *
 * The drivers live in cross-client/; what they observe on the broker side goes through kafkalab's
 * admin clients (cross-client/observer.ts), the Java tools' own kafka-consumer-groups report too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { kafkaToolsEnv } from '../support/kafka-tools.js';
import { type RealKafka, startRealKafka } from '../support/real-kafka.js';
import { runWithJavaTools } from './cross-client/java-tools.js';
import { runWithKafkajs } from './cross-client/kafkajs.js';
import { runWithKafkalab } from './cross-client/kafkalab.js';
import { runWithKcat } from './cross-client/kcat.js';
import { Observer } from './cross-client/observer.js';
import {
  FIRST,
  PARTITIONS,
  type PlannedMessage,
  RESUME,
  type ReceivedMessage,
  type ReportedOffsets,
  type Target,
  type WorkflowNames,
  type WorkflowOutcome,
} from './cross-client/plan.js';

type Driver = (target: Target, names: WorkflowNames, observer: Observer) => Promise<WorkflowOutcome>;

const CLIENTS: { name: string; slug: string; run: Driver }[] = [
  { name: 'Apache Kafka Java tools', slug: 'java', run: runWithJavaTools },
  { name: 'kafkajs', slug: 'kafkajs', run: runWithKafkajs },
  { name: 'kcat (librdkafka)', slug: 'kcat', run: runWithKcat },
  { name: 'kafkalab client', slug: 'kafkalab', run: runWithKafkalab },
];

// JVM tools on a busy 2-core machine next to a JVM broker: generous, but bounded.
const COMBINATION_TIMEOUT_MS = 540_000;

const perPartition = (messages: readonly PlannedMessage[]) => messages.length / PARTITIONS;
const offsetsOf = (n: number) => new Map(Array.from({ length: PARTITIONS }, (_, p) => [p, BigInt(n)]));
const sortedValues = (messages: readonly { value: string }[]) => messages.map((m) => m.value).sort();

async function runCombination(target: Target, client: (typeof CLIENTS)[number]): Promise<void> {
  const names = { topic: `xc-${client.slug}`, group: `xc-${client.slug}-group` };
  const observer = new Observer(target);
  try {
    const started = performance.now();
    const outcome = await client.run(target, names, observer);
    const final = await observer.snapshot(names);
    console.log(
      `[cross-client] ${client.name} → ${target.name}: ${Math.round(performance.now() - started)} ms; ` +
        `members read ${outcome.members.map((m) => m.length).join(' + ')}, resumed ${outcome.resumed.length}`,
    );
    checkOutcome(outcome, final);
  } finally {
    await observer.close();
  }
}

function checkOutcome(outcome: WorkflowOutcome, final: WorkflowOutcome['afterGroup']): void {
  const first = perPartition(FIRST);
  const resumed = first + perPartition(RESUME);
  // The client's partitioner put each key where murmur2 says: 500 and 500 (see plan.ts).
  expect(outcome.afterGroup.ends, 'log ends after the first 1000').toEqual(offsetsOf(first));

  // Two members, one distinct partition each.
  expect(outcome.members).toHaveLength(2);
  const partitionsOf = outcome.members.map((m) => [...new Set(m.map((r) => r.partition))]);
  expect(
    partitionsOf.map((ps) => ps.length),
    'partitions read by each member',
  ).toEqual([1, 1]);
  expect(new Set(partitionsOf.flat()).size, 'members read distinct partitions').toBe(2);

  // Exactly once across the group: the multiset of values is the one sent, and each record
  // arrived from the partition its key was sent to.
  const all: ReceivedMessage[] = outcome.members.flat();
  expect(all).toHaveLength(FIRST.length);
  expect(sortedValues(all)).toEqual(sortedValues(FIRST));
  const planned = new Map(FIRST.map((m) => [m.value, m]));
  expect(
    all.filter((r) => planned.get(r.value)?.key !== r.key || planned.get(r.value)?.partition !== r.partition),
  ).toEqual([]);

  // The commit: the group's offsets are the log ends once its members have left.
  expect(outcome.afterGroup.committed, 'committed offsets after the group').toEqual(offsetsOf(first));

  // Resume: only what was produced after the commit, each exactly once.
  expect(sortedValues(outcome.resumed), 'resumed messages').toEqual(sortedValues(RESUME));
  expect(final.ends).toEqual(offsetsOf(resumed));
  expect(final.committed, 'committed offsets after the resume').toEqual(offsetsOf(resumed));

  // The client's own report of the group, where it has one (kafka-consumer-groups --describe).
  const report = (n: number): ReportedOffsets[] =>
    Array.from({ length: PARTITIONS }, (_, partition) => ({
      partition,
      current: BigInt(n),
      logEnd: BigInt(n),
      lag: 0n,
    }));
  if (outcome.reportedAfterGroup) expect(outcome.reportedAfterGroup).toEqual(report(first));
  if (outcome.reportedAfterResume) expect(outcome.reportedAfterResume).toEqual(report(resumed));
}

describe('cross-client workflow → a real Apache Kafka 4.1.1 broker', () => {
  let kafka: RealKafka | undefined;

  beforeAll(async () => {
    kafka = await startRealKafka({ timeoutMs: 300_000 });
  }, 1_500_000); // a bare machine first downloads the jars (bounded inside at 15 min)

  afterAll(async () => {
    await kafka?.stop();
  }, 120_000);

  for (const client of CLIENTS) {
    it(
      client.name,
      () => runCombination({ name: 'real Kafka', bootstrap: kafka!.bootstrap }, client),
      COMBINATION_TIMEOUT_MS,
    );
  }
});

describe('cross-client workflow → the kafkalab emulator', () => {
  let emulator: Emulator | undefined;

  beforeAll(async () => {
    await kafkaToolsEnv(); // the Java tools' jars, fetched outside the tests' own bounds
    emulator = await startEmulator({ port: 0 });
  }, 1_200_000);

  afterAll(async () => {
    await emulator?.stop();
  }, 60_000);

  for (const client of CLIENTS) {
    it(
      client.name,
      () => runCombination({ name: 'emulator', bootstrap: emulator!.bootstrap }, client),
      COMBINATION_TIMEOUT_MS,
    );
  }
});
