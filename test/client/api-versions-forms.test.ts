/**
 * KIP-511: a broker that does not know the asked ApiVersions version answers UNSUPPORTED_VERSION and
 * the range it serves. Kafka writes that answer in the v0 form; librdkafka's mock cluster in the form
 * of the version asked (2.0's even in bytes that read as neither). kafkalab reads it as Kafka's Java
 * client does (ApiVersionsResponse.parse, NetworkClient): at the asked version, else as v0, and
 * retries at the highest ApiVersions version listed (v0 when none can be read).
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Admin } from '../../src/client/admin.js';
import { Connection } from '../../src/client/connection.js';
import { UnsupportedVersionError } from '../../src/client/errors.js';
import { Producer } from '../../src/client/producer/producer.js';
import { HANDLERS } from '../../src/emulator/handlers/index.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { FrameSplitter } from '../../src/protocol/frame.js';
import { Metadata } from '../../src/protocol/messages/03-metadata.js';
import { ApiVersions } from '../../src/protocol/messages/18-api-versions.js';
import { parseVersions } from '../../src/protocol/schema/versions.js';
import type { ChildCluster } from '../support/child-cluster.js';
import { startLibrdkafkaMock } from '../support/librdkafka-mock.js';

const OURS = parseVersions(ApiVersions.request.validVersions).high;
const UNSUPPORTED_VERSION = 35;

describe('ApiVersions UNSUPPORTED_VERSION answers, through emulator hooks', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
  });
  afterAll(async () => {
    await emulator.stop();
  });

  /** The emulator plays a broker that knows ApiVersions v0-2 and writes its refusal at `form`. */
  async function negotiateAgainst(form: 'asked' | 'v0'): Promise<{ asked: number[]; conn: Connection }> {
    const asked: number[] = [];
    const hook = emulator.hooks.intercept(ApiVersions.apiKey, (e) => {
      asked.push(e.version);
      if (e.version <= 2) return undefined;
      const respond = {
        errorCode: UNSUPPORTED_VERSION,
        apiKeys: [{ apiKey: ApiVersions.apiKey, minVersion: 0, maxVersion: 2 }],
      };
      return form === 'v0' ? { respond, version: 0 } : { respond };
    });
    const conn = new Connection({ host: emulator.host, port: emulator.port });
    try {
      await conn.connect();
    } finally {
      hook.remove();
    }
    return { asked, conn };
  }

  it('reads a refusal written in the asked version’s form (librdkafka) and retries at the listed max', async () => {
    const { asked, conn } = await negotiateAgainst('asked');
    try {
      expect(asked).toEqual([OURS, 2]);
      expect(conn.apiVersionsVersion).toBe(2);
      // The v2 answer is the emulator's own: the real API table.
      expect(conn.versionFor(Metadata)).toBe(
        HANDLERS.find((h) => h.api.apiKey === Metadata.apiKey)?.versions.max,
      );
    } finally {
      await conn.close();
    }
  });

  it('reads a refusal written in the v0 form (Kafka) and retries at the listed max', async () => {
    const { asked, conn } = await negotiateAgainst('v0');
    try {
      expect(asked).toEqual([OURS, 2]);
      expect(conn.apiVersionsVersion).toBe(2);
    } finally {
      await conn.close();
    }
  });
});

describe('an UNSUPPORTED_VERSION answer that reads in no form', () => {
  it('retries at v0, as Java’s NetworkClient does when no range can be read', async () => {
    const asked: number[] = [];
    // What librdkafka 2.0.2's mock cluster wrote for ApiVersions v4 (captured): error 35, a one-byte
    // array count of 1 (no compact +1), {18, 0, 2} without a tag buffer, throttle time 0, no tags.
    const refusal = Buffer.from('00230100120000000200000000', 'hex');
    const server = net.createServer((socket) => {
      const splitter = new FrameSplitter();
      socket.on('data', (chunk) => {
        for (const frame of splitter.push(chunk)) {
          const version = frame.readInt16BE(6);
          asked.push(version);
          const body =
            version === 0
              ? Buffer.from('000000000002001200000002000300000005', 'hex') // ok: {18: 0-2}, {3: 0-5}
              : refusal;
          const head = Buffer.alloc(8);
          head.writeInt32BE(4 + body.length, 0);
          head.writeInt32BE(frame.readInt32BE(8), 4);
          socket.write(Buffer.concat([head, body]));
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const conn = new Connection({ host: '127.0.0.1', port: (server.address() as net.AddressInfo).port });
    try {
      await conn.connect();
      expect(asked).toEqual([OURS, 0]);
      expect(conn.apiVersionsVersion).toBe(0);
      expect(conn.versionFor(Metadata)).toBe(5);
    } finally {
      await conn.close();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe('against librdkafka’s mock cluster (python3-confluent-kafka)', () => {
  let mock: ChildCluster;
  beforeAll(async () => {
    mock = await startLibrdkafkaMock();
  }, 30_000);
  afterAll(async () => {
    await mock?.stop();
  });

  it('negotiates versions, then produces and lists topics', async () => {
    const [host, port] = mock.brokers[0].split(':');
    const conn = new Connection({ host, port: Number(port) });
    try {
      await conn.connect();
      const range = conn.brokerRange(ApiVersions);
      expect(range, 'the mock lists ApiVersions').toBeDefined();
      expect(conn.apiVersionsVersion).toBeLessThanOrEqual(range?.max ?? -1);
    } finally {
      await conn.close();
    }

    const producer = new Producer({
      bootstrap: mock.bootstrap,
      retry: { retries: 10, initialBackoffMs: 50 },
    });
    try {
      const sent = await producer.send({
        topic: 'rdmock',
        messages: [
          { key: 'k', value: 'one' },
          { key: 'k', value: 'two' },
        ],
      });
      expect(sent.map((m) => m.offset)).toEqual([0n, 1n]);
    } finally {
      await producer.close();
    }
    const admin = new Admin({ bootstrap: mock.bootstrap });
    try {
      expect(await admin.listTopics()).toContain('rdmock');
      // librdkafka 2.0's mock serves Metadata v0-2, before allowAutoTopicCreation (v4): describing
      // every topic needs none; naming one is refused, as Java's admin refuses it, not sent.
      const all = await admin.describeTopics();
      expect(all.find((t) => t.topic === 'rdmock')?.partitions.length).toBeGreaterThan(0);
      const metadataMax = (await admin.cluster.anyConnection()).brokerRange(Metadata)?.max ?? -1;
      if (metadataMax < 4)
        await expect(admin.describeTopics({ topics: ['rdmock'] })).rejects.toThrow(UnsupportedVersionError);
      else expect(await admin.describeTopics({ topics: ['rdmock'] })).toHaveLength(1);
    } finally {
      await admin.close();
    }
  }, 30_000);
});
