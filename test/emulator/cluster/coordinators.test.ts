// Issue 16: a group's coordinator is the leader of the __consumer_offsets partition its id hashes to
// (Kafka: Utils.abs(groupId.hashCode()) % offsets.topic.num.partitions). "g1".hashCode() is
// 103 * 31 + 49 = 3242 → partition 42, "g2" → 43, "g3" → 44; with 3 brokers and RF 3 those
// partitions are led by 42 % 3 = 0, 1 and 2 — and every broker gives the same answer.
import { afterEach, expect, it } from 'vitest';
import { Connection } from '../../../src/client/connection.js';
import { type Emulator, startEmulator } from '../../../src/emulator/index.js';
import { FindCoordinator } from '../../../src/protocol/messages/10-find-coordinator.js';

let emulator: Emulator | undefined;
const conns: Connection[] = [];

afterEach(async () => {
  for (const c of conns.splice(0)) await c.close();
  await emulator?.stop();
  emulator = undefined;
});

it('FindCoordinator answers the hashed partition leader, from any broker', async () => {
  emulator = await startEmulator({ brokers: 3, port: 0 });
  for (const address of emulator.addresses) {
    const [host, port] = address.split(':');
    const c = new Connection({ host: host as string, port: Number(port) });
    conns.push(c);
    const res = await c.request(
      FindCoordinator,
      { keyType: 0, coordinatorKeys: ['g1', 'g2', 'g3'] },
      { version: 4 },
    );
    expect(res.coordinators.map((k) => [k.key, k.errorCode, k.nodeId, `${k.host}:${k.port}`])).toEqual([
      ['g1', 0, 0, emulator.addresses[0]],
      ['g2', 0, 1, emulator.addresses[1]],
      ['g3', 0, 2, emulator.addresses[2]],
    ]);
  }
});
