/**
 * The workflow with kafkalab's own client (src/client): Admin.createTopics, the Producer (murmur2 by
 * default), two Consumers subscribed in one group reading with run({ eachMessage }), an explicit
 * commit() by each, then a new Consumer in the same group for the resume step.
 */
import { Admin } from '../../../src/client/admin.js';
import { Consumer } from '../../../src/client/consumer/index.js';
import { Producer } from '../../../src/client/producer/index.js';
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
  running: Promise<void>;
}

export async function runWithKafkalab(
  target: Target,
  names: WorkflowNames,
  observer: Observer,
): Promise<WorkflowOutcome> {
  const { topic, group } = names;
  const admin = new Admin({ bootstrap: target.bootstrap, clientId: 'cross-client-kafkalab' });
  const producer = new Producer({ bootstrap: target.bootstrap, clientId: 'cross-client-kafkalab' });
  const members: Member[] = [];
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }] });
    const send = (messages: readonly PlannedMessage[]) =>
      producer.send({ topic, messages: messages.map((m) => ({ key: m.key, value: m.value })) });

    const start = (onMessage: () => void): Member => {
      const consumer = new Consumer({
        bootstrap: target.bootstrap,
        clientId: 'cross-client-kafkalab',
        groupId: group,
        autoOffsetReset: 'earliest',
      });
      const received: ReceivedMessage[] = [];
      consumer.subscribe(topic);
      const running = consumer.run({
        eachMessage: (r) => {
          received.push({
            partition: r.partition,
            key: r.key?.toString() ?? '',
            value: r.value?.toString() ?? '',
          });
          onMessage();
        },
      });
      running.catch(() => undefined);
      const member = { consumer, received, running };
      members.push(member);
      return member;
    };

    let total = 0;
    const groupDone = new CountLatch(FIRST.length, () => total);
    const onFirst = () => {
      total++;
      groupDone.check();
    };
    const a = start(onFirst);
    const b = start(onFirst);
    await observer.waitForGroup(group, topic, 2, [a.running, b.running], WAIT_MS);
    await send(FIRST);
    await within(Promise.race([groupDone.done, failed(a), failed(b)]), WAIT_MS, 'kafkalab group reading');
    await Promise.all([a.consumer.commit(), b.consumer.commit()]);
    await Promise.all([a.consumer.close(), b.consumer.close()]);
    const afterGroup = await observer.snapshot(names);

    await send(RESUME);
    let resumedCount = 0;
    const resumeDone = new CountLatch(RESUME.length, () => resumedCount);
    const c = start(() => {
      resumedCount++;
      resumeDone.check();
    });
    await within(Promise.race([resumeDone.done, failed(c)]), WAIT_MS, 'kafkalab resuming');
    await c.consumer.commit();
    await c.consumer.close();
    return { members: [a.received, b.received], afterGroup, resumed: c.received };
  } finally {
    await Promise.allSettled([...members.map((m) => m.consumer.close()), producer.close(), admin.close()]);
  }
}

/** Rejects when the member's run() loop ends (it only ends early on a fatal error). */
async function failed(m: Member): Promise<never> {
  await m.running;
  throw new Error('a kafkalab consumer stopped running');
}
