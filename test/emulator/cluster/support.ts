/** What the cluster tests share: connections to one broker of an emulated cluster, closed after the test; waits on the ISR. */
import { Connection } from '../../../src/client/connection.js';
import { controllerOf } from '../../../src/emulator/cluster/controller.js';
import { replicationOf } from '../../../src/emulator/cluster/replication.js';
import type { Emulator } from '../../../src/emulator/index.js';
import { poke, until } from '../../support/until.js';

/** A `connectTo(address)` whose connections go into `closers`, for the test's afterEach to close. */
export function connectionsInto(closers: (() => unknown)[]): (address: string) => Connection {
  return (address) => {
    const [host, port] = address.split(':');
    const c = new Connection({ host: host as string, port: Number(port) });
    closers.push(() => c.close());
    return c;
  };
}

/** Closes what a test deferred, newest first. */
export async function closeAll(closers: (() => unknown)[]): Promise<void> {
  for (const close of closers.splice(0).reverse()) await close();
}

/**
 * Resolves once every replica of `topic` whose broker is registered is in its partition's ISR: a
 * started or resumed broker's replicas join after their fetch step (cluster/replication.ts), which
 * on the system clock comes on a later turn of the event loop.
 */
export function isrComplete(e: Emulator, topic: string, timeoutMs = 10_000): Promise<void> {
  const controller = controllerOf(e.cluster);
  const complete = () => {
    const t = e.cluster.topics.get(topic);
    if (!t) return false;
    return t.partitions.every((_, p) => {
      const reg = controller.partition(t, p);
      return reg?.replicas.every((id) => !controller.broker(id)?.up || reg.isr.includes(id)) === true;
    });
  };
  const unsubscribe = replicationOf(e.cluster).onIsrChange(() => poke());
  return until(`every live replica of ${topic} in the ISR`, complete, timeoutMs).finally(unsubscribe);
}
