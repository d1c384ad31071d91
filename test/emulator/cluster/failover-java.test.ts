// Issue 16, step 5 with Apache Kafka's own clients (kafka-console-producer / -consumer from the
// 4.1.1 jars, unmodified): a 3-broker emulator, one partition at RF 3. The producer (idempotent by
// default, acks=all) is fed 100 lines at a time; between the batches the partition's leader is
// stopped, started again, the new leader killed (fenced after broker.session.timeout.ms 500, real
// time) and started. A console consumer in a group reads throughout: the Java consumer follows
// each leader change (NOT_LEADER_OR_FOLLOWER, metadata refresh) and validates its position with
// OffsetForLeaderEpoch (KIP-320) against the new leader; its group coordinator moves too when the
// broker it was on stops. Every record sent is read back exactly once, in order, and the producer
// reports no failed send. Waits are on the emulator's exchanges and the consumer's output (poke).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Admin } from '../../../src/client/admin.js';
import { controllerOf } from '../../../src/emulator/cluster/controller.js';
import { type Emulator, startEmulator } from '../../../src/emulator/index.js';
import { kafkaToolsEnv } from '../../support/kafka-tools.js';
import { poke, until } from '../../support/until.js';

const TOPIC = 'java-failover';
let emulator: Emulator;
const children = new Set<ChildProcess>();
const apisSeen = new Map<string, number>();
/** The emulator's trace lines about connections closing (why a client was disconnected). */
const closes: string[] = [];

beforeAll(async () => {
  await kafkaToolsEnv(); // fetches the jars once on a bare machine
  emulator = await startEmulator({
    brokers: 3,
    port: 0,
    brokerSessionTimeoutMs: 500,
    trace: (line) => {
      if (/ closed: (?!closed by the client)/.test(line)) closes.push(line);
    },
  });
  emulator.hooks.observe('*', (e) => {
    const errors = e.errorCodes.filter((c) => c !== 0);
    const key = `${e.api.name}${errors.length > 0 ? ` ${[...new Set(errors)].join(',')}` : ''}`;
    apisSeen.set(key, (apisSeen.get(key) ?? 0) + 1);
    poke();
  });
  const admin = new Admin({ bootstrap: emulator.bootstrap });
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 1, replicationFactor: 3 }] });
  await admin.close();
}, 900_000);

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await emulator?.stop();
});

/** One of Kafka's tools as its bin script starts it, kept running; stdout lines collected. */
async function startTool(tool: string, args: string[]) {
  const env = await kafkaToolsEnv();
  const cds =
    env.cdsArchive !== '' && existsSync(env.cdsArchive) ? [`-XX:SharedArchiveFile=${env.cdsArchive}`] : [];
  const mainClass = env.classes.get(tool);
  if (!mainClass) throw new Error(`${tool} is not in tools.properties`);
  const child = spawn(
    env.java,
    [
      ...env.jvmOptions,
      ...cds,
      `-Dlog4j2.configurationFile=${env.log4jConfig}`,
      '-cp',
      join(env.libs, '*'),
      mainClass,
      ...args,
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  children.add(child);
  const out = { lines: [] as string[], stderr: '', exit: undefined as number | null | undefined, child };
  let buffered = '';
  child.stdout?.on('data', (d) => {
    buffered += d;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    out.lines.push(...lines.filter(Boolean));
    poke();
  });
  child.stderr?.on('data', (d) => {
    out.stderr += d;
  });
  child.on('exit', (code) => {
    children.delete(child);
    out.exit = code;
    poke();
  });
  return out;
}

function leader(): number {
  const t = emulator.cluster.topics.get(TOPIC);
  return t ? controllerOf(emulator.cluster).describe(t, 0).leaderId : -2;
}

function logEnd(): number {
  return emulator.cluster.topics.get(TOPIC)?.partitions[0]?.logEndOffset ?? -1;
}

it('Java producer and group consumer lose and duplicate nothing across stop, start and kill of the leader', async () => {
  const bootstrap = emulator.addresses.join(',');
  const consumer = await startTool('kafka-console-consumer', [
    '--bootstrap-server',
    bootstrap,
    '--topic',
    TOPIC,
    '--group',
    'java-failover-group',
    '--from-beginning',
    '--consumer-property',
    'auto.commit.interval.ms=200',
    '--consumer-property',
    'metadata.max.age.ms=5000',
  ]);
  const producer = await startTool('kafka-console-producer', [
    '--bootstrap-server',
    bootstrap,
    '--topic',
    TOPIC,
    '--producer-property',
    'acks=all',
    '--producer-property',
    'linger.ms=0',
    '--producer-property',
    'retry.backoff.ms=50',
    // The console producer's own default is 3 retries (--message-send-max-retries): too few to wait
    // out a killed leader's broker.session.timeout.ms, against Kafka as here.
    '--producer-property',
    'retries=1000',
  ]);
  const sent: string[] = [];
  const feed = async (from: number) => {
    const lines = Array.from({ length: 100 }, (_, i) => `v${from + i}`);
    sent.push(...lines);
    producer.child.stdin?.write(`${lines.join('\n')}\n`);
    await until(
      `log end offset ${from + 100}`,
      () => logEnd() >= from + 100 || producer.exit !== undefined,
      120_000,
    );
    // The consumer has read them before the next leader change, so that it holds a position to
    // validate (KIP-320's OffsetForLeaderEpoch) — a consumer JVM still starting would not need to.
    await until(
      `the consumer at ${from + 100}`,
      () => consumer.lines.length >= from + 100 || consumer.exit !== undefined,
      120_000,
    );
  };
  const events: string[] = [];
  await feed(0);
  const first = leader();
  events.push(await emulator.stopBroker(first));
  await feed(100);
  events.push(await emulator.startBroker(first));
  await feed(200);
  const second = leader();
  events.push(await emulator.killBroker(second));
  await feed(300);
  events.push(await emulator.startBroker(second));
  await feed(400);
  producer.child.stdin?.end();
  await until('the producer exits', () => producer.exit !== undefined, 60_000);
  expect(producer.exit, producer.stderr).toBe(0);
  expect(producer.stderr, closes.join('\n')).not.toMatch(/Error when sending message/);
  await until(
    'every record consumed',
    () => consumer.lines.length >= sent.length || consumer.exit !== undefined,
    120_000,
  );
  expect(consumer.lines).toEqual(sent);
  expect(logEnd()).toBe(500);
  expect(events.map((l) => l.split(':')[0])).toEqual([
    `broker ${first} stopped`,
    `broker ${first} started`,
    `broker ${second} killed`,
    `broker ${second} started`,
  ]);
  // The Java consumer checked its position against the new leader after the changes (KIP-320).
  expect(apisSeen.get('OffsetForLeaderEpoch') ?? 0).toBeGreaterThan(0);
}, 400_000);
