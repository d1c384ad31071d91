/**
 * The workflow with kafkajs 2.2.4: admin.createTopics, a producer with the Java-compatible
 * DefaultPartitioner (murmur2), two consumers in one group reading with eachMessage, an explicit
 * commitOffsets by each member, then a new consumer in the same group for the resume step.
 */
import { type Consumer, Kafka, logLevel, Partitioners } from 'kafkajs';
import type { Observer } from './observer.js';
import {
  CountLatch,
  FIRST,
  PARTITIONS,
  type PlannedMessage,
  RESUME,
  type ReceivedMessage,
  type Target,
  type WorkflowNames,
  type WorkflowOutcome,
  within,
} from './plan.js';

const WAIT_MS = 120_000;

interface Member {
  consumer: Consumer;
  received: ReceivedMessage[];
  /** Next offset to commit, per partition this member read. */
  next: Map<number, bigint>;
}

export async function runWithKafkajs(
  target: Target,
  names: WorkflowNames,
  observer: Observer,
): Promise<WorkflowOutcome> {
  const { topic, group } = names;
  const kafka = new Kafka({
    clientId: 'cross-client-kafkajs',
    brokers: [target.bootstrap],
    logLevel: logLevel.NOTHING,
    retry: { retries: 10 },
  });
  const admin = kafka.admin();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  const members: Member[] = [];
  try {
    await admin.connect();
    const created = await admin.createTopics({
      topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }],
      waitForLeaders: true,
    });
    if (!created) throw new Error(`kafkajs says ${topic} already existed`);
    await producer.connect();
    const send = (messages: readonly PlannedMessage[]) =>
      producer.send({ topic, messages: messages.map((m) => ({ key: m.key, value: m.value })) });

    let total = 0;
    const groupDone = new CountLatch(FIRST.length, () => total);
    const start = async (onMessage: () => void): Promise<Member> => {
      const member: Member = {
        consumer: kafka.consumer({ groupId: group }),
        received: [],
        next: new Map(),
      };
      members.push(member);
      await member.consumer.connect();
      await member.consumer.subscribe({ topic, fromBeginning: true });
      await member.consumer.run({
        eachMessage: async ({ partition, message }) => {
          member.received.push({
            partition,
            key: message.key?.toString() ?? '',
            value: message.value?.toString() ?? '',
          });
          member.next.set(partition, BigInt(message.offset) + 1n);
          onMessage();
        },
      });
      return member;
    };
    const onFirst = () => {
      total++;
      groupDone.check();
    };
    const [a, b] = [await start(onFirst), await start(onFirst)];
    await observer.waitForGroup(group, topic, 2, [], WAIT_MS);
    await send(FIRST);
    await within(groupDone.done, WAIT_MS, `kafkajs group reading ${FIRST.length} messages`);
    for (const m of [a, b]) {
      await m.consumer.commitOffsets(
        [...m.next].map(([partition, offset]) => ({ topic, partition, offset: String(offset) })),
      );
    }
    await Promise.all([a.consumer.disconnect(), b.consumer.disconnect()]);
    const afterGroup = await observer.snapshot(names);

    await send(RESUME);
    let resumedCount = 0;
    const resumeDone = new CountLatch(RESUME.length, () => resumedCount);
    const c = await start(() => {
      resumedCount++;
      resumeDone.check();
    });
    await within(resumeDone.done, WAIT_MS, `kafkajs resuming with ${RESUME.length} messages`);
    await c.consumer.commitOffsets(
      [...c.next].map(([partition, offset]) => ({ topic, partition, offset: String(offset) })),
    );
    return { members: [a.received, b.received], afterGroup, resumed: c.received };
  } finally {
    await Promise.allSettled([
      ...members.map((m) => m.consumer.disconnect()),
      producer.disconnect(),
      admin.disconnect(),
    ]);
  }
}
