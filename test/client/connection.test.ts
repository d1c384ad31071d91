/**
 * Connection against the in-process emulator: negotiation, pipelining, per-request timeouts, clean
 * close, a dropped connection naming the broker; and the KIP-511 ApiVersions downgrade against a
 * small fake broker that only knows ApiVersions v0-2.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connection } from '../../src/client/connection.js';
import { ConnectionError, RequestTimeoutError, UnsupportedVersionError } from '../../src/client/errors.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { encodeResponseFrame, FrameSplitter } from '../../src/protocol/frame.js';
import { Produce } from '../../src/protocol/messages/00-produce.js';
import { Metadata } from '../../src/protocol/messages/03-metadata.js';
import { Heartbeat } from '../../src/protocol/messages/12-heartbeat.js';
import { ApiVersions } from '../../src/protocol/messages/18-api-versions.js';
import { ShareGroupHeartbeat } from '../../src/protocol/messages/76-share-group-heartbeat.js';
import { parseVersions } from '../../src/protocol/schema/versions.js';
import { unusedPort } from './support/ports.js';

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, topics: [{ name: 'conn', partitions: 1 }] });
});

afterAll(async () => {
  await emulator.stop();
});

function connect(options: { requestTimeoutMs?: number } = {}): Connection {
  return new Connection({ host: emulator.host, port: emulator.port, ...options });
}

describe('Connection', () => {
  it('negotiates with ApiVersions first and picks the highest common version', async () => {
    const seen: { api: string; version: number }[] = [];
    const obs = emulator.hooks.observe('*', (e) => seen.push({ api: e.api.name, version: e.version }));
    const c = connect();
    try {
      await c.connect();
      expect(c.apiVersionsVersion).toBe(4);
      const served = c.brokerRange(Metadata);
      expect(served).toBeDefined();
      // The highest version both declare (not a constant: the declarations grow, Metadata v13 in 4.x).
      const ours = parseVersions(Metadata.request.validVersions).high;
      expect(c.versionFor(Metadata)).toBe(Math.min(served!.max, ours));
      expect(c.versionFor(Metadata, { maxVersion: 4 })).toBe(4);
      await c.request(Metadata, { topics: [] });
      expect(seen[0]).toEqual({ api: 'ApiVersions', version: 4 });
      expect(seen[1]).toEqual({ api: 'Metadata', version: c.versionFor(Metadata) });
      // The emulator does not serve KIP-932's ShareGroupHeartbeat: asking is a typed error, not a closed socket.
      expect(() => c.versionFor(ShareGroupHeartbeat)).toThrow(UnsupportedVersionError);
      expect(() => c.versionFor(Heartbeat, { minVersion: 99 })).toThrow(/no common Heartbeat version/);
    } finally {
      obs.remove();
      await c.close();
    }
  });

  it('pipelines: many requests are written before the first answer and each gets its own response', async () => {
    const c = connect();
    await c.connect();
    try {
      const delayed = emulator.hooks.delay(3, 30, { times: 1 });
      const names = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 'conn' : `missing-${i}`));
      const all = names.map((name) =>
        c.request(Metadata, { topics: [{ name }], allowAutoTopicCreation: false }),
      );
      // All 20 are on the wire while the first is still held by the emulator.
      expect(c.pending).toBe(20);
      const answers = await Promise.all(all);
      delayed.remove();
      answers.forEach((a, i) => {
        expect(a.topics[0].name).toBe(names[i]);
        expect(a.topics[0].errorCode).toBe(i % 2 === 0 ? 0 : 3);
      });
      expect(c.pending).toBe(0);
    } finally {
      await c.close();
    }
  });

  it('times a request out, names the broker and closes the connection (as Java does)', async () => {
    const c = connect({ requestTimeoutMs: 150 });
    await c.connect();
    const dropped = emulator.hooks.drop(3, { times: 1 });
    try {
      const started = performance.now();
      const err = await c.request(Metadata, { topics: [] }).catch((e) => e);
      expect(err).toBeInstanceOf(RequestTimeoutError);
      expect(err.retriable).toBe(true);
      expect(err.message).toContain(`${emulator.host}:${emulator.port}`);
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
      expect(c.closed).toBe(true);
    } finally {
      dropped.remove();
      await c.close();
    }
  });

  it('a short-timeout request queued behind a long one times out on its own deadline (one timer per connection)', async () => {
    const c = connect();
    await c.connect();
    const dropped = emulator.hooks.drop(3, { times: 2 });
    try {
      const started = performance.now();
      // The long one arms the connection's timer for 60 s; the short one must re-arm it for 150 ms.
      const long = c.request(Metadata, { topics: [] }, { timeoutMs: 60_000 }).catch((e) => e);
      const short = await c.request(Metadata, { topics: [] }, { timeoutMs: 150 }).catch((e) => e);
      const waited = performance.now() - started;
      expect(short).toBeInstanceOf(RequestTimeoutError);
      expect(waited).toBeGreaterThanOrEqual(140);
      expect(waited).toBeLessThan(10_000);
      // Java closes the connection on a timeout: the long request fails with it, not by its own timer.
      const longErr = await long;
      expect(longErr).toBeInstanceOf(ConnectionError);
      expect(longErr).not.toBeInstanceOf(RequestTimeoutError);
    } finally {
      dropped.remove();
      await c.close();
    }
  });

  it('rejects every in-flight request with an error naming the broker when the broker closes', async () => {
    const c = connect();
    await c.connect();
    const closer = emulator.hooks.drop(3, { close: true, times: 1 });
    try {
      const errors = await Promise.all([
        c.request(Metadata, { topics: [] }).catch((e) => e),
        c.request(Metadata, { topics: [] }).catch((e) => e),
      ]);
      for (const err of errors) {
        expect(err).toBeInstanceOf(ConnectionError);
        expect(err.message).toContain(`${emulator.host}:${emulator.port}`);
        expect(err.retriable).toBe(true);
      }
    } finally {
      closer.remove();
      await c.close();
    }
  });

  it('sends acks=0 Produce without waiting for a response and keeps the correlation ids in step', async () => {
    const c = connect();
    await c.connect();
    try {
      const version = c.versionFor(Produce, { minVersion: 3 });
      // An empty partition list is a valid acks=0 request; the broker answers nothing.
      await c.sendOneWay(Produce, { acks: 0, timeoutMs: 1000, topicData: [] }, { version });
      const meta = await c.request(Metadata, { topics: [{ name: 'conn' }] });
      expect(meta.topics[0].name).toBe('conn');
    } finally {
      await c.close();
    }
  });

  it('close() fails what is in flight and is idempotent', async () => {
    const c = connect();
    await c.connect();
    const held = emulator.hooks.delay(3, 200, { times: 1 });
    const pending = c.request(Metadata, { topics: [] }).catch((e) => e);
    await c.close();
    await c.close();
    held.remove();
    const err = await pending;
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.message).toMatch(/closed by the client/);
    await expect(c.request(Metadata, { topics: [] })).rejects.toThrow(/closed/);
  });

  it('reports a refused connection with the address', async () => {
    const free = await unusedPort();
    const c = new Connection({ host: '127.0.0.1', port: free });
    await expect(c.connect()).rejects.toThrow(new RegExp(`127\\.0\\.0\\.1:${free}`));
  });
});

describe('ApiVersions downgrade (KIP-511)', () => {
  it('retries at the highest version the broker reports when it answers UNSUPPORTED_VERSION', async () => {
    const asked: number[] = [];
    const server = net.createServer((socket) => {
      const splitter = new FrameSplitter();
      socket.on('data', (chunk) => {
        for (const frame of splitter.push(chunk)) {
          const version = frame.readInt16BE(6);
          const correlationId = frame.readInt32BE(8);
          asked.push(version);
          // A broker that knows only ApiVersions v0-2: v0 body with the error, as Kafka does.
          const answer =
            version > 2
              ? encodeResponseFrame({
                  api: ApiVersions,
                  version: 0,
                  correlationId,
                  body: { errorCode: 35, apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 2 }] },
                })
              : encodeResponseFrame({
                  api: ApiVersions,
                  version,
                  correlationId,
                  body: {
                    errorCode: 0,
                    apiKeys: [
                      { apiKey: 18, minVersion: 0, maxVersion: 2 },
                      { apiKey: 3, minVersion: 0, maxVersion: 5 },
                    ],
                  },
                });
          socket.write(answer);
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    const c = new Connection({ host: '127.0.0.1', port });
    try {
      await c.connect();
      expect(asked).toEqual([4, 2]);
      expect(c.apiVersionsVersion).toBe(2);
      expect(c.versionFor(Metadata)).toBe(5);
    } finally {
      await c.close();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
