/**
 * The listeners lesson, exactly as a learner runs it: `kafkalab emulator --advertised-host 127.0.0.2`
 * (nothing listens there: Linux routes all of 127/8 to loopback, but the emulator is bound to
 * 127.0.0.1 only, so a connect to 127.0.0.2 is refused), then the console tools against the bootstrap
 * address. Bootstrap works; the Metadata answer names 127.0.0.2; the next connection fails; the
 * error says which broker, which address, who advertised it and which setting to change.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SpawnedEmulator, spawnEmulator } from '../emulator/support/spawn-emulator.js';
import { runCli } from '../support/cli.js';

function refused(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    const timer = setTimeout(() => {
      s.destroy();
      resolve(false);
    }, 5000);
    s.once('connect', () => {
      clearTimeout(timer);
      s.destroy();
      resolve(false);
    });
    s.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(err.code === 'ECONNREFUSED');
    });
  });
}

describe('the listeners lesson (built bin)', () => {
  let em: SpawnedEmulator;
  let bootstrap: string;
  beforeAll(async () => {
    em = await spawnEmulator(['--advertised-host', '127.0.0.2', '--port', '0', '--trace', '--explain']);
    bootstrap = `127.0.0.1:${em.port}`;
  });
  afterAll(() => em.stop());

  it('the advertised address is really unreachable here', async () => {
    expect(await refused('127.0.0.2', em.port)).toBe(true);
  });

  it('even creating a topic fails: CreateTopics goes to the controller, at the advertised address', async () => {
    // Kafka's admin client sends CreateTopics to the controller named in the Metadata answer
    // (issue 11 item 8), so the bootstrap connection alone cannot create one either.
    const run = await runCli([
      'topics',
      '--create',
      '--topic',
      'test',
      '--partitions',
      '2',
      '--bootstrap-server',
      bootstrap,
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`cannot connect to broker 0 at 127.0.0.2:${em.port}`);
    expect(run.stderr).toContain(`That address came from the Metadata answer of ${bootstrap}`);
  });

  it('produce fails on the advertised address, and the error says where that address came from', async () => {
    const run = await runCli(['produce', '--topic', 'test', '--bootstrap-server', bootstrap], {
      stdin: 'hello\n',
    });
    expect(run.code).toBe(1);
    const err = run.stderr;
    expect(err).toContain(`cannot connect to broker 0 at 127.0.0.2:${em.port}`);
    expect(err).toContain('ECONNREFUSED');
    expect(err).toContain(`That address came from the Metadata answer of ${bootstrap}`);
    expect(err).toContain('advertised.listeners');
    // And the emulator's side: it announced the address at start, answered Metadata with it, and
    // never saw a connection to it (every connection it traced came in on the bootstrap address).
    const out = em.stdout();
    expect(out).toContain(
      `advertised.listeners: Metadata tells clients that node 0 is at 127.0.0.2:${em.port} (this emulator listens on 127.0.0.1:${em.port})`,
    );
    expect(out).toMatch(/client="kafkalab" Metadata v\d+ corr=\d+/);
    expect(out).toMatch(/brokers\[0\]\.host\s.*"127\.0\.0\.2"/);
    expect(out.match(/^conn#\d+ client="kafkalab" Produce /m)).toBeNull();
  });
});
