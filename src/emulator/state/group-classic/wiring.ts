/** How the coordinator sits in a cluster (its domains) and the two helpers its handlers share. */
import type { Cluster } from '../../cluster.js';
import { OffsetStore } from '../offsets.js';
import { Groups } from './coordinator.js';

/**
 * The committed-offset store of a cluster (the 'offsets' domain). The periodic cleanup over it
 * (offsets-cleanup.ts, the 'offset-expiry' domain) is started with the emulator, not from here:
 * it reads both coordinators, and this module must not depend on it.
 */
export function offsetsOf(cluster: Cluster): OffsetStore {
  return cluster.domain('offsets', () => new OffsetStore());
}

/** The group coordinator of a cluster (the 'groups' domain); it shares the cluster's offset store. */
export function groupsOf(cluster: Cluster): Groups {
  return cluster.domain(
    'groups',
    (c) =>
      new Groups({
        // The cluster's clock: whoever controls it (a test's ManualClock) controls session timeouts too.
        clock: c.clock,
        offsets: offsetsOf(c),
        config: {
          initialRebalanceDelayMs: c.config.groupInitialRebalanceDelayMs,
          minSessionTimeoutMs: c.config.groupMinSessionTimeoutMs,
          maxSessionTimeoutMs: c.config.groupMaxSessionTimeoutMs,
          maxSize: c.config.groupMaxSize,
        },
      }),
  );
}

/**
 * A parked JoinGroup/SyncGroup whose connection closed: the member stays in the group (as in Kafka,
 * where it then times out), but the handler's wait ends at once with `aborted()`.
 */
export function settleOnAbort<T>(waiting: Promise<T>, signal: AbortSignal, aborted: () => T): Promise<T> {
  if (signal.aborted) return Promise.resolve(aborted());
  return new Promise<T>((resolve) => {
    const onAbort = () => resolve(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    waiting.then((v) => {
      signal.removeEventListener('abort', onAbort);
      resolve(v);
    });
  });
}

/** Kafka reports a member's host as Java's InetAddress.toString(): "/127.0.0.1". */
export function clientHostOf(remote: string): string {
  const colon = remote.lastIndexOf(':');
  const host = colon > 0 ? remote.slice(0, colon) : remote;
  return '/' + host.replace(/^\[|\]$/g, '').replace(/^::ffff:/, '');
}
