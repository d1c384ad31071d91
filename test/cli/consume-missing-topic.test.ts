// `kafkalab consume` of a topic that does not exist, against a broker that does not create topics
// on use: one line naming the topic and what to do, exit 1 — with --group as without (a group
// subscription used to wait, print nothing and exit 0, which looks like an empty topic).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { runCli } from '../support/cli.js';

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ autoCreateTopics: false, topics: [{ name: 'present', partitions: 1 }] });
});

afterAll(async () => {
  await emulator?.stop();
});

describe('kafkalab consume --topic missing (auto-create off)', () => {
  const expected = () =>
    `kafkalab: topic 'missing' does not exist on ${emulator.bootstrap} and the broker does not create topics on use (auto.create.topics.enable=false): check the name (kafkalab topics --list), or create it with kafkalab topics --create --topic missing --bootstrap-server ${emulator.bootstrap}\n`;

  for (const group of [[], ['--group', 'g']]) {
    it(`errors, exit 1${group.length ? ' (with --group)' : ' (no group)'}`, async () => {
      const r = await runCli([
        'consume',
        '--bootstrap-server',
        emulator.bootstrap,
        '--topic',
        'missing',
        ...group,
        '--timeout-ms',
        '5000',
      ]);
      expect(r.stderr).toBe(expected());
      expect(r.stdout).toBe('');
      expect(r.code).toBe(1);
    });
  }

  it('an existing topic still reads (0 messages, exit 0, after --timeout-ms)', async () => {
    const r = await runCli([
      'consume',
      '--bootstrap-server',
      emulator.bootstrap,
      '--topic',
      'present',
      '--group',
      'g2',
      '--timeout-ms',
      '300',
    ]);
    expect(r.stderr).toBe('Processed a total of 0 messages\n');
    expect(r.code).toBe(0);
  });
});
