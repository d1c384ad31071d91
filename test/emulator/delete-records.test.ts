// DeleteRecords (KIP-107) on the emulator: the log start offset moves to the offset asked (-1: the
// high watermark), never back and never past the high watermark (OFFSET_OUT_OF_RANGE); ListOffsets
// EARLIEST and Fetch follow it (a fetch below it → OFFSET_OUT_OF_RANGE); a compact-only topic →
// POLICY_VIOLATION, an internal topic → INVALID_TOPIC_EXCEPTION. Through kafkalab's Admin and
// `kafkalab delete-records --offset-json-file` (kafka-delete-records.sh's output).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseOffsetJson, runDeleteRecords } from '../../src/cli/commands/delete-records.js';
import { Admin } from '../../src/client/admin.js';
import { type Emulator, ManualClock, startEmulator } from '../../src/emulator/index.js';
import { LogClient } from './support/log-client.js';

const NOW = Date.now();

let emulator: Emulator | undefined;
let client: LogClient | undefined;
let admin: Admin | undefined;

afterEach(async () => {
  client?.close();
  await admin?.close();
  await emulator?.stop();
  emulator = client = admin = undefined;
});

async function start() {
  emulator = await startEmulator({
    port: 0,
    clock: new ManualClock(NOW),
    autoCreateTopics: false,
    topics: [{ name: 't', partitions: 2 }],
  });
  client = await LogClient.connect(emulator.port);
  admin = new Admin({ bootstrap: `127.0.0.1:${emulator.port}` });
  for (let i = 0; i < 5; i++) {
    const recs = [0, 1].map((j) => ({ key: `k${i * 2 + j}`, value: `v${i * 2 + j}`, timestamp: NOW }));
    expect((await client.produce('t', 0, recs)).errorCode).toBe(0);
  }
  return { client, admin };
}

describe('DeleteRecords', () => {
  it('moves the log start offset; EARLIEST and Fetch follow it', async () => {
    const { client, admin } = await start();
    const r = await admin.deleteRecords({ partitions: [{ topic: 't', partition: 0, offset: 3n }] });
    expect(r).toEqual([{ topic: 't', partition: 0, lowWatermark: 3n }]);
    expect(await client.listOffset('t', 0, -2n)).toEqual({ errorCode: 0, offset: 3n });
    const below = await client.fetch('t', 0, 2n);
    expect(below.errorCode).toBe(1);
    const from = await client.fetch('t', 0, 3n);
    expect(from.logStartOffset).toBe(3n);
    expect(from.records.map((x) => x.offset)).toEqual([3n, 4n, 5n, 6n, 7n, 8n, 9n]);
    // Lower than the log start: answered with the current one, nothing moves back.
    expect(await admin.deleteRecords({ partitions: [{ topic: 't', partition: 0, offset: 1n }] })).toEqual([
      { topic: 't', partition: 0, lowWatermark: 3n },
    ]);
    // -1: the high watermark; the partition is empty for consumers then.
    expect(await admin.deleteRecords({ partitions: [{ topic: 't', partition: 0, offset: -1n }] })).toEqual([
      { topic: 't', partition: 0, lowWatermark: 10n },
    ]);
    expect(await client.listOffset('t', 0, -2n)).toEqual({ errorCode: 0, offset: 10n });
    expect((await client.fetch('t', 0, 10n)).records).toEqual([]);
    // New records after it are read as usual.
    await client.produce('t', 0, [{ key: 'k', value: 'after', timestamp: NOW }]);
    expect((await client.fetch('t', 0, 10n)).records.map((x) => x.value)).toEqual(['after']);
  });

  it('refuses past the high watermark, a compact-only topic and an internal topic', async () => {
    const { admin } = await start();
    await admin.createTopics({
      topics: [{ topic: 'c', numPartitions: 1, configs: { 'cleanup.policy': 'compact' } }],
    });
    await admin.createTopics({ topics: [{ topic: '__transaction_state', numPartitions: 1 }] });
    const r = await admin.deleteRecords({
      partitions: [
        { topic: 't', partition: 0, offset: 11n },
        { topic: 't', partition: 1, offset: -2n },
        { topic: 'c', partition: 0, offset: 0n },
        { topic: '__transaction_state', partition: 0, offset: 0n },
      ],
    });
    expect(r.map((x) => [x.topic, x.partition, x.error?.type ?? x.lowWatermark])).toEqual([
      ['__transaction_state', 0, 'INVALID_TOPIC_EXCEPTION'],
      ['c', 0, 'POLICY_VIOLATION'],
      ['t', 0, 'OFFSET_OUT_OF_RANGE'],
      ['t', 1, 'OFFSET_OUT_OF_RANGE'],
    ]);
    expect(emulator!.cluster.topics.partition('t', 0)!.logStartOffset).toBe(0);
  });

  it('kafkalab delete-records prints what kafka-delete-records.sh prints', async () => {
    await start();
    const dir = mkdtempSync(join(tmpdir(), 'kafkalab-dr-'));
    const file = join(dir, 'offsets.json');
    writeFileSync(
      file,
      JSON.stringify({
        partitions: [
          { topic: 't', partition: 1, offset: 5 },
          { topic: 't', partition: 0, offset: 4 },
        ],
        version: 1,
      }),
    );
    let text = '';
    await runDeleteRecords(
      { bootstrapServer: `127.0.0.1:${emulator!.port}`, offsetJsonFile: file },
      {
        write: (s) => {
          text += s;
        },
      },
    );
    expect(text).toBe(
      'Executing records delete operation\n' +
        'Records delete operation completed:\n' +
        'partition: t-0\tlow_watermark: 4\n' +
        'partition: t-1\terror: org.apache.kafka.common.errors.OffsetOutOfRangeException: The requested offset is not within the range of offsets maintained by the server.\n',
    );
  });

  it('parses the offset JSON file as DeleteRecordsCommand does', () => {
    expect(parseOffsetJson('{"partitions":[{"topic":"a","partition":0,"offset":7}]}', 'f')).toEqual([
      { topic: 'a', partition: 0, offset: 7n },
    ]);
    expect(() => parseOffsetJson('{', 'f')).toThrow('f: The input string is not a valid JSON');
    expect(() => parseOffsetJson('{"version":2,"partitions":[]}', 'f')).toThrow(
      'Not supported version field value 2',
    );
    expect(() => parseOffsetJson('{"version":1}', 'f')).toThrow('Missing partitions field');
    expect(() => parseOffsetJson('{"partitions":[{"topic":"a","partition":0}]}', 'f')).toThrow(
      'f: partitions[0]: No such field exists: `offset`',
    );
    expect(() =>
      parseOffsetJson(
        '{"partitions":[{"topic":"a","partition":0,"offset":1},{"topic":"a","partition":0,"offset":2}]}',
        'f',
      ),
    ).toThrow('Offset json file contains duplicate topic partitions: a-0');
  });
});
