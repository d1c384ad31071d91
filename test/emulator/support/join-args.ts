/** A classic JoinGroup as the group state sees it (no bytes): consumer protocol, range, short timeouts. */
import type { JoinGroupArgs } from '../../../src/emulator/state/groups.js';

export function joinArgs(
  over: Partial<JoinGroupArgs> = {},
  metadata = new TextEncoder().encode('m'),
): JoinGroupArgs {
  return {
    groupId: 'g',
    memberId: '',
    groupInstanceId: null,
    clientId: 'c',
    clientHost: '/127.0.0.1',
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 30_000,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata }],
    requireKnownMemberId: false,
    skipAssignmentSupported: true,
    ...over,
  };
}
