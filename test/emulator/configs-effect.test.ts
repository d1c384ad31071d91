// Config changes take effect on the wire where the emulator applies configs: a topic's
// max.message.bytes and the broker's message.max.bytes (per broker and cluster-wide default) bound a
// Produce batch (MESSAGE_TOO_LARGE, 10); message.timestamp.after.max.ms and its log.* broker form bound
// CreateTime records (INVALID_TIMESTAMP, 32); cleanup.policy=compact set after creation requires keys
// (INVALID_RECORD, 87); message.timestamp.type=LogAppendTime switches the timestamp check off. Changes
// go through kafkalab's Admin (IncrementalAlterConfigs / AlterConfigs), produce through a bare wire client,
// on a ManualClock.
import { afterEach, describe, expect, it } from 'vitest';
import { Admin } from '../../src/client/admin.js';
import { type Emulator, ManualClock, startEmulator } from '../../src/emulator/index.js';
import { Produce } from '../../src/protocol/messages/00-produce.js';
import { encodeRecordBatch } from '../../src/protocol/records/index.js';
import { WireClient } from './support/wire-client.js';

const NOW = 1_750_000_000_000;
const HOUR = 3_600_000;

let emulator: Emulator | undefined;
let client: WireClient | undefined;
let admin: Admin | undefined;

afterEach(async () => {
  client?.close();
  await admin?.close();
  await emulator?.stop();
  emulator = client = admin = undefined;
});

async function start(): Promise<Admin> {
  emulator = await startEmulator({ port: 0, clock: new ManualClock(NOW), topics: [{ name: 't' }] });
  client = await WireClient.connect(emulator.port);
  admin = new Admin({ bootstrap: `127.0.0.1:${emulator.port}` });
  return admin;
}

async function produce(o: { value?: string; timestamp?: number; key?: string | null } = {}) {
  const records = encodeRecordBatch({
    records: [
      { key: o.key === undefined ? 'k' : o.key, value: o.value ?? 'v', timestamp: o.timestamp ?? NOW },
    ],
  });
  const r = await client!.request(Produce, 9, {
    transactionalId: null,
    acks: -1,
    timeoutMs: 1000,
    topicData: [{ name: 't', partitionData: [{ index: 0, records }] }],
  });
  return r.responses[0].partitionResponses[0].errorCode;
}

const big = 'x'.repeat(3000);

describe('dynamic configs take effect', () => {
  it('max.message.bytes: topic override, then the broker’s message.max.bytes (per broker over default)', async () => {
    const a = await start();
    expect(await produce({ value: big })).toBe(0);
    await a.incrementalAlterConfigs({
      resources: [
        { type: 'topic', name: 't', ops: [{ name: 'max.message.bytes', op: 'set', value: '2000' }] },
      ],
    });
    expect(await produce({ value: big })).toBe(10);
    await a.incrementalAlterConfigs({
      resources: [{ type: 'topic', name: 't', ops: [{ name: 'max.message.bytes', op: 'delete' }] }],
    });
    expect(await produce({ value: big })).toBe(0);
    await a.incrementalAlterConfigs({
      resources: [
        { type: 'broker', name: '', ops: [{ name: 'message.max.bytes', op: 'set', value: '2000' }] },
      ],
    });
    expect(await produce({ value: big })).toBe(10);
    await a.incrementalAlterConfigs({
      resources: [
        { type: 'broker', name: '0', ops: [{ name: 'message.max.bytes', op: 'set', value: '100000' }] },
      ],
    });
    expect(await produce({ value: big })).toBe(0);
    // AlterConfigs with an empty set drops this broker's own value: the cluster default applies again.
    await a.alterConfigs({ resources: [{ type: 'broker', name: '0', configs: {} }] });
    expect(await produce({ value: big })).toBe(10);
  });

  it('the timestamp window, message.timestamp.type and cleanup.policy set after creation', async () => {
    const a = await start();
    expect(await produce({ timestamp: NOW + 2 * HOUR })).toBe(32);
    await a.incrementalAlterConfigs({
      resources: [
        {
          type: 'broker',
          name: '',
          ops: [{ name: 'log.message.timestamp.after.max.ms', op: 'set', value: String(3 * HOUR) }],
        },
      ],
    });
    expect(await produce({ timestamp: NOW + 2 * HOUR })).toBe(0);
    await a.incrementalAlterConfigs({
      resources: [
        {
          type: 'topic',
          name: 't',
          ops: [{ name: 'message.timestamp.after.max.ms', op: 'set', value: '1000' }],
        },
      ],
    });
    expect(await produce({ timestamp: NOW + 2 * HOUR })).toBe(32);
    await a.incrementalAlterConfigs({
      resources: [
        {
          type: 'topic',
          name: 't',
          ops: [{ name: 'message.timestamp.type', op: 'set', value: 'LogAppendTime' }],
        },
      ],
    });
    expect(await produce({ timestamp: NOW + 2 * HOUR })).toBe(0);
    expect(await produce({ key: null })).toBe(0);
    await a.incrementalAlterConfigs({
      resources: [
        { type: 'topic', name: 't', ops: [{ name: 'cleanup.policy', op: 'append', value: 'compact' }] },
      ],
    });
    expect(await produce({ key: null })).toBe(87);
    const [d] = await a.describeConfigs({
      resources: [{ type: 'topic', name: 't', keys: ['cleanup.policy'] }],
    });
    expect(d.configs.map((c) => [c.name, c.value, c.source])).toEqual([
      ['cleanup.policy', 'delete,compact', 1],
    ]);
  });

  it('validateOnly and a refused change leave everything as it was', async () => {
    const a = await start();
    await a.incrementalAlterConfigs({
      resources: [
        { type: 'topic', name: 't', ops: [{ name: 'max.message.bytes', op: 'set', value: '2000' }] },
      ],
      validateOnly: true,
    });
    expect(await produce({ value: big })).toBe(0);
    await expect(
      a.incrementalAlterConfigs({
        resources: [
          {
            type: 'topic',
            name: 't',
            ops: [
              { name: 'max.message.bytes', op: 'set', value: '2000' },
              { name: 'retention.ms', op: 'set', value: 'soon' },
            ],
          },
        ],
      }),
    ).rejects.toThrow(
      /INVALID_CONFIG.*Invalid value soon for configuration retention\.ms: Not a number of type LONG/,
    );
    expect(await produce({ value: big })).toBe(0);
  });
});
