/**
 * `kafkalab emulator --trace --record FILE` from the built bin, with kafkajs doing the seed's workflow
 * (create a topic, produce, consume in a group): the trace shows the learner every request, the
 * record file holds every exchange, and SIGTERM ends the process cleanly (exit code 0).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeRequestFrame } from '../../src/protocol/frame.js';
import { type SpawnedEmulator, spawnEmulator } from './support/spawn-emulator.js';

const dir = mkdtempSync(join(tmpdir(), 'kafkalab-cli-emulator-'));
let emulator: SpawnedEmulator | undefined;

afterAll(async () => {
  await emulator?.stop('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('kafkalab emulator (built bin)', () => {
  it('traces the seed workflow of a kafkajs client, records it, and stops on SIGTERM with code 0', async () => {
    const recordFile = join(dir, 'exchanges.jsonl');
    emulator = await spawnEmulator(['--port', '0', '--trace', '--record', recordFile]);
    expect(emulator.stdout()).toMatch(/^kafkalab emulator listening on 127\.0\.0\.1:\d+ \(node 0\)$/m);

    process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
    const kafka = new Kafka({
      clientId: 'seed-workflow',
      brokers: [`127.0.0.1:${emulator.port}`],
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'test', numPartitions: 2 }] });
    await admin.disconnect();

    const producer = kafka.producer();
    await producer.connect();
    const sent = Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: `hello ${i}` }));
    await producer.send({ topic: 'test', messages: sent });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: 'g', maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic: 'test', fromBeginning: true });
    const received: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${received.length} of 20 received`)), 30_000);
      void consumer
        .run({
          eachMessage: async ({ message }) => {
            received.push(String(message.value));
            if (received.length === sent.length) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();
    expect(received.sort()).toEqual(sent.map((m) => m.value).sort());

    const code = await emulator.stop('SIGTERM');
    expect(code).toBe(0);

    const trace = emulator
      .stdout()
      .split('\n')
      .filter((l) => / corr=\d+ /.test(l));
    const apis = new Set(trace.map((l) => / (\w+) v\d+ corr=/.exec(l)?.[1]));
    for (const api of [
      'ApiVersions',
      'Metadata',
      'CreateTopics',
      'Produce',
      'FindCoordinator',
      'JoinGroup',
      'SyncGroup',
      'ListOffsets',
      'Fetch',
      'OffsetCommit',
      'LeaveGroup',
    ]) {
      expect(apis, api).toContain(api);
    }
    // Every trace line names the connection, the client id, the version, sizes and latency.
    for (const line of trace) {
      expect(line).toMatch(
        /^conn#\d+ client="seed-workflow" \w+ v\d+ corr=\d+ \d+B→(\d+B|no-response|closed) \d+\.\d\dms/,
      );
    }

    const lines = readFileSync(recordFile, 'utf8').trim().split('\n');
    expect(lines.length).toBe(trace.length);
    const produce = lines.map((l) => JSON.parse(l)).find((x) => x.api === 'Produce');
    expect(produce).toMatchObject({
      apiKey: 0,
      clientId: 'seed-workflow',
      outcome: 'response',
      errorCodes: [],
    });
    // The raw request in the record decodes to the same request the JSON body describes.
    const raw = decodeRequestFrame(Buffer.from(produce.request.hex, 'hex'));
    expect(raw.header.correlationId).toBe(produce.correlationId);
    expect(produce.request.body.topicData[0].name).toBe('test');
    expect(produce.response.body.responses[0].name).toBe('test');
  });
});
