/**
 * One consume-transform-produce instance for the exactly-once test (exactly-once.test.ts), in its own
 * process so that it can be SIGKILLed: a consumer in a group (classic protocol, subscribe) reading
 * `input` with read_committed, and a transactional producer with its own transactional.id. Every
 * poll is one transaction: the transformed records to the same partition of `output`, and the next
 * input offset of each partition polled to the group (sendOffsetsToTransaction, KIP-447 group
 * metadata). An abortable failure (the group moved on while the transaction was open) aborts and
 * rewinds the polled partitions to where the transaction began, so that whoever owns them next, this
 * instance or another, reads them again from the group's committed offset.
 *
 *   node --import tsx exactly-once-worker.ts BOOTSTRAP INPUT OUTPUT GROUP_ID TRANSACTIONAL_ID NAME DIE_IN [PROTOCOL]
 *
 * PROTOCOL is the consumer's group.protocol: classic (default; JoinGroup/SyncGroup, range assignor)
 * or consumer (KIP-848; the broker assigns, its group.consumer.* settings time the members out).
 *
 * With DIE_IN > 0 it stops inside its DIE_IN-th transaction that has records, after the records were
 * acknowledged and the offsets added, prints `in-transaction N` (N records sent in it) and waits for
 * the parent's SIGKILL. Lines on stdout:
 *   ready                          initTransactions() done (a zombie with this id is fenced by now)
 *   assigned P,P | revoked P,P     the group's decisions, from the rebalance listener
 *   committed P:NEXT P:NEXT ...    a transaction committed: the group's offsets are now these
 *   in-transaction N               see DIE_IN
 *   aborted REASON                 an abortable error; the transaction was aborted
 * It closes its consumer and producer and exits 0 when stdin ends; exits 3 after 150 s in any case.
 */
import { Consumer, type TopicPartition } from '../../src/client/consumer/index.js';
import { Producer } from '../../src/client/producer/index.js';
import { TransactionError } from '../../src/client/producer/transaction-errors.js';

const [bootstrap, input, output, groupId, transactionalId, name, dieArg, protocolArg] = process.argv.slice(
  2,
) as [string, string, string, string, string, string, string, string | undefined];
const groupProtocol = protocolArg === 'consumer' ? 'consumer' : 'classic';
const dieIn = Number(dieArg);
const retry = { retries: 10, initialBackoffMs: 20, maxBackoffMs: 500 };
const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
const list = (ps: TopicPartition[]) => ps.map((p) => p.partition).join(',');
setTimeout(() => {
  process.stderr.write(`${name}: still running after 150 s, giving up\n`);
  process.exit(3);
}, 150_000).unref();

let stopping = false;
process.stdin.on('end', () => {
  stopping = true;
});
process.stdin.resume();

const producer = new Producer({ bootstrap, transactionalId, clientId: name, retry });
// Fences whatever producer had this transactional id before and aborts the transaction it left open.
await producer.initTransactions();
say('ready');
const consumer = new Consumer({
  bootstrap,
  clientId: name,
  groupId,
  autoCommit: false,
  autoOffsetReset: 'earliest',
  isolationLevel: 'read_committed',
  maxPollRecords: 30,
  fetchMaxWaitMs: 50,
  groupProtocol,
  // Classic only (Kafka's group.min.session.timeout.ms): the killed instance leaves the group after
  // this long. A KIP-848 group times members out by the broker's group.consumer.session.timeout.ms.
  ...(groupProtocol === 'classic' ? { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 500 } : {}),
  retry,
  listener: {
    onPartitionsAssigned: (ps) => say(`assigned ${list(ps)}`),
    onPartitionsRevoked: (ps) => say(`revoked ${list(ps)}`),
    onPartitionsLost: (ps) => say(`lost ${list(ps)}`),
  },
});
consumer.subscribe(input);

let transactions = 0;
try {
  while (!stopping) {
    const batches = (await consumer.poll()).filter((b) => b.records.length > 0);
    if (batches.length === 0) continue;
    transactions++;
    producer.beginTransaction();
    try {
      await producer.send({
        topic: output,
        messages: batches.flatMap((b) =>
          b.records.map((r) => ({ key: r.key, value: r.value, partition: b.partition })),
        ),
      });
      const next = batches.map((b) => ({
        topic: b.topic,
        partition: b.partition,
        offset: b.records[b.records.length - 1]!.offset + 1n,
      }));
      await producer.sendOffsetsToTransaction(next, consumer.groupMetadata());
      if (transactions === dieIn) {
        say(`in-transaction ${batches.reduce((n, b) => n + b.records.length, 0)}`);
        setInterval(() => {}, 1_000);
        await new Promise(() => {});
      }
      await producer.commitTransaction();
      say(`committed ${next.map((o) => `${o.partition}:${o.offset}`).join(' ')}`);
    } catch (err) {
      if (!(err instanceof TransactionError) || err.fatal) throw err;
      say(`aborted ${err.message}`);
      await producer.abortTransaction();
      // The transaction's offsets never reached the group: read these records again, or let their
      // new owner read them from the committed offset.
      const owned = new Set(consumer.assignment().map((p) => `${p.topic}:${p.partition}`));
      for (const b of batches)
        if (owned.has(`${b.topic}:${b.partition}`))
          consumer.seek({ topic: b.topic, partition: b.partition, offset: b.records[0]!.offset });
    }
  }
  await consumer.close();
  await producer.close();
  process.exit(0);
} catch (err) {
  process.stderr.write(`${name}: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
}
