/**
 * A consumer-group member driven by raw requests (classic protocol, KIP-394 member ids): each call
 * is one request, its response a checkpoint under the label the scenario gives. Every member has
 * its own connection, since a broker answers one request at a time per connection and a JoinGroup
 * can be parked until the rebalance completes.
 */
import type { Connection } from '../../src/client/index.js';
import { FindCoordinator } from '../../src/protocol/messages/10-find-coordinator.js';
import { JoinGroup } from '../../src/protocol/messages/11-join-group.js';
import { Heartbeat } from '../../src/protocol/messages/12-heartbeat.js';
import { LeaveGroup } from '../../src/protocol/messages/13-leave-group.js';
import { SyncGroup } from '../../src/protocol/messages/14-sync-group.js';
import { DescribeGroups } from '../../src/protocol/messages/15-describe-groups.js';
import { encodeAssignment, encodeSubscription } from '../../src/protocol/messages/consumer-protocol.js';
import type { ScenarioContext } from '../runner/types.js';
import { expectError } from './support.js';

/**
 * The member's subscription, a real ConsumerProtocolSubscription: Apache Kafka 4.1's coordinator
 * parses the metadata of "consumer" groups (to convert classic groups to KIP-848 ones) and, given
 * opaque bytes, never completes the join (its timer fails with "Tried to allocate a collection of
 * size ..."; seen in broker.log), where the emulator treats them as opaque, as Kafka 3.x did.
 */
export const METADATA = encodeSubscription({ topics: ['conformance'], userData: null, ownedPartitions: [] });

/** A ConsumerProtocolAssignment that carries `label` as its user data, so each is recognisable. */
export function assignment(label: string): Buffer {
  return encodeAssignment({
    assignedPartitions: [{ topic: 'conformance', partitions: [0] }],
    userData: Buffer.from(label),
  });
}

export class RawMember {
  memberId = '';
  generationId = -1;
  constructor(
    private readonly ctx: ScenarioContext,
    readonly groupId: string,
    readonly conn: Connection,
    private readonly sessionTimeoutMs = 10_000,
  ) {}

  static async create(ctx: ScenarioContext, groupId: string, sessionTimeoutMs = 10_000): Promise<RawMember> {
    if (groupId !== '') await waitForCoordinator(ctx, groupId);
    return new RawMember(ctx, groupId, await ctx.connection(), sessionTimeoutMs);
  }

  joinRaw(label: string | null, memberId = this.memberId, sessionTimeoutMs = this.sessionTimeoutMs) {
    return this.ctx.exchange(
      label,
      JoinGroup,
      {
        groupId: this.groupId,
        sessionTimeoutMs,
        rebalanceTimeoutMs: 15_000,
        memberId,
        groupInstanceId: null,
        protocolType: 'consumer',
        protocols: [{ name: 'range', metadata: METADATA }],
        reason: null,
      },
      { connection: this.conn },
    );
  }

  /** JoinGroup as a new member: MEMBER_ID_REQUIRED (v4+) first, then the join with the given id. */
  async join(labelPrefix: string) {
    if (this.memberId === '') {
      const first = await this.joinRaw(`${labelPrefix}-member-id-required`);
      expectError(first.errorCode, 'MEMBER_ID_REQUIRED', 'first JoinGroup');
      this.memberId = first.memberId;
    }
    const res = await this.joinRaw(labelPrefix);
    expectError(res.errorCode, 'NONE', `JoinGroup ${labelPrefix}`);
    this.generationId = res.generationId;
    return res;
  }

  sync(
    label: string,
    assignments: { memberId: string; assignment: Buffer }[] = [],
    generationId = this.generationId,
  ) {
    return this.ctx.exchange(
      label,
      SyncGroup,
      {
        groupId: this.groupId,
        generationId,
        memberId: this.memberId,
        groupInstanceId: null,
        protocolType: 'consumer',
        protocolName: 'range',
        assignments,
      },
      { connection: this.conn },
    );
  }

  heartbeat(label: string | null, generationId = this.generationId, memberId = this.memberId) {
    return this.ctx.exchange(
      label,
      Heartbeat,
      { groupId: this.groupId, generationId, memberId, groupInstanceId: null },
      { connection: this.conn },
    );
  }

  leave(label: string) {
    return this.ctx.exchange(
      label,
      LeaveGroup,
      {
        groupId: this.groupId,
        members: [{ memberId: this.memberId, groupInstanceId: null, reason: 'conformance' }],
      },
      { connection: this.conn },
    );
  }
}

/** FindCoordinator v4+ (KIP-699 batched keys); the group's error code. */
export async function findCoordinator(ctx: ScenarioContext, label: string | null, groupId: string) {
  const res = await ctx.exchange(label, FindCoordinator, { keyType: 0, coordinatorKeys: [groupId] });
  return res.coordinators[0].errorCode;
}

/**
 * A fresh real broker creates __consumer_offsets on the first FindCoordinator and answers
 * COORDINATOR_NOT_AVAILABLE until it has loaded it; group requests before that get NOT_COORDINATOR.
 * Clients look the coordinator up first and retry; so does every group scenario (not compared).
 */
export async function waitForCoordinator(ctx: ScenarioContext, groupId: string): Promise<void> {
  await ctx.until(`a coordinator for ${groupId}`, async () =>
    (await findCoordinator(ctx, null, groupId)) === 0 ? true : undefined,
  );
  // Found is not loaded: until the coordinator has read its __consumer_offsets partition, group
  // requests get NOT_COORDINATOR or COORDINATOR_LOAD_IN_PROGRESS (seen on a fresh Kafka 4.1.1).
  await ctx.until(`the coordinator of ${groupId} to be loaded`, async () =>
    (await describeGroup(ctx, null, groupId)).errorCode === 0 ? true : undefined,
  );
}

export async function describeGroup(ctx: ScenarioContext, label: string | null, groupId: string) {
  const res = await ctx.exchange(label, DescribeGroups, {
    groups: [groupId],
    includeAuthorizedOperations: false,
  });
  return res.groups[0];
}
