// Issue 16: broker lifecycle and leader election. Topic "fo" has 3 partitions at RF 3 on brokers
// 0, 1, 2 (replicas [0,1,2], [1,2,0], [2,0,1]; leaders 0, 1, 2). A stopped broker hands its
// leadership to the next in-sync replica first (controlled shutdown) and leaves every ISR; a killed
// or paused one keeps it until broker.session.timeout.ms passes on the cluster's clock; a started
// one listens on its port again and rejoins the ISR. With no in-sync replica left a partition is
// offline (leader -1, LEADER_NOT_AVAILABLE, ISR empty, the last in-sync replica an eligible leader
// replica as KIP-966 has it in Kafka 4.1.1) unless unclean.leader.election.enable lets an out-of-ISR
// replica lead.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Admin } from '../../../src/client/admin.js';
import { ManualClock } from '../../../src/emulator/clock.js';
import { type Emulator, startEmulator } from '../../../src/emulator/index.js';
import { Metadata } from '../../../src/protocol/messages/03-metadata.js';
import { ApiVersions } from '../../../src/protocol/messages/18-api-versions.js';
import { closeAll, connectionsInto, isrComplete } from './support.js';

let emulator: Emulator | undefined;
const closers: (() => unknown)[] = [];

afterEach(async () => {
  await closeAll(closers);
  await emulator?.stop();
  emulator = undefined;
});

const connectTo = connectionsInto(closers);

/** How partition p of `topic` looks in Metadata from the broker at `address`. */
async function partitions(address: string, topic: string) {
  const md = await connectTo(address).request(Metadata, { topics: [{ name: topic }] } as never, {
    version: 12,
  });
  return {
    brokers: md.brokers.map((b) => b.nodeId),
    partitions: md.topics[0]?.partitions.map((p) => ({
      error: p.errorCode,
      leader: p.leaderId,
      epoch: p.leaderEpoch,
      isr: p.isrNodes,
      offline: p.offlineReplicas,
    })),
  };
}

/** Resolves with the error code of a TCP connect to `address` (0 when it connects). */
function tryConnect(address: string): Promise<string> {
  const [host, port] = address.split(':');
  return new Promise((resolve) => {
    const s = net.connect({ host: host as string, port: Number(port) });
    s.once('connect', () => {
      s.destroy();
      resolve('connected');
    });
    s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

async function threeBrokers(options: { clock?: ManualClock } = {}) {
  emulator = await startEmulator({ brokers: 3, port: 0, ...options });
  const admin = new Admin({ bootstrap: emulator.bootstrap });
  closers.push(() => admin.close());
  await admin.createTopics({ topics: [{ topic: 'fo', numPartitions: 3, replicationFactor: 3 }] });
  return { emulator, admin };
}

describe('broker lifecycle', () => {
  it('stop: controlled shutdown moves leadership first, the listener closes; start rejoins the ISR', async () => {
    const { emulator: e } = await threeBrokers();
    const [a0, a1] = e.addresses as [string, string, string];
    const before = connectTo(a1);
    await before.request(ApiVersions, {} as never);

    const stopped = await e.stopBroker(1);
    expect(stopped).toMatch(
      /^broker 1 stopped: controlled shutdown leadership of \d+ partitions? moved \(.*fo-1 1→2/,
    );
    expect(stopped).toContain(`listener ${a1} closed, 1 connection closed`);
    expect(await tryConnect(a1)).toBe('ECONNREFUSED');
    expect(await partitions(a0, 'fo')).toEqual({
      brokers: [0, 2],
      partitions: [
        { error: 0, leader: 0, epoch: 0, isr: [0, 2], offline: [1] },
        { error: 0, leader: 2, epoch: 1, isr: [2, 0], offline: [1] },
        { error: 0, leader: 2, epoch: 0, isr: [2, 0], offline: [1] },
      ],
    });
    await expect(e.stopBroker(1)).rejects.toThrow('broker 1 is already stopped: cannot stop it');
    await expect(e.stopBroker(7)).rejects.toThrow('no broker 7 in this cluster (brokers: 0, 1, 2)');

    const started = await e.startBroker(1);
    expect(started).toMatch(new RegExp(`^broker 1 started: listening on ${a1}; registered again`));
    expect(await tryConnect(a1)).toBe('connected');
    await isrComplete(e, 'fo'); // its replicas have fetched from their leaders
    // Back in every ISR; no automatic preferred election (auto.leader.rebalance waits 300 s in Kafka).
    expect(await partitions(a1, 'fo')).toEqual({
      brokers: [0, 1, 2],
      partitions: [
        { error: 0, leader: 0, epoch: 0, isr: [0, 2, 1], offline: [] },
        { error: 0, leader: 2, epoch: 1, isr: [2, 0, 1], offline: [] },
        { error: 0, leader: 2, epoch: 0, isr: [2, 0, 1], offline: [] },
      ],
    });
    expect(e.describeBrokers().slice(0, 3)).toEqual([
      `broker 0 ${a0} running, registered, leads 1 partition`,
      `broker 1 ${a1} running, registered, leads 0 partitions`,
      `broker 2 ${e.addresses[2]} running, registered, leads 2 partitions`,
    ]);
  });

  it('kill: connections reset at once, leadership moves only after broker.session.timeout.ms', async () => {
    const clock = new ManualClock();
    const { emulator: e } = await threeBrokers({ clock });
    const [a0, , a2] = e.addresses as [string, string, string];
    const victim = connectTo(a2);
    await victim.request(ApiVersions, {} as never);
    const reset = new Promise<string>((resolve) =>
      victim.request(ApiVersions, {} as never).then(
        () => resolve('answered'),
        (err: Error) => resolve(err.message),
      ),
    );
    const killed = await e.killBroker(2);
    expect(killed).toBe(
      'broker 2 killed: 1 connection reset, no controlled shutdown; the controller fences it after broker.session.timeout.ms (9000 ms)',
    );
    expect(await reset).not.toBe('answered');
    expect(await tryConnect(a2)).toBe('ECONNREFUSED');
    // The controller has not noticed: broker 2 is still listed and still leads fo-2.
    const unnoticed = await partitions(a0, 'fo');
    expect(unnoticed.brokers).toEqual([0, 1, 2]);
    expect(unnoticed.partitions?.[2]).toEqual({ error: 0, leader: 2, epoch: 0, isr: [2, 0, 1], offline: [] });
    clock.advance(8999);
    expect((await partitions(a0, 'fo')).partitions?.[2]?.leader).toBe(2);
    clock.advance(1);
    expect(await partitions(a0, 'fo')).toEqual({
      brokers: [0, 1],
      partitions: [
        { error: 0, leader: 0, epoch: 0, isr: [0, 1], offline: [2] },
        { error: 0, leader: 1, epoch: 0, isr: [1, 0], offline: [2] },
        { error: 0, leader: 0, epoch: 1, isr: [0, 1], offline: [2] },
      ],
    });
    expect(await e.startBroker(2)).toMatch(/^broker 2 started/);
    // Registered and unfenced, but not in any ISR until its replicas have fetched from their leaders:
    // the fetch step runs when the clock next moves.
    expect((await partitions(a2, 'fo')).partitions?.map((p) => p.isr)).toEqual([
      [0, 1],
      [1, 0],
      [0, 1],
    ]);
    clock.advance(0);
    expect((await partitions(a2, 'fo')).partitions?.map((p) => p.isr)).toEqual([
      [0, 1, 2],
      [1, 0, 2],
      [0, 1, 2],
    ]);
  });

  it('pause: requests are read and not answered until resume; fenced after the session timeout', async () => {
    const clock = new ManualClock();
    const { emulator: e } = await threeBrokers({ clock });
    const [a0, a1] = e.addresses as [string, string, string];
    const paused = connectTo(a0);
    await paused.request(ApiVersions, {} as never);
    expect(await e.pauseBroker(0)).toBe(
      'broker 0 paused: connections stay open, requests are read and not answered; the controller fences it after broker.session.timeout.ms (9000 ms)',
    );
    let answered = false;
    const pending = paused.request(Metadata, { topics: null } as never).then((md) => {
      answered = true;
      return md;
    });
    // A round trip to another broker (and one from a new connection to the paused one) later, still nothing.
    await partitions(a1, 'fo');
    expect(await tryConnect(a0)).toBe('connected');
    expect(answered).toBe(false);
    clock.advance(9000);
    expect((await partitions(a1, 'fo')).partitions?.[0]).toEqual({
      error: 0,
      leader: 1,
      epoch: 1,
      isr: [1, 2],
      offline: [0],
    });
    expect(answered).toBe(false);
    expect(await e.resumeBroker(0)).toMatch(/^broker 0 resumed: answering again; registered again/);
    // The request it held is answered now, by a broker that is registered again.
    expect((await pending).brokers.map((b) => b.nodeId)).toEqual([0, 1, 2]);
    expect((await partitions(a0, 'fo')).partitions?.[0]?.isr).toEqual([1, 2]);
    clock.advance(0); // its replica fetches from broker 1 and is added back
    expect((await partitions(a0, 'fo')).partitions?.[0]?.isr).toEqual([1, 2, 0]);
    await expect(e.resumeBroker(0)).rejects.toThrow('broker 0 is not paused');
  });
});

describe('elections without an in-sync replica', () => {
  it('the last ISR member down leaves the partition offline; it leads again when it returns', async () => {
    const { emulator: e, admin } = await threeBrokers();
    await admin.createTopics({ topics: [{ topic: 'solo', numPartitions: 1, replicationFactor: 1 }] });
    const a1 = e.addresses[1] as string;
    await e.stopBroker(0);
    expect((await partitions(a1, 'solo')).partitions).toEqual([
      { error: 5, leader: -1, epoch: 1, isr: [], offline: [0] },
    ]);
    await e.startBroker(0);
    expect((await partitions(a1, 'solo')).partitions).toEqual([
      { error: 0, leader: 0, epoch: 2, isr: [0], offline: [] },
    ]);
  });

  it('unclean.leader.election.enable lets a live replica outside the ISR lead, the ISR just itself', async () => {
    const { emulator: e, admin } = await threeBrokers();
    await admin.createTopics({
      topics: [
        { topic: 'clean', numPartitions: 1, replicationFactor: 2 },
        {
          topic: 'unclean',
          numPartitions: 1,
          replicationFactor: 2,
          configs: { 'unclean.leader.election.enable': 'true' },
        },
      ],
    });
    // Both topics' partition 0 sits on [0, 1]: 1 leaves the ISR first, then 0 goes too.
    await e.stopBroker(1);
    await e.stopBroker(0);
    const a2 = e.addresses[2] as string;
    expect((await partitions(a2, 'clean')).partitions).toEqual([
      { error: 5, leader: -1, epoch: 1, isr: [], offline: [0, 1] },
    ]);
    expect((await partitions(a2, 'unclean')).partitions).toEqual([
      { error: 5, leader: -1, epoch: 1, isr: [], offline: [0, 1] },
    ]);
    expect(await e.startBroker(1)).toContain('unclean-0 none→1 (unclean)');
    expect((await partitions(a2, 'clean')).partitions?.[0]?.leader).toBe(-1);
    expect((await partitions(a2, 'unclean')).partitions).toEqual([
      { error: 0, leader: 1, epoch: 2, isr: [1], offline: [0] },
    ]);
  });
});
