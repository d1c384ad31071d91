// Client quotas on the emulator: AlterClientQuotas / DescribeClientQuotas with Kafka's validation,
// the rate sensor and throttle formula of Kafka's ClientQuotaManager (on a ManualClock-free path: the
// sensor is driven with explicit times), and a consumer over consumer_byte_rate getting an empty
// Fetch with throttleTimeMs — which kafkalab's Connection then honours before its next request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connection } from '../../src/client/connection.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { ClientQuotas, RateSensor } from '../../src/emulator/state/quotas.js';
import {
  AlterClientQuotas,
  DescribeClientQuotas,
  Fetch,
  Produce,
} from '../../src/protocol/messages/index.js';
import { encodeRecordBatch } from '../../src/protocol/records/index.js';

describe('ClientQuotas (state)', () => {
  it('alter validates as Kafka and describe filters exact / default / any, strict or not', () => {
    const q = new ClientQuotas();
    const r = q.alter(
      [
        {
          entity: [{ entityType: 'user', entityName: 'alice' }],
          ops: [{ key: 'producer_byte_rate', value: 1024, remove: false }],
        },
        {
          entity: [{ entityType: 'client-id', entityName: null }],
          ops: [{ key: 'consumer_byte_rate', value: 2048, remove: false }],
        },
        {
          entity: [
            { entityType: 'user', entityName: 'alice' },
            { entityType: 'client-id', entityName: 'app' },
          ],
          ops: [{ key: 'request_percentage', value: 12.5, remove: false }],
        },
        {
          entity: [{ entityType: 'user', entityName: 'bob' }],
          ops: [{ key: 'producer_byte_rate', value: 1.5, remove: false }],
        },
        {
          entity: [{ entityType: 'user', entityName: 'bob' }],
          ops: [{ key: 'nope', value: 1, remove: false }],
        },
        { entity: [{ entityType: 'group', entityName: 'g' }], ops: [] },
        { entity: [], ops: [] },
        {
          entity: [
            { entityType: 'ip', entityName: '1.2.3.4' },
            { entityType: 'user', entityName: 'x' },
          ],
          ops: [],
        },
      ],
      false,
    );
    // Results come in Kafka's HashMap order; compared as a set here.
    expect(r.map((x) => [x.errorCode, x.errorMessage]).sort()).toEqual(
      [
        [0, null],
        [0, null],
        [0, null],
        [42, 'producer_byte_rate cannot be a fractional value.'],
        [42, 'Ignoring duplicate entity ClientQuotaEntity(entries={user=bob})'],
        [42, 'Unhandled client quota entity type: group'],
        [42, 'Invalid empty client quota entity'],
        [42, 'Invalid quota entity combination, IP entity shouldnot be combined with User or ClientId'],
      ].sort(),
    );
    const users = q.describe([{ entityType: 'user', matchType: 2, match: null }], false);
    // Any user: alice alone and alice with client app (not the client-id default).
    expect(
      users.entries?.map((e) => e.entity.map((x) => `${x.entityType}=${x.entityName}`).join(',')),
    ).toEqual(['user=alice,client-id=app', 'user=alice']);
    expect(q.describe([{ entityType: 'user', matchType: 0, match: 'alice' }], true).entries).toEqual([
      {
        entity: [{ entityType: 'user', entityName: 'alice' }],
        values: [{ key: 'producer_byte_rate', value: 1024 }],
      },
    ]);
    expect(q.describe([{ entityType: 'client-id', matchType: 1, match: null }], true).entries).toEqual([
      {
        entity: [{ entityType: 'client-id', entityName: null }],
        values: [{ key: 'consumer_byte_rate', value: 2048 }],
      },
    ]);
    expect(q.describe([{ entityType: 'topic', matchType: 2, match: null }], false)).toEqual({
      errorCode: 35,
      errorMessage: 'Unsupported entity type topic',
      entries: null,
    });
    // validateOnly changes nothing; remove takes a key away (and the entity with its last key).
    q.alter(
      [
        {
          entity: [{ entityType: 'user', entityName: 'alice' }],
          ops: [{ key: 'producer_byte_rate', value: 1, remove: true }],
        },
      ],
      true,
    );
    expect(q.describe([{ entityType: 'user', matchType: 0, match: 'alice' }], true).entries).toHaveLength(1);
    q.alter(
      [
        {
          entity: [{ entityType: 'user', entityName: 'alice' }],
          ops: [{ key: 'producer_byte_rate', value: 0, remove: true }],
        },
      ],
      false,
    );
    expect(q.describe([{ entityType: 'user', matchType: 0, match: 'alice' }], true).entries).toEqual([]);
  });

  it("throttles as Kafka's formula says: (observed − quota) / quota × window", () => {
    const q = new ClientQuotas();
    q.alter(
      [
        {
          entity: [{ entityType: 'client-id', entityName: 'c' }],
          ops: [{ key: 'producer_byte_rate', value: 1000, remove: false }],
        },
      ],
      false,
    );
    // 11 samples of 1 s: the first record is averaged over at least 10 s, so 10 000 bytes are in quota…
    expect(q.recordAndThrottle('producer_byte_rate', 'ANONYMOUS', 'c', 10_000, 0)).toBe(0);
    // …and 10 000 more at once are 20 000 / 10 s = 2000 B/s: (2000 − 1000) / 1000 × 10 000 ms.
    expect(q.recordAndThrottle('producer_byte_rate', 'ANONYMOUS', 'c', 10_000, 0)).toBe(10_000);
    // Another client id has its own sensor and no quota.
    expect(q.recordAndThrottle('producer_byte_rate', 'ANONYMOUS', 'd', 1e9, 0)).toBe(0);
    const s = new RateSensor();
    s.record(500, 0);
    expect(s.windowSize(0)).toBe(10_000);
    expect(s.windowSize(12_500)).toBe(12_500 - 12_500 + 10_000);
  });
});

describe('quotas over the wire', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, topics: [{ name: 'q', partitions: 1 }] });
  });
  afterAll(() => emulator?.stop());

  it('AlterClientQuotas then DescribeClientQuotas, and a Fetch over consumer_byte_rate is throttled and honoured', async () => {
    const conn = new Connection({ host: '127.0.0.1', port: emulator.port, clientId: 'slow-reader' });
    await conn.connect();
    try {
      const altered = await conn.request(AlterClientQuotas, {
        entries: [
          {
            entity: [{ entityType: 'client-id', entityName: 'slow-reader' }],
            ops: [{ key: 'consumer_byte_rate', value: 100, remove: false }],
          },
        ],
        validateOnly: false,
      });
      expect(altered.entries.map((e) => e.errorCode)).toEqual([0]);
      const described = await conn.request(DescribeClientQuotas, {
        components: [{ entityType: 'client-id', matchType: 0, match: 'slow-reader' }],
        strict: true,
      });
      expect(described.entries).toEqual([
        {
          entity: [{ entityType: 'client-id', entityName: 'slow-reader' }],
          values: [{ key: 'consumer_byte_rate', value: 100 }],
        },
      ]);
      const records = encodeRecordBatch({ records: [{ value: Buffer.alloc(4000, 1) }] } as never);
      await conn.request(Produce, {
        transactionalId: null,
        acks: -1,
        timeoutMs: 5000,
        topicData: [{ name: 'q', partitionData: [{ index: 0, records }] }],
      } as never);
      const fetch = () =>
        conn.request(
          Fetch,
          {
            replicaId: -1,
            maxWaitMs: 0,
            minBytes: 0,
            maxBytes: 1 << 20,
            isolationLevel: 0,
            sessionId: 0,
            sessionEpoch: -1,
            topics: [
              {
                topic: 'q',
                topicId: 'AAAAAAAAAAAAAAAAAAAAAA',
                partitions: [
                  {
                    partition: 0,
                    currentLeaderEpoch: -1,
                    fetchOffset: 0n,
                    lastFetchedEpoch: -1,
                    logStartOffset: -1n,
                    partitionMaxBytes: 1 << 20,
                  },
                ],
              },
            ],
            forgottenTopicsData: [],
            rackId: '',
          } as never,
          { maxVersion: 12 },
        );
      // 4 KB over ≥ 10 s is 400 B/s against a 100 B/s quota: throttled, no data.
      const first = (await fetch()) as { throttleTimeMs: number; responses: unknown[] };
      expect(first.throttleTimeMs).toBeGreaterThan(0);
      expect(first.responses).toEqual([]);
      expect(conn.throttleCount).toBe(1);
    } finally {
      await conn.close();
    }
  });
});
