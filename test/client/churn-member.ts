// One kafkalab consumer (groupProtocol 'consumer') in its own process, for the churn test: it must
// be killable with SIGKILL (no leave heartbeat: the coordinator has to fence it at the session
// timeout). argv: bootstrap groupId topic name. Prints one line per event on stdout:
//   assigned <p,p..> | revoked <p,p..> | lost <p,p..> | record <value>
// Exits when its stdin closes and after 120 s in any case.
import { Consumer, type TopicPartition } from '../../src/client/consumer/index.js';

const [bootstrap, groupId, topic, name] = process.argv.slice(2) as [string, string, string, string];
const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
const list = (ps: TopicPartition[]) => ps.map((p) => p.partition).join(',');
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
setTimeout(() => process.exit(3), 120_000).unref();
const consumer = new Consumer({
  bootstrap,
  clientId: name,
  groupId,
  groupProtocol: 'consumer',
  autoOffsetReset: 'earliest',
  fetchMaxWaitMs: 50,
  autoCommitIntervalMs: 100,
  listener: {
    onPartitionsAssigned: (ps) => say(`assigned ${list(ps)}`),
    onPartitionsRevoked: (ps) => say(`revoked ${list(ps)}`),
    onPartitionsLost: (ps) => say(`lost ${list(ps)}`),
  },
});
consumer.subscribe(topic);
consumer.run({ eachMessage: (r) => say(`record ${r.value!.toString()}`) }).catch((err) => {
  process.stderr.write(`${name}: ${err}\n`);
  process.exit(1);
});
