/**
 * Raw-request helpers the scenarios share. Raw requests (not the client's high-level calls) are what
 * gets compared between targets: their bodies are fixed, so the two brokers' answers can be set side
 * by side field by field.
 */
import assert from 'node:assert/strict';
import type { Connection } from '../../src/client/index.js';
import { errorByCode } from '../../src/protocol/error-codes.js';
import { Produce } from '../../src/protocol/messages/00-produce.js';
import { Fetch } from '../../src/protocol/messages/01-fetch.js';
import { ListOffsets } from '../../src/protocol/messages/02-list-offsets.js';
import { CreateTopics } from '../../src/protocol/messages/19-create-topics.js';
import {
  decodeRecordBatches,
  encodeRecordBatch,
  type RecordBatchInput,
} from '../../src/protocol/records/index.js';
import type { ScenarioContext } from '../runner/types.js';

/** A fixed CreateTime base (2023-11-14T22:13:20Z): records carry it so ListOffsets by time is repeatable. */
export const T0 = 1_700_000_000_000;

export function errorName(code: number): string {
  return code === 0 ? 'NONE' : (errorByCode(code)?.name ?? `code ${code}`);
}

export function expectError(actual: number, expected: string, what: string): void {
  assert.equal(errorName(actual), expected, `${what}: expected ${expected}, got ${errorName(actual)}`);
}

/** CreateTopics with one topic; the response is a checkpoint. Returns the topic's error code. */
export async function createTopic(
  ctx: ScenarioContext,
  label: string | null,
  name: string,
  numPartitions: number,
  replicationFactor = 1,
  options: { connection?: Connection } = {},
): Promise<number> {
  const res = await ctx.exchange(
    label,
    CreateTopics,
    {
      topics: [{ name, numPartitions, replicationFactor, assignments: [], configs: [] }],
      timeoutMs: 30_000,
      validateOnly: false,
    },
    options,
  );
  return res.topics[0].errorCode;
}

/** Creates a topic that the scenario needs (not compared), with optional topic configs, failing loudly when the broker refuses. */
export async function setUpTopic(
  ctx: ScenarioContext,
  name: string,
  partitions: number,
  configs?: Record<string, string>,
): Promise<void> {
  const admin = await ctx.admin();
  await admin.createTopics({
    topics: [{ topic: name, numPartitions: partitions, replicationFactor: 1, configs }],
  });
  // A KRaft broker learns of the new topic from the metadata log a moment later, and Metadata may
  // name the leader before the partition takes writes (a Produce then gets NOT_LEADER_OR_FOLLOWER,
  // seen on Kafka 4.1.1). ListOffsets is answered by the leader's replica itself: wait for it.
  const all = Array.from({ length: partitions }, (_, i) => i);
  await ctx.until(`${name} to be led by the broker`, async () => {
    const res = await ctx.exchange(null, ListOffsets, {
      replicaId: -1,
      isolationLevel: 0,
      topics: [
        { name, partitions: all.map((i) => ({ partitionIndex: i, currentLeaderEpoch: -1, timestamp: -1n })) },
      ],
      timeoutMs: 5000,
    });
    const ps = res.topics[0]?.partitions ?? [];
    return ps.length === partitions && ps.every((p) => p.errorCode === 0) ? true : undefined;
  });
}

export function batch(values: string[], options: Partial<RecordBatchInput> = {}): Buffer {
  return encodeRecordBatch({
    records: values.map((value, i) => ({ key: `k${i}`, value, timestamp: T0 + i * 1000 })),
    ...options,
  });
}

/** One Produce request with one batch to one partition; the response is a checkpoint. */
export async function produceRaw(
  ctx: ScenarioContext,
  label: string | null,
  topic: string,
  partition: number,
  records: Buffer,
  options: { acks?: number; version?: number; connection?: Connection } = {},
) {
  const res = await ctx.exchange(
    label,
    Produce,
    {
      transactionalId: null,
      acks: options.acks ?? -1,
      timeoutMs: 30_000,
      topicData: [{ name: topic, partitionData: [{ index: partition, records }] }],
    },
    options,
  );
  return res.responses[0].partitionResponses[0];
}

/**
 * Fetch v12 (topic names, before KIP-516's topic ids) of one partition, no long-poll: the
 * response is a checkpoint. v12 because topic ids are volatile and both brokers serve it.
 */
export async function fetchRaw(
  ctx: ScenarioContext,
  label: string | null,
  topic: string,
  partition: number,
  fetchOffset: bigint,
) {
  const res = await ctx.exchange(
    label,
    Fetch,
    {
      replicaId: -1,
      maxWaitMs: 0,
      minBytes: 0,
      maxBytes: 1_048_576,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [
        {
          topic,
          partitions: [
            {
              partition,
              currentLeaderEpoch: -1,
              fetchOffset,
              lastFetchedEpoch: -1,
              logStartOffset: -1n,
              partitionMaxBytes: 1_048_576,
            },
          ],
        },
      ],
      forgottenTopicsData: [],
      rackId: '',
    },
    { version: 12 },
  );
  return res.responses[0].partitions[0];
}

/**
 * Every record of a partition from offset 0 to the high watermark, as `offset:value`, by as many
 * Fetch requests as it takes: one Fetch need not return every batch below the high watermark (a real
 * broker may stop at a segment position), so single Fetch answers are not compared for that.
 */
export async function readAll(ctx: ScenarioContext, topic: string, partition: number): Promise<string[]> {
  const out: string[] = [];
  let next = 0n;
  for (let round = 0; round < 100; round++) {
    const p = await fetchRaw(ctx, null, topic, partition, next);
    expectError(p.errorCode, 'NONE', `fetch ${topic}-${partition} at ${next}`);
    if (next >= p.highWatermark) return out;
    const { batches } = decodeRecordBatches(p.records ?? new Uint8Array());
    for (const b of batches)
      for (const r of b.records) {
        if (r.offset < next || r.offset >= p.highWatermark) continue;
        out.push(`${r.offset}:${r.value?.toString() ?? null}`);
        next = r.offset + 1n;
      }
    if (batches.length === 0) throw new Error(`fetch at ${next} below the high watermark returned no batch`);
  }
  throw new Error(`more than 100 fetches to read ${topic}-${partition}`);
}
