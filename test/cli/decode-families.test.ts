// `kafkalab decode` on one frame of each API family added with Kafka 4.x: share groups (KIP-932),
// streams groups (KIP-1071), client telemetry (KIP-714), dynamic KRaft quorums (KIP-853), the
// renamed ListConfigResources (KIP-1142), and a Fetch response carrying a KRaft control batch. Each
// is named, explained field by field, and its JSON form uses Kafka's names. The bodies' bytes are the
// ones Kafka's own serializers write for these values (test/protocol/messages/NN-*.test.ts).
import { describe, expect, it } from 'vitest';
import { type CliIO, type DecodeOptions, runDecode } from '../../src/cli/commands/decode.js';
import { encodeRequestFrame, encodeResponseFrame } from '../../src/protocol/frame.js';
import {
  Fetch,
  ListConfigResources,
  PushTelemetry,
  ShareFetch,
  StreamsGroupHeartbeat,
  UpdateRaftVoter,
} from '../../src/protocol/messages/index.js';
import { encodeControlKey, encodeControlValue, encodeRecordBatch } from '../../src/protocol/records/index.js';

const TOPIC = Buffer.from('00000000000000000000000000000070', 'hex').toString('base64url');

async function decode(frame: Buffer, options: DecodeOptions = {}) {
  let out = '';
  let err = '';
  const io: CliIO = {
    readFile: async () => Buffer.from(frame.toString('hex')),
    readStdin: async () => Buffer.alloc(0),
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
  };
  const code = await runDecode('frame.hex', options, io);
  return { code, out, err };
}

describe('kafkalab decode: the Kafka 4.x API families', () => {
  it('ShareFetch v1 request (KIP-932): named, acknowledgement batches explained', async () => {
    const frame = encodeRequestFrame({
      api: ShareFetch,
      version: 1,
      correlationId: 7,
      clientId: 'share',
      body: {
        groupId: 'sg',
        memberId: 'm-1',
        shareSessionEpoch: 0,
        maxWaitMs: 500,
        minBytes: 1,
        maxRecords: 500,
        batchSize: 500,
        topics: [
          {
            topicId: TOPIC,
            partitions: [
              {
                partitionIndex: 0,
                acknowledgementBatches: [{ firstOffset: 0n, lastOffset: 1n, acknowledgeTypes: [1] }],
              },
            ],
          },
        ],
        forgottenTopicsData: [],
      },
    });
    const { code, out, err } = await decode(frame);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out.split('\n')[0]).toMatch(/^ShareFetch request v1 \(API key 78\), \d+ bytes$/);
    expect(out).toMatch(/INT64 +topics\[0\]\.partitions\[0\]\.acknowledgementBatches\[0\]\.lastOffset +1\b/);
    expect(out).not.toMatch(/unknown API/i);
  });

  it('StreamsGroupHeartbeat v0 request (KIP-1071) in Kafka JSON', async () => {
    const frame = encodeRequestFrame({
      api: StreamsGroupHeartbeat,
      version: 0,
      correlationId: 1,
      clientId: 'streams',
      body: { groupId: 'app', memberId: 'm-1', memberEpoch: 0, processId: 'p-1' },
    });
    const { code, out } = await decode(frame, { format: 'json' });
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(JSON.stringify(json)).toContain('"processId":"p-1"');
    expect(JSON.stringify(json)).toContain('"rebalanceTimeoutMs":-1');
  });

  it('PushTelemetry v0 (KIP-714) and UpdateRaftVoter v0 (KIP-853) requests', async () => {
    const push = encodeRequestFrame({
      api: PushTelemetry,
      version: 0,
      correlationId: 2,
      clientId: 'c',
      body: {
        clientInstanceId: TOPIC,
        subscriptionId: 7,
        terminating: true,
        compressionType: 0,
        metrics: Buffer.from('0a00', 'hex'),
      },
    });
    const a = await decode(push);
    expect(a.code).toBe(0);
    expect(a.out.split('\n')[0]).toMatch(/^PushTelemetry request v0 \(API key 72\)/);
    expect(a.out).toMatch(/BOOLEAN +terminating +true/);
    const update = encodeRequestFrame({
      api: UpdateRaftVoter,
      version: 0,
      correlationId: 3,
      clientId: 'controller',
      body: {
        clusterId: 'c1',
        currentLeaderEpoch: 4,
        voterId: 3000,
        voterDirectoryId: TOPIC,
        listeners: [{ name: 'CONTROLLER', host: 'localhost', port: 9093 }],
        kRaftVersionFeature: { minSupportedVersion: 0, maxSupportedVersion: 1 },
      },
    });
    const b = await decode(update);
    expect(b.code).toBe(0);
    expect(b.out.split('\n')[0]).toMatch(/^UpdateRaftVoter request v0 \(API key 82\)/);
    expect(b.out).toMatch(/UINT16 +listeners\[0\]\.port +9093/);
  });

  it('a ListConfigResources v1 response (KIP-1142), given --api and --version', async () => {
    const frame = encodeResponseFrame({
      api: ListConfigResources,
      version: 1,
      correlationId: 4,
      body: {
        throttleTimeMs: 0,
        errorCode: 0,
        configResources: [{ resourceName: 'g1', resourceType: 32 }],
      },
    });
    const { code, out } = await decode(frame, { api: '74', version: '1' });
    expect(code).toBe(0);
    expect(out.split('\n')[0]).toMatch(/^ListConfigResources response v1 \(API key 74\)/);
    expect(out).toMatch(/INT8 +configResources\[0\]\.resourceType +32/);
  });

  it('a Fetch response with a KRaft control batch: the batch bits and the LeaderChange record explained', async () => {
    const records = encodeRecordBatch({
      isControl: true,
      partitionLeaderEpoch: 2,
      records: [
        {
          key: encodeControlKey(2),
          value: encodeControlValue(2, {
            version: 0,
            leaderId: 1,
            voters: [{ voterId: 1 }, { voterId: 2 }, { voterId: 3 }],
            grantingVoters: [{ voterId: 1 }, { voterId: 2 }],
          }),
          timestamp: 0,
        },
      ],
    });
    const frame = encodeResponseFrame({
      api: Fetch,
      version: 12,
      correlationId: 5,
      body: {
        responses: [{ topic: '__cluster_metadata', partitions: [{ partitionIndex: 0, records }] }],
      },
    });
    const { code, out, err } = await decode(frame, { api: 'Fetch', version: '12' });
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/attributes .*isControl/);
    expect(out).toMatch(/INT16 +.*records\[0\]\.key\.type +2 +LEADER_CHANGE: a new KRaft quorum leader/);
    expect(out).toMatch(/LeaderChange: leader 1, voters 1,2,3, granted by 1,2/);
    expect(out).toMatch(/INT32 +.*records\[0\]\.value\.leaderId +1/);
    // The JSON form carries the decoded control record next to its bytes.
    const json = await decode(frame, { api: 'Fetch', version: '12', format: 'json' });
    expect(json.code).toBe(0);
    const text = JSON.stringify(JSON.parse(json.out));
    expect(text).toContain('"isControl":true');
    expect(text).toContain('"control":{"version":0,"type":2,"typeName":"leader-change"}');
    expect(text).toMatch(
      /"controlValue":\{"type":"leader-change","schema":"LeaderChangeMessage","value":\{"version":0,"leaderId":1/,
    );
  });
});
