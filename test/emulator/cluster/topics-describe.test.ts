// Issue 16: `kafkalab topics --describe` against a 3-broker emulator with a broker stopped prints
// what Kafka 4.1.1's kafka-topics (TopicCommand, from the Maven jars) prints for the same commands
// on the same cluster, byte for byte: leaders moved, shrunk ISRs, an offline partition ("Leader:
// none", an empty ISR and its last in-sync replica as eligible leader replica), the KIP-966
// Elr/LastKnownElr columns, and the --under-replicated-partitions /
// --unavailable-partitions / --under-min-isr-partitions / --at-min-isr-partitions filters.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Admin } from '../../../src/client/admin.js';
import { type Emulator, startEmulator } from '../../../src/emulator/index.js';
import { runCli } from '../../support/cli.js';
import { kafkaToolsEnv, runKafkaTool } from '../../support/kafka-tools.js';

let emulator: Emulator;

beforeAll(async () => {
  await kafkaToolsEnv();
  emulator = await startEmulator({ brokers: 3, port: 0 });
  const admin = new Admin({ bootstrap: emulator.bootstrap });
  await admin.createTopics({
    topics: [
      { topic: 'td', numPartitions: 3, replicationFactor: 3 },
      { topic: 'solo', numPartitions: 1, replicationFactor: 1 },
      { topic: 'min2', numPartitions: 1, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } },
    ],
  });
  await admin.close();
  await emulator.stopBroker(0);
}, 900_000);

afterAll(async () => {
  await emulator?.stop();
});

const COMMANDS = [
  ['--describe', '--topic', 'td'],
  ['--describe', '--topic', 'solo'],
  ['--describe', '--exclude-internal'],
  ['--describe', '--under-replicated-partitions', '--exclude-internal'],
  ['--describe', '--unavailable-partitions', '--exclude-internal'],
  ['--describe', '--under-min-isr-partitions', '--exclude-internal'],
  ['--describe', '--at-min-isr-partitions', '--exclude-internal'],
];

it('prints what kafka-topics prints for leaders, ISR and offline partitions', async () => {
  const bootstrap = emulator.addresses[1] as string;
  for (const args of COMMANDS) {
    const java = await runKafkaTool('kafka-topics', ['--bootstrap-server', bootstrap, ...args], {
      timeoutMs: 90_000,
    });
    const ours = await runCli(['topics', '--bootstrap-server', bootstrap, ...args]);
    expect({ args, code: ours.code, stdout: ours.stdout }).toEqual({
      args,
      code: java.exitCode,
      stdout: java.stdout,
    });
  }
  // Not vacuous: the offline partition and the moved leader are in what both printed.
  const solo = await runCli(['topics', '--bootstrap-server', bootstrap, '--describe', '--topic', 'solo']);
  expect(solo.stdout).toContain('\tLeader: none\tReplicas: 0\tIsr: \tElr: 0\tLastKnownElr: 0\n');
}, 600_000);
