/**
 * NOT_COORDINATOR (16) for group and transaction requests that reach a broker which does not
 * coordinate their group or transactional id (coordinators.ts: the leader of the id's
 * __consumer_offsets / __transaction_state partition). Kafka's coordinator runtime refuses an
 * operation on a partition it does not own with NotCoordinatorException; the client then asks
 * FindCoordinator again. The group's and transaction's state stays in the shared Cluster, so when
 * a coordinator's broker stops, the partition's new leader answers for it at once — as if it had
 * reloaded __consumer_offsets / __transaction_state (Kafka answers COORDINATOR_LOAD_IN_PROGRESS
 * while it loads; the emulator has nothing to load).
 *
 * The check wraps the handlers (guardCoordinators), so the group and transaction handlers stay
 * as they are; each guarded API says where its id is and how Kafka's error answer looks
 * (AbstractRequest.getErrorResponse). A request naming several groups (DescribeGroups,
 * DeleteGroups, OffsetFetch v8+) gets NOT_COORDINATOR for the ones coordinated elsewhere and the
 * handler's answer for the rest, in request order. An empty id is left to the handler (Kafka checks
 * it first: INVALID_GROUP_ID), and so is any check Kafka makes before the coordinator's (ACLs).
 * ListGroups and ListTransactions list only what the broker coordinates.
 */
import type { Handler, HandlerContext } from '../handler.js';
import { type CoordinatorKind, coordinates, NOT_COORDINATOR } from './coordinators.js';

type Req = Record<string, any>;
type Res = Record<string, any>;

/** One guarded API: its single id, and the whole-request error answer. */
interface SingleKey {
  kind: CoordinatorKind;
  key(request: Req, version: number): string | null | undefined;
  error(request: Req, version: number): Res;
}

/** A guarded API that names several groups: split the request, answer the foreign ones. */
interface ManyKeys {
  kind: 'group';
  keys(request: Req, version: number): string[] | undefined;
  /** The request with only `keep` of its groups. */
  only(request: Req, keep: Set<string>): Req;
  /** The answer's entry per group id, to merge. */
  entries(response: Res): Res[];
  withEntries(response: Res, entries: Res[]): Res;
  entryOf(response: Res): string;
  errorEntry(groupId: string, request: Req): Res;
  /** An answer with no entries, when no group of the request is coordinated here. */
  empty(request: Req, version: number): Res;
}

const E = NOT_COORDINATOR;

/** Every partition of a topics/partitions request, answered with NOT_COORDINATOR. */
function partitionErrors(topics: Req[] | null | undefined, list: (t: Req) => number[]): Res[] {
  return (topics ?? []).map((t) => ({
    name: t.name,
    partitions: list(t).map((partitionIndex) => ({ partitionIndex, errorCode: E })),
  }));
}

const SINGLE: Record<number, SingleKey> = {
  // OffsetCommit
  8: {
    kind: 'group',
    key: (r) => r.groupId,
    error: (r) => ({
      throttleTimeMs: 0,
      topics: partitionErrors(r.topics, (t) => t.partitions.map((p: Req) => p.partitionIndex)),
    }),
  },
  // JoinGroup: Kafka answers with the request's member id, generation -1.
  11: {
    kind: 'group',
    key: (r) => r.groupId,
    error: (r, v) => ({
      throttleTimeMs: 0,
      errorCode: E,
      generationId: -1,
      protocolType: null,
      protocolName: v >= 7 ? null : '',
      leader: '',
      skipAssignment: false,
      memberId: r.memberId,
      members: [],
    }),
  },
  // Heartbeat
  12: { kind: 'group', key: (r) => r.groupId, error: () => ({ throttleTimeMs: 0, errorCode: E }) },
  // LeaveGroup
  13: {
    kind: 'group',
    key: (r) => r.groupId,
    error: () => ({ throttleTimeMs: 0, errorCode: E, members: [] }),
  },
  // SyncGroup
  14: {
    kind: 'group',
    key: (r) => r.groupId,
    error: () => ({
      throttleTimeMs: 0,
      errorCode: E,
      protocolType: null,
      protocolName: null,
      assignment: Buffer.alloc(0),
    }),
  },
  // InitProducerId: only with a transactional id (an idempotent producer asks any broker).
  22: {
    kind: 'transaction',
    key: (r) => r.transactionalId,
    error: () => ({ throttleTimeMs: 0, errorCode: E, producerId: -1n, producerEpoch: -1 }),
  },
  // AddPartitionsToTxn v0-3 (a client's); v4+ batches come from brokers verifying, not checked here.
  24: {
    kind: 'transaction',
    key: (r, v) => (v <= 3 ? r.v3AndBelowTransactionalId : undefined),
    error: (r) => ({
      throttleTimeMs: 0,
      resultsByTopicV3AndBelow: (r.v3AndBelowTopics ?? []).map((t: Req) => ({
        name: t.name,
        resultsByPartition: t.partitions.map((partitionIndex: number) => ({
          partitionIndex,
          partitionErrorCode: E,
        })),
      })),
    }),
  },
  // AddOffsetsToTxn
  25: {
    kind: 'transaction',
    key: (r) => r.transactionalId,
    error: () => ({ throttleTimeMs: 0, errorCode: E }),
  },
  // EndTxn
  26: {
    kind: 'transaction',
    key: (r) => r.transactionalId,
    error: () => ({ throttleTimeMs: 0, errorCode: E, producerId: -1n, producerEpoch: -1 }),
  },
  // TxnOffsetCommit goes to the group coordinator.
  28: {
    kind: 'group',
    key: (r) => r.groupId,
    error: (r) => ({
      throttleTimeMs: 0,
      topics: partitionErrors(r.topics, (t) => t.partitions.map((p: Req) => p.partitionIndex)),
    }),
  },
  // OffsetDelete
  47: {
    kind: 'group',
    key: (r) => r.groupId,
    error: () => ({ errorCode: E, throttleTimeMs: 0, topics: [] }),
  },
  // ConsumerGroupHeartbeat (KIP-848)
  68: {
    kind: 'group',
    key: (r) => r.groupId,
    error: () => ({
      throttleTimeMs: 0,
      errorCode: E,
      errorMessage: null,
      memberId: null,
      memberEpoch: 0,
      heartbeatIntervalMs: 0,
      assignment: null,
    }),
  },
};

const MANY: Record<number, ManyKeys> = {
  // OffsetFetch v8+ (several groups); v0-7 is one group, below.
  9: {
    kind: 'group',
    keys: (r, v) => (v >= 8 ? (r.groups as Req[]).map((g) => g.groupId) : undefined),
    only: (r, keep) => ({ ...r, groups: (r.groups as Req[]).filter((g) => keep.has(g.groupId)) }),
    entries: (res) => res.groups,
    withEntries: (res, groups) => ({ ...res, groups }),
    entryOf: (e) => e.groupId,
    errorEntry: (groupId) => ({ groupId, topics: [], errorCode: E }),
    empty: () => ({ throttleTimeMs: 0, groups: [] }),
  },
  // DescribeGroups
  15: {
    kind: 'group',
    keys: (r) => r.groups,
    only: (r, keep) => ({ ...r, groups: (r.groups as string[]).filter((g) => keep.has(g)) }),
    entries: (res) => res.groups,
    withEntries: (res, groups) => ({ ...res, groups }),
    entryOf: (e) => e.groupId,
    errorEntry: (groupId) => ({
      errorCode: E,
      errorMessage: null,
      groupId,
      groupState: '',
      protocolType: '',
      protocolData: '',
      members: [],
      authorizedOperations: -2147483648,
    }),
    empty: () => ({ throttleTimeMs: 0, groups: [] }),
  },
  // DeleteGroups
  42: {
    kind: 'group',
    keys: (r) => r.groupsNames,
    only: (r, keep) => ({ ...r, groupsNames: (r.groupsNames as string[]).filter((g) => keep.has(g)) }),
    entries: (res) => res.results,
    withEntries: (res, results) => ({ ...res, results }),
    entryOf: (e) => e.groupId,
    errorEntry: (groupId) => ({ groupId, errorCode: E }),
    empty: () => ({ throttleTimeMs: 0, results: [] }),
  },
};

/** OffsetFetch v0-7: one group; the error answer carries it per partition (v0-1) and at the top (v2+). */
const OFFSET_FETCH_ONE: SingleKey = {
  kind: 'group',
  key: (r, v) => (v < 8 ? r.groupId : undefined),
  error: (r) => ({
    throttleTimeMs: 0,
    errorCode: E,
    topics: (r.topics ?? []).map((t: Req) => ({
      name: t.name,
      partitions: t.partitionIndexes.map((partitionIndex: number) => ({
        partitionIndex,
        committedOffset: -1n,
        committedLeaderEpoch: -1,
        metadata: '',
        errorCode: E,
      })),
    })),
  }),
};

function foreign(ctx: HandlerContext, kind: CoordinatorKind, key: string): boolean {
  return !coordinates(ctx.cluster, ctx.broker, kind, key);
}

function guardSingle(handler: Handler<any>, spec: SingleKey): Handler<any> {
  return {
    ...handler,
    handle(request, ctx) {
      const key = spec.key(request, ctx.version);
      if (typeof key === 'string' && key !== '' && foreign(ctx, spec.kind, key)) {
        ctx.log(`NOT_COORDINATOR: ${spec.kind} ${JSON.stringify(key)} is coordinated by another broker`);
        return spec.error(request, ctx.version);
      }
      return handler.handle(request, ctx);
    },
  };
}

function guardMany(handler: Handler<any>, spec: ManyKeys, single?: SingleKey): Handler<any> {
  const one = single ? guardSingle(handler, single) : handler;
  return {
    ...handler,
    async handle(request, ctx) {
      const keys = spec.keys(request, ctx.version);
      if (!keys) return one.handle(request, ctx);
      const elsewhere = new Set(keys.filter((k) => k !== '' && foreign(ctx, spec.kind, k)));
      if (elsewhere.size === 0) return handler.handle(request, ctx);
      const here = new Set(keys.filter((k) => !elsewhere.has(k)));
      const answered =
        here.size > 0
          ? await handler.handle(spec.only(request, here), ctx)
          : spec.empty(request, ctx.version);
      const byKey = new Map((spec.entries(answered as Res) ?? []).map((e) => [spec.entryOf(e), e]));
      const seen = new Set<string>();
      const merged: Res[] = [];
      for (const k of keys) {
        if (seen.has(k)) continue;
        seen.add(k);
        const entry = elsewhere.has(k) ? spec.errorEntry(k, request) : byKey.get(k);
        if (entry) merged.push(entry);
      }
      return spec.withEntries(answered as Res, merged);
    },
  };
}

/**
 * ListGroups and ListTransactions: each broker lists what it coordinates (Kafka's brokers answer
 * from their own coordinator's partitions; Admin asks every broker and merges).
 */
const LISTS: Record<number, { kind: CoordinatorKind; field: string; id: string }> = {
  16: { kind: 'group', field: 'groups', id: 'groupId' },
  66: { kind: 'transaction', field: 'transactionStates', id: 'transactionalId' },
};

function guardList(handler: Handler<any>, spec: (typeof LISTS)[number]): Handler<any> {
  return {
    ...handler,
    async handle(request, ctx) {
      const res = (await handler.handle(request, ctx)) as Res;
      const entries = res?.[spec.field];
      if (!Array.isArray(entries)) return res;
      return { ...res, [spec.field]: entries.filter((e: Res) => !foreign(ctx, spec.kind, e[spec.id])) };
    },
  };
}

/** The routing table with the group and transaction APIs checked against their coordinator. */
export function guardCoordinators(handlers: Map<number, Handler<any>>): Map<number, Handler<any>> {
  const out = new Map(handlers);
  for (const [key, h] of handlers) {
    const many = MANY[key];
    const single = SINGLE[key];
    const list = LISTS[key];
    if (many) out.set(key, guardMany(h, many, key === 9 ? OFFSET_FETCH_ONE : undefined));
    else if (single) out.set(key, guardSingle(h, single));
    else if (list) out.set(key, guardList(h, list));
  }
  return out;
}
