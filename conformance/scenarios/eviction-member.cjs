/**
 * One kafkajs consumer-group member in its own process, for the eviction-timing scenario (a member
 * must be killable with SIGKILL: no LeaveGroup, the broker has to notice by itself).
 * argv: bootstrap groupId topic name. Prints one JSON line per event on stdout:
 *   {"name","join":true,"t","partitions":[...]}  after each GROUP_JOIN (its assignment)
 *   {"name","heartbeat":true,"t"}                after each successful Heartbeat
 * Exits when its stdin closes (the scenario ended or died) and after 120 s in any case.
 */
const { Kafka, logLevel } = require('kafkajs');

const [bootstrap, groupId, topic, name] = process.argv.slice(2);
const kafka = new Kafka({ clientId: name, brokers: [bootstrap], logLevel: logLevel.NOTHING });
// Fetches answer within 100 ms so that kafkajs heartbeats on its 1 s interval: with the default
// maxWaitTimeInMs (5000) it heartbeats only between fetches, every ~5 s when the topic is idle.
const consumer = kafka.consumer({ groupId, sessionTimeout: 6000, heartbeatInterval: 1000, maxWaitTimeInMs: 100 });
const say = (o) => process.stdout.write(`${JSON.stringify({ name, t: Date.now(), ...o })}\n`);
consumer.on(consumer.events.GROUP_JOIN, (e) => {
  say({ join: true, partitions: (e.payload.memberAssignment[topic] ?? []).slice().sort((a, b) => a - b) });
});
consumer.on(consumer.events.HEARTBEAT, () => say({ heartbeat: true }));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
setTimeout(() => process.exit(3), 120_000).unref();
(async () => {
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async () => {} });
})().catch((err) => {
  process.stderr.write(`${name}: ${err}\n`);
  process.exit(1);
});
