// `kafkalab emulator server.properties` (issue 17's "a server.properties-style file"): a broker's
// properties file as kafka-server-start.sh takes it. The file here has the shape of Kafka's own KRaft
// server.properties — settings a one-process emulator has no use for, a controller listener — and
// the emulator applies what it acts on, names the rest, opens no controller listener, and lets
// --override win, as kafka-server-start.sh's --override does.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serverProperties } from '../../src/cli/server-properties.js';
import { Admin } from '../../src/client/admin.js';
import { type SpawnedEmulator, spawnEmulator } from '../emulator/support/spawn-emulator.js';
import { runCli } from '../support/cli.js';

const FILE = [
  '# one process, broker and controller',
  'process.roles=broker,controller',
  'node.id=7',
  'controller.quorum.bootstrap.servers=127.0.0.1:0',
  'listeners=PLAINTEXT://127.0.0.1:0,CONTROLLER://127.0.0.1:0',
  'advertised.listeners=PLAINTEXT://127.0.0.1:0,CONTROLLER://127.0.0.1:0',
  'controller.listener.names=CONTROLLER',
  'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
  '! thread counts mean nothing here',
  'num.network.threads = 3',
  'log.dirs=/tmp/kraft-combined-logs',
  // A value continued on the next line, and a key given twice (the last wins, as Properties keeps it).
  'num.partitions=\\',
  '    3',
  'message.max.bytes=2000000',
  'message.max.bytes: 3000000',
  'group.max.size 9',
  '',
].join('\n');

describe('server.properties, read as Kafka reads it', () => {
  it('applies the settings the emulator acts on, names the others, drops controller listeners', () => {
    const r = serverProperties(FILE, 'server.properties');
    expect(r.unused).toEqual([
      'controller.listener.names',
      'controller.quorum.bootstrap.servers',
      'log.dirs',
      'num.network.threads',
      'process.roles',
    ]);
    expect(r.overrides).toEqual([
      'node.id=7',
      'listeners=PLAINTEXT://127.0.0.1:0',
      'advertised.listeners=PLAINTEXT://127.0.0.1:0',
      'listener.security.protocol.map=PLAINTEXT:PLAINTEXT',
      'num.partitions=3',
      'message.max.bytes=3000000',
      'group.max.size=9',
    ]);
  });
});

describe('kafkalab emulator server.properties', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kafkalab-server-properties-'));
  let emulator: SpawnedEmulator | undefined;
  afterAll(async () => {
    await emulator?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts from the file; --override wins over it; the broker describes the result', async () => {
    const file = join(dir, 'server.properties');
    writeFileSync(file, FILE);
    emulator = await spawnEmulator([file, '--override', 'message.max.bytes=4000000']);
    expect(emulator.stdout()).toMatch(/listening on PLAINTEXT:\/\/127\.0\.0\.1:\d+ \(node 7\)/);
    expect(emulator.stdout()).not.toContain('CONTROLLER');
    expect(emulator.stderr()).toContain(
      `${file}: not used by the emulator: controller.listener.names, controller.quorum.bootstrap.servers, log.dirs, num.network.threads, process.roles`,
    );
    const admin = new Admin({ bootstrap: `127.0.0.1:${emulator.port}` });
    try {
      const [cfg] = await admin.describeConfigs({
        resources: [
          { type: 'broker', name: '7', keys: ['num.partitions', 'message.max.bytes', 'group.max.size'] },
        ],
      });
      const value = (name: string) => cfg.configs.find((c) => c.name === name)?.value;
      expect(value('num.partitions')).toBe('3');
      expect(value('message.max.bytes')).toBe('4000000');
      expect(value('group.max.size')).toBe('9');
    } finally {
      await admin.close();
    }
  });

  it('a value Kafka would refuse stops the start, naming the file and setting', async () => {
    const file = join(dir, 'bad.properties');
    writeFileSync(file, 'num.partitions=zero\n');
    const r = await runCli(['emulator', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `${file}: Invalid value zero for configuration num.partitions: Not a number of type INT`,
    );
  });

  it('a file that cannot be read is named', async () => {
    const r = await runCli(['emulator', join(dir, 'missing.properties')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot read ${join(dir, 'missing.properties')}`);
  });
});
