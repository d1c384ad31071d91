/**
 * Cluster against the in-process emulator: bootstrap, metadata cache and refresh on the errors that
 * call for it, the advertised.listeners error for an address learnt from Metadata, and reconnect with
 * backoff after the broker stops and comes back on the same port.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Cluster } from '../../src/client/cluster.js';
import { KafkaProtocolError, UnreachableAdvertisedAddressError } from '../../src/client/errors.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { Metadata } from '../../src/protocol/messages/03-metadata.js';
import { unusedPort } from './support/ports.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function emulatorWith(options: Parameters<typeof startEmulator>[0]): Promise<Emulator> {
  const e = await startEmulator(options);
  cleanup.push(() => e.stop());
  return e;
}

function clusterFor(bootstrap: string | string[], retries = 2): Cluster {
  const c = new Cluster({ bootstrap, retry: { retries, initialBackoffMs: 20, maxBackoffMs: 100 } });
  cleanup.push(() => c.close());
  return c;
}

describe('Cluster', () => {
  it('bootstraps past a dead address in the list and caches brokers and topics', async () => {
    const e = await emulatorWith({ port: 0, topics: [{ name: 'orders', partitions: 3 }] });
    const dead = `127.0.0.1:${await unusedPort()}`;
    const c = clusterFor([dead, e.bootstrap]);
    await c.connect();
    expect([...c.brokers.values()]).toEqual([{ nodeId: 0, host: '127.0.0.1', port: e.port, rack: null }]);
    expect(c.clusterId).toBe('kafkalab-emulator');
    const t = await c.topic('orders');
    expect(t.partitions.map((p) => [p.partition, p.leader, p.replicas, p.isr])).toEqual([
      [0, 0, [0], [0]],
      [1, 0, [0], [0]],
      [2, 0, [0], [0]],
    ]);
    expect(t.topicId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(await c.leaderFor('orders', 2)).toBe(0);
  });

  it('answers from the cache, and asks again after a stale-metadata error', async () => {
    const e = await emulatorWith({ port: 0, topics: [{ name: 'cached', partitions: 1 }] });
    let metadataRequests = 0;
    const obs = e.hooks.observe(3, () => metadataRequests++);
    cleanup.push(async () => obs.remove());
    const c = clusterFor(e.bootstrap);
    await c.topic('cached');
    const before = metadataRequests;
    await c.topic('cached');
    expect(metadataRequests).toBe(before);
    c.noteError(new KafkaProtocolError(6, { topic: 'cached', partition: 0 }));
    await c.topic('cached');
    expect(metadataRequests).toBe(before + 1);
    // A non-metadata error (e.g. MESSAGE_TOO_LARGE) leaves the cache alone.
    c.noteError(new KafkaProtocolError(10, { topic: 'cached', partition: 0 }));
    await c.topic('cached');
    expect(metadataRequests).toBe(before + 1);
  });

  it('goes back to the bootstrap servers on REBOOTSTRAP_REQUIRED (KIP-1102, Metadata v13), once', async () => {
    const e = await emulatorWith({ port: 0, topics: [{ name: 'rebootstrap', partitions: 2 }] });
    const seen: { version: number; errorCodes: readonly number[] }[] = [];
    const obs = e.hooks.observe(3, (x) => seen.push({ version: x.version, errorCodes: x.errorCodes }));
    cleanup.push(async () => obs.remove());
    const c = clusterFor(e.bootstrap);
    await c.connect();
    // What a broker says when this client's metadata is stale: no brokers, no topics, error 129.
    const refuse = () => ({
      respond: {
        throttleTimeMs: 0,
        brokers: [],
        clusterId: null,
        controllerId: -1,
        topics: [],
        errorCode: 129,
      },
    });
    const stale = e.hooks.intercept(3, refuse, { times: 1 });
    cleanup.push(async () => stale.remove());
    c.invalidate();
    expect((await c.topic('rebootstrap')).partitions).toHaveLength(2);
    // The refused answer, then the one asked again after forgetting the brokers; both v13.
    expect(seen.slice(1).map((x) => [x.version, x.errorCodes.includes(129)])).toEqual([
      [13, true],
      [13, false],
    ]);
    expect([...c.brokers.keys()]).toEqual([0]);
    // A broker that keeps saying so: one rebootstrap, then the typed error (no loop).
    const always = e.hooks.intercept(3, refuse, { times: 10 });
    cleanup.push(async () => always.remove());
    const before = seen.length;
    const err = await c.refreshMetadata().then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(err).toBeInstanceOf(KafkaProtocolError);
    expect((err as KafkaProtocolError).type).toBe('REBOOTSTRAP_REQUIRED');
    expect(seen.length - before).toBe(2);
  });

  it('sees a partition count grow after a refresh', async () => {
    const e = await emulatorWith({ port: 0, topics: [{ name: 'grow', partitions: 1 }] });
    const c = clusterFor(e.bootstrap);
    expect((await c.topic('grow')).partitions).toHaveLength(1);
    const { CreatePartitions } = await import('../../src/protocol/messages/37-create-partitions.js');
    const res = await c.requestAny(CreatePartitions, {
      topics: [{ name: 'grow', count: 3, assignments: null }],
      timeoutMs: 1000,
    });
    expect(res.results[0].errorCode).toBe(0);
    c.invalidate();
    expect((await c.topic('grow')).partitions).toHaveLength(3);
  });

  it('retries LEADER_NOT_AVAILABLE and throws UNKNOWN_TOPIC_OR_PARTITION typed with the topic', async () => {
    const e = await emulatorWith({ port: 0, autoCreateTopics: false });
    const c = clusterFor(e.bootstrap);
    const err = await c.topic('nope').catch((x) => x);
    expect(err).toBeInstanceOf(KafkaProtocolError);
    expect(err.type).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    expect(err.location.topic).toBe('nope');
    const auto = await emulatorWith({ port: 0, autoCreateTopics: true });
    auto.hooks.injectError(3, 5, { times: 1 }); // LEADER_NOT_AVAILABLE once, then the real answer
    const c2 = clusterFor(auto.bootstrap);
    expect((await c2.topic('fresh')).partitions).toHaveLength(1);
  });

  it('says that an unreachable address came from Metadata and points at advertised.listeners', async () => {
    // 127.0.0.2 is loopback on Linux but the emulator binds 127.0.0.1 only: connections are refused.
    const e = await emulatorWith({ port: 0, advertisedHost: '127.0.0.2' });
    const c = clusterFor(`127.0.0.1:${e.port}`, 1);
    await c.connect();
    const err = await c.connectionTo(0).catch((x) => x);
    expect(err).toBeInstanceOf(UnreachableAdvertisedAddressError);
    expect(err.nodeId).toBe(0);
    expect(err.message).toContain(`127.0.0.2:${e.port}`);
    expect(err.message).toContain(`127.0.0.1:${e.port}`); // the bootstrap that answered
    expect(err.message).toContain('advertised.listeners');
    expect(err.message).toContain('Metadata');
  });

  it('also for an advertised port nobody listens on', async () => {
    const wrongPort = await unusedPort();
    const e = await emulatorWith({ port: 0, advertisedPort: wrongPort });
    const c = clusterFor(`127.0.0.1:${e.port}`, 0);
    await c.connect();
    await expect(c.connectionTo(0)).rejects.toThrow(
      new RegExp(`broker 0 at 127\\.0\\.0\\.1:${wrongPort}.*advertised\\.listeners`),
    );
  });

  it('reconnects with backoff after the broker stops and comes back on the same port', async () => {
    const first = await startEmulator({ port: 0, topics: [{ name: 'again', partitions: 1 }] });
    const port = first.port;
    const c = clusterFor(first.bootstrap, 8);
    const conn1 = await c.connectionTo(0);
    await first.stop();
    // Bounded wait for the client to notice the close (the socket's close event), not a sleep.
    await new Promise<void>((resolve, reject) => {
      if (conn1.closed) resolve();
      conn1.onClose(() => resolve());
      setTimeout(() => reject(new Error('close not noticed within 2 s')), 2000).unref();
    });
    const stopped = c.requestTo(0, Metadata, { topics: [] });
    // Restart on the same port while the client is backing off.
    const second = await emulatorWith({ port, topics: [{ name: 'again', partitions: 1 }] });
    const body = await stopped;
    expect(body.brokers[0].port).toBe(second.port);
    const conn2 = await c.connectionTo(0);
    expect(conn2).not.toBe(conn1);
    expect(conn2.ready).toBe(true);
  });
});
