/**
 * `kafkalab emulator --data-dir DIR` as a user runs it (the built bin in a child process): records a
 * kafkajs producer had acknowledged (acks=-1) are all there after `kill -9` and a restart — the
 * rule of persistence/log-files.ts, bytes written before the answer — the stale lock is reported,
 * and damage in a segment stops the start with the file and byte offset and exit code 1.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI_MAIN, runProcess } from '../support/cli.js';
import { type SpawnedEmulator, spawnEmulator } from './support/spawn-emulator.js';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

let dir: string | undefined;
let emulator: SpawnedEmulator | undefined;

afterEach(async () => {
  await emulator?.stop('SIGKILL');
  emulator = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function kafkaAt(port: number): Kafka {
  return new Kafka({ clientId: 'cli-data-dir', brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING });
}

async function readValues(kafka: Kafka, topic: string, count: number): Promise<string[]> {
  const consumer = kafka.consumer({ groupId: `reader-${Date.now()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const values: string[] = [];
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        eachMessage: async ({ message }) => {
          values.push(`${message.offset}:${message.value}`);
          if (values.length === count) resolve();
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  return values;
}

describe('kafkalab emulator --data-dir', () => {
  it('keeps every acknowledged record through kill -9, and refuses a damaged segment', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kafkalab-cli-data-'));
    emulator = await spawnEmulator(['--port', '0', '--data-dir', dir]);
    const producer = kafkaAt(emulator.port).producer();
    await producer.connect();
    for (let i = 0; i < 20; i++)
      await producer.send({ topic: 'crash', acks: -1, messages: [{ partition: 0, value: `r${i}` }] });
    await producer.disconnect();
    expect(await emulator.stop('SIGKILL')).toBeNull();

    emulator = await spawnEmulator(['--port', '0', '--data-dir', dir]);
    expect(emulator.stderr()).toMatch(
      /^kafkalab emulator: recovery: .*\.lock: stale lock of process \d+ \(not running\) taken over: the last stop was not clean$/m,
    );
    const values = await readValues(kafkaAt(emulator.port), 'crash', 20);
    expect(values).toEqual(Array.from({ length: 20 }, (_, i) => `${i}:r${i}`));
    expect(await emulator.stop('SIGTERM')).toBe(0);
    emulator = undefined;

    const segment = join(
      dir,
      'crash-0',
      readdirSync(join(dir, 'crash-0')).filter((f) => f.endsWith('.log'))[0],
    );
    const bytes = readFileSync(segment);
    bytes[bytes.readInt32BE(8) + 12 - 1] ^= 0x01; // the first batch's last byte (its value): its CRC fails
    writeFileSync(segment, bytes);
    const run = await runProcess(process.execPath, [CLI_MAIN, 'emulator', '--port', '0', '--data-dir', dir], {
      timeoutMs: 30_000,
    });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(`^kafkalab: corrupt data file ${segment} at byte 0: CRC-32C \\d+ stored, \\d+ computed\n$`),
    );
  });
});
