/**
 * A neutral look at the broker while another client runs the workflow, through kafkalab's admin
 * clients: whether the group has formed with one partition per member, where each partition's log
 * ends, and what the group committed. Every wait is bounded.
 */
import { Admin } from '../../../src/client/admin.js';
import { GroupAdmin, type GroupDescription } from '../../../src/client/admin-groups.js';
import { type BrokerSnapshot, type Target, type WorkflowNames, within } from './plan.js';

export interface FormedGroup {
  /** Per member (by member id), the partitions of the topic it was assigned. */
  assignments: Map<string, number[]>;
}

export class Observer {
  private readonly admin: Admin;
  private readonly groups: GroupAdmin;

  constructor(target: Target) {
    this.admin = new Admin({ bootstrap: target.bootstrap, clientId: 'cross-client-observer' });
    this.groups = new GroupAdmin({ bootstrap: target.bootstrap, clientId: 'cross-client-observer' });
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.admin.close(), this.groups.close()]);
  }

  async createTopic(topic: string, partitions: number): Promise<void> {
    await this.admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }] });
  }

  /** Each partition's log end offset (ListOffsets latest), by partition. */
  async logEnds(topic: string): Promise<Map<number, bigint>> {
    const offsets = await this.admin.listOffsets({ topic, spec: 'latest' });
    return new Map(offsets.map((o) => [o.partition, o.offset]));
  }

  /** The group's committed offsets for `topic`, by partition (absent: none committed). */
  async committed(group: string, topic: string): Promise<Map<number, bigint>> {
    const lags = await this.groups.describeLag(group);
    const out = new Map<number, bigint>();
    for (const l of lags)
      if (l.topic === topic && l.currentOffset !== null) out.set(l.partition, l.currentOffset);
    return out;
  }

  async snapshot(names: WorkflowNames): Promise<BrokerSnapshot> {
    return {
      ends: await this.logEnds(names.topic),
      committed: await this.committed(names.group, names.topic),
    };
  }

  /**
   * Waits until the group is Stable with exactly `members` members, each assigned one distinct
   * partition of `topic`. Polls DescribeGroups (a bounded poll of a condition, not a sleep that hopes
   * for it); gives up at once if one of `running` settles first (a member died before joining).
   */
  async waitForGroup(
    group: string,
    topic: string,
    members: number,
    running: Promise<unknown>[],
    timeoutMs: number,
  ): Promise<FormedGroup> {
    let stop = false;
    let last: GroupDescription | string = '(not described yet)';
    const poll = async (): Promise<FormedGroup> => {
      while (!stop) {
        const formed = await this.groups
          .describeGroups([group])
          .then(([g]) => {
            last = g;
            return formedGroup(g, topic, members);
          })
          .catch((err: unknown) => {
            last = String(err);
            return undefined;
          });
        if (formed) return formed;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      throw new Error('stopped');
    };
    const memberExit = Promise.race(running).then(() => {
      throw new Error(`a member of ${group} exited before the group formed`);
    });
    try {
      return await within(Promise.race([poll(), memberExit]), timeoutMs, `group ${group} of ${members}`);
    } catch (err) {
      throw new Error(`${(err as Error).message}; last description: ${describe(last)}`);
    } finally {
      stop = true;
    }
  }
}

function formedGroup(g: GroupDescription, topic: string, members: number): FormedGroup | undefined {
  if (g.state !== 'Stable' || g.members.length !== members) return undefined;
  const assignments = new Map<string, number[]>();
  for (const m of g.members) {
    const mine = (m.assignment ?? []).filter((tp) => tp.topic === topic).flatMap((tp) => tp.partitions);
    if (mine.length !== 1) return undefined;
    assignments.set(m.memberId, mine);
  }
  const all = [...assignments.values()].flat();
  return new Set(all).size === all.length ? { assignments } : undefined;
}

function describe(g: GroupDescription | string): string {
  if (typeof g === 'string') return g;
  const members = g.members.map((m) => `${m.clientId}:${JSON.stringify(m.assignment)}`).join(', ');
  return `state ${g.state}, ${g.members.length} members [${members}]`;
}
