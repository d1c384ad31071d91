// Broker addresses in responses: the rewrite changes the addresses and nothing else (property over
// generated responses of every version of every API that carries addresses), and the proxy routes
// each rewritten address to the broker it stands for (three fake brokers on 127.0.0.1, our own
// frames on the wire). Frames the proxy cannot decode pass untouched.
import net from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeResponseFrame,
  encodeRequestFrame,
  encodeResponseFrame,
  FrameSplitter,
} from '../../src/protocol/frame.js';
import { Produce } from '../../src/protocol/messages/00-produce.js';
import { Fetch } from '../../src/protocol/messages/01-fetch.js';
import { Metadata } from '../../src/protocol/messages/03-metadata.js';
import { FindCoordinator } from '../../src/protocol/messages/10-find-coordinator.js';
import { DescribeCluster } from '../../src/protocol/messages/60-describe-cluster.js';
import type { ApiSpec } from '../../src/protocol/schema/declare.js';
import { listVersions } from '../../src/protocol/schema/versions.js';
import { addressesIn, type KafkaProxy, rewriteResponseFrame, startProxy } from '../../src/proxy/index.js';
import { messageArb } from '../support/arbitrary.js';

describe('rewriteResponseFrame', () => {
  const cases: [ApiSpec, number[]][] = [
    [Metadata, listVersions(Metadata.response.validVersions)],
    [FindCoordinator, listVersions(FindCoordinator.response.validVersions)],
    [DescribeCluster, listVersions(DescribeCluster.response.validVersions)],
    [Produce, [10, 11]],
    [Fetch, [16, 17]],
  ];
  for (const [api, versions] of cases) {
    for (const version of versions) {
      it(`${api.name} v${version}: changes the addresses only, and mapping back gives the original bytes`, () => {
        fc.assert(
          fc.property(
            messageArb(api.response, version, { maxArray: 2 }),
            fc.integer({ min: 0, max: 2 ** 31 - 1 }),
            (body, corr) => {
              const raw = encodeResponseFrame({ api, version, correlationId: corr, body: body as never });
              const decode = () => decodeResponseFrame(raw, api, version);
              const reachable = addressesIn(api.apiKey, version, decode().body).length;
              // Identity: the very same frame comes back.
              const same = rewriteResponseFrame(raw, api, version, decode(), (b) => b);
              expect(same.frame).toBe(raw);
              expect(same.faithful).toBe(true);
              const there = rewriteResponseFrame(raw, api, version, decode(), (b) => ({
                host: `${b.host}.p`,
                port: b.port,
              }));
              expect(there.changed).toBe(reachable);
              expect(there.faithful).toBe(true);
              const moved = decodeResponseFrame(there.frame, api, version);
              expect(moved.header.correlationId).toBe(corr);
              for (const b of addressesIn(api.apiKey, version, moved.body))
                expect(b.host.endsWith('.p')).toBe(true);
              const back = rewriteResponseFrame(there.frame, api, version, moved, (b) => ({
                host: b.host.slice(0, -2),
                port: b.port,
              }));
              expect(back.frame.equals(raw)).toBe(true);
            },
          ),
          { numRuns: 40 },
        );
      });
    }
  }
});

// ---- three fake brokers behind the proxy ---------------------------------------------------------

interface FakeBroker {
  nodeId: number;
  host: string;
  port: number;
  /** Request frames received, in order. */
  received: Buffer[];
  answer?: (frame: Buffer) => Buffer | undefined;
  server: net.Server;
}

async function fakeBroker(nodeId: number): Promise<FakeBroker> {
  const b = { nodeId, host: '127.0.0.1', port: 0, received: [] as Buffer[] } as FakeBroker;
  b.server = net.createServer((socket) => {
    const splitter = new FrameSplitter();
    socket.on('error', () => {});
    socket.on('data', (chunk) => {
      let frames: Buffer[];
      try {
        frames = splitter.push(chunk);
      } catch {
        b.received.push(chunk);
        socket.destroy();
        return;
      }
      for (const f of frames) {
        b.received.push(f);
        const r = b.answer?.(f);
        if (r) socket.write(r);
      }
    });
  });
  await new Promise<void>((resolve) => b.server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  b.port = (b.server.address() as net.AddressInfo).port;
  return b;
}

/** Sends one frame to host:port and resolves with the first frame that comes back (bounded). */
function exchange(address: string, frame: Buffer, timeoutMs = 10_000): Promise<Buffer> {
  const [host, port] = address.split(':');
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port: Number(port) });
    const splitter = new FrameSplitter();
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no response from ${address} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('data', (chunk) => {
      const frames = splitter.push(chunk);
      if (frames.length === 0) return;
      clearTimeout(timer);
      socket.destroy();
      resolve(frames[0]);
    });
    socket.write(frame);
  });
}

const corrOf = (frame: Buffer) => frame.readInt32BE(8);

describe('proxy in front of three brokers', () => {
  let brokers: FakeBroker[];
  let proxy: KafkaProxy;
  const warnings: string[] = [];
  const addressOf = (b: FakeBroker) => ({ nodeId: b.nodeId, host: b.host, port: b.port });

  beforeAll(async () => {
    brokers = await Promise.all([0, 1, 2].map(fakeBroker));
    const [a, b, c] = brokers;
    a.answer = (f) => {
      const apiKey = f.readInt16BE(4);
      if (apiKey === Metadata.apiKey) {
        return encodeResponseFrame({
          api: Metadata,
          version: 12,
          correlationId: corrOf(f),
          body: { brokers: brokers.map(addressOf), clusterId: 'fake', controllerId: 0, topics: [] },
        });
      }
      if (apiKey === FindCoordinator.apiKey) {
        // v3: one coordinator, or an error with no address.
        return encodeResponseFrame({
          api: FindCoordinator,
          version: 3,
          correlationId: corrOf(f),
          body: { errorCode: 15, errorMessage: 'not yet', nodeId: -1, host: '', port: -1 },
        });
      }
      // Anything else (an unknown API key): an answer of arbitrary bytes with its correlation id.
      const r = Buffer.from([0, 0, 0, 7, 0, 0, 0, 0, 0xde, 0xad, 0xbe]);
      r.writeInt32BE(corrOf(f), 4);
      return r;
    };
    b.answer = (f) =>
      encodeResponseFrame({
        api: FindCoordinator,
        version: 4,
        correlationId: corrOf(f),
        body: { coordinators: [{ key: 'g', ...addressOf(c), errorCode: 0, errorMessage: null }] },
      });
    c.answer = (f) =>
      encodeResponseFrame({
        api: DescribeCluster,
        version: 0,
        correlationId: corrOf(f),
        body: {
          clusterId: 'fake',
          controllerId: 0,
          brokers: brokers.map((x) => ({ brokerId: x.nodeId, host: x.host, port: x.port, rack: null })),
        },
      });
    proxy = await startProxy({
      upstream: `127.0.0.1:${a.port}`,
      keepExchanges: true,
      warn: (l) => warnings.push(l),
    });
  });

  afterAll(async () => {
    await proxy?.stop();
    for (const b of brokers ?? []) await new Promise<void>((resolve) => b.server.close(() => resolve()));
  });

  it('gives each broker its own listener and routes through it', async () => {
    const [a, b, c] = brokers;
    const request = encodeRequestFrame({
      api: Metadata,
      version: 12,
      correlationId: 7,
      clientId: 't',
      body: { topics: null },
    });
    const md = decodeResponseFrame(await exchange(proxy.bootstrap, request), Metadata, 12).body;
    expect(a.received.at(-1)!.equals(request)).toBe(true);
    const local = md.brokers.map((x) => `${x.host}:${x.port}`);
    expect(md.brokers.map((x) => x.nodeId)).toEqual([0, 1, 2]);
    // The bootstrap broker keeps the bootstrap listener; the others get one each.
    expect(local[0]).toBe(proxy.bootstrap);
    expect(new Set(local).size).toBe(3);
    for (const x of md.brokers) expect(x.host).toBe('127.0.0.1');
    expect(md.brokers.map((x) => x.port).some((p) => brokers.some((f) => f.port === p))).toBe(false);
    expect(
      proxy
        .listeners()
        .map((l) => [l.upstream, l.nodeId])
        .sort(),
    ).toEqual(brokers.map((f) => [`127.0.0.1:${f.port}`, f.nodeId]).sort());

    // Broker 1's listener reaches broker 1, whose FindCoordinator v4 names broker 2 → rewritten.
    const fc4 = encodeRequestFrame({
      api: FindCoordinator,
      version: 4,
      correlationId: 8,
      clientId: 't',
      body: { keyType: 0, coordinatorKeys: ['g'] },
    });
    const before = b.received.length;
    const coord = decodeResponseFrame(await exchange(local[1], fc4), FindCoordinator, 4).body;
    expect(b.received.length).toBe(before + 1);
    expect(`${coord.coordinators[0].host}:${coord.coordinators[0].port}`).toBe(local[2]);

    // Broker 2's listener reaches broker 2, whose DescribeCluster names all three → all rewritten.
    const dc = encodeRequestFrame({
      api: DescribeCluster,
      version: 0,
      correlationId: 9,
      clientId: 't',
      body: { includeClusterAuthorizedOperations: false },
    });
    const cluster = decodeResponseFrame(await exchange(local[2], dc), DescribeCluster, 0).body;
    expect(c.received.at(-1)!.equals(dc)).toBe(true);
    expect(cluster.brokers.map((x) => `${x.host}:${x.port}`)).toEqual(local);
    expect(warnings).toEqual([]);
  });

  it('forwards an error FindCoordinator v3 (no address) byte for byte', async () => {
    const req = encodeRequestFrame({
      api: FindCoordinator,
      version: 3,
      correlationId: 10,
      clientId: 't',
      body: { key: 'g', keyType: 0 },
    });
    const got = await exchange(proxy.bootstrap, req);
    const sent = brokers[0].answer!(req)!;
    expect(got.equals(sent)).toBe(true);
    const x = proxy.exchanges.find((e) => e.correlationId === 10)!;
    expect(x.rewrites).toEqual([]);
    expect(x.response!.original).toBeUndefined();
  });

  it('forwards a request it cannot decode, and its answer, untouched, with a warning', async () => {
    const req = Buffer.from([0, 0, 0, 10, 0x03, 0xe7, 0, 0, 0, 0, 0, 42, 0xff, 0xff]); // API key 999
    const before = warnings.length;
    const got = await exchange(proxy.bootstrap, req);
    expect(brokers[0].received.at(-1)!.equals(req)).toBe(true);
    expect(got.equals(Buffer.from([0, 0, 0, 7, 0, 0, 0, 42, 0xde, 0xad, 0xbe]))).toBe(true);
    expect(warnings.slice(before)).toHaveLength(1);
    expect(warnings.at(-1)).toMatch(
      /apiKey=999 v0 corr=42: request of 14 bytes does not decode \(unknown API key 999.*forwarded untouched$/,
    );
  });

  it('forwards a stream that is not Kafka framing as raw bytes', async () => {
    const bytes = Buffer.from([0xff, 0xff, 0xff, 0xf0, 1, 2, 3]); // negative frame size
    const before = brokers[0].received.length;
    await new Promise<void>((resolve, reject) => {
      const [host, port] = proxy.bootstrap.split(':');
      const s = net.connect({ host, port: Number(port) }, () => s.write(bytes));
      const timer = setTimeout(() => reject(new Error('upstream never closed the connection')), 10_000);
      s.on('error', () => {});
      s.on('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    expect(Buffer.concat(brokers[0].received.slice(before)).equals(bytes)).toBe(true);
    expect(warnings.at(-1)).toMatch(
      /request stream: frame size -16 is negative at 0x0 \(size\); forwarding the rest untouched/,
    );
  });
});
