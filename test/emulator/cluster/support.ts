/** What the cluster tests share: connections to one broker of an emulated cluster, closed after the test. */
import { Connection } from '../../../src/client/connection.js';

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
