// Raw Produce / Fetch / ListOffsets for the log tests (delete-records, retention, compaction,
// persistence): one WireClient, records as key/value strings with explicit timestamps, results as
// plain offsets so a test can compare what a consumer would see.

import { Produce } from '../../../src/protocol/messages/00-produce.js';
import { Fetch } from '../../../src/protocol/messages/01-fetch.js';
import { ListOffsets } from '../../../src/protocol/messages/02-list-offsets.js';
import { decodeRecordBatches, encodeRecordBatch } from '../../../src/protocol/records/index.js';
import { WireClient } from './wire-client.js';

export interface Rec {
  key: string | null;
  value: string | null;
  timestamp: number;
}

export class LogClient {
  private constructor(readonly wire: WireClient) {}

  static async connect(port: number): Promise<LogClient> {
    return new LogClient(await WireClient.connect(port));
  }

  close(): void {
    this.wire.close();
  }

  /** One batch of `records`; answers the error code and base offset. */
  async produce(
    topic: string,
    partition: number,
    records: Rec[],
  ): Promise<{ errorCode: number; baseOffset: bigint }> {
    const bytes = encodeRecordBatch({
      records: records.map((r) => ({
        key: r.key === null ? null : Buffer.from(r.key),
        value: r.value === null ? null : Buffer.from(r.value),
        timestamp: r.timestamp,
      })),
    });
    const res = await this.wire.request(Produce, 9, {
      transactionalId: null,
      acks: -1,
      timeoutMs: 1000,
      topicData: [{ name: topic, partitionData: [{ index: partition, records: bytes }] }],
    });
    const p = res.responses[0].partitionResponses[0];
    return { errorCode: p.errorCode, baseOffset: p.baseOffset };
  }

  /** Every record from `offset` to the high watermark as a consumer keeps them (those below `offset` dropped). */
  async fetch(
    topic: string,
    partition: number,
    offset: bigint,
  ): Promise<{
    errorCode: number;
    logStartOffset: bigint;
    highWatermark: bigint;
    records: { offset: bigint; key: string | null; value: string | null }[];
  }> {
    const out: { offset: bigint; key: string | null; value: string | null }[] = [];
    let at = offset;
    for (;;) {
      const res = await this.wire.request(Fetch, 12, {
        replicaId: -1,
        maxWaitMs: 0,
        minBytes: 1,
        maxBytes: 64 << 20,
        isolationLevel: 0,
        topics: [{ topic, partitions: [{ partition, fetchOffset: at, partitionMaxBytes: 64 << 20 }] }],
      });
      const p = res.responses[0].partitions[0];
      if (p.errorCode !== 0)
        return {
          errorCode: p.errorCode,
          logStartOffset: p.logStartOffset,
          highWatermark: p.highWatermark,
          records: out,
        };
      const batches =
        p.records && p.records.length > 0 ? decodeRecordBatches(Buffer.from(p.records)).batches : [];
      let progressed = false;
      for (const b of batches) {
        b.records.forEach((r, i) => {
          const o = b.baseOffset + BigInt(r.offsetDelta ?? i);
          if (o < at) return;
          out.push({
            offset: o,
            key: r.key ? r.key.toString() : null,
            value: r.value ? r.value.toString() : null,
          });
        });
        const next = b.baseOffset + BigInt(b.lastOffsetDelta) + 1n;
        if (next > at) {
          at = next;
          progressed = true;
        }
      }
      if (!progressed || at >= p.highWatermark)
        return {
          errorCode: 0,
          logStartOffset: p.logStartOffset,
          highWatermark: p.highWatermark,
          records: out,
        };
    }
  }

  /** ListOffsets v7 for one partition: -2 earliest, -1 latest, -3 max timestamp, or a timestamp. */
  async listOffset(
    topic: string,
    partition: number,
    timestamp: bigint,
  ): Promise<{ errorCode: number; offset: bigint }> {
    const res = await this.wire.request(ListOffsets, 7, {
      replicaId: -1,
      isolationLevel: 0,
      topics: [
        { name: topic, partitions: [{ partitionIndex: partition, timestamp, currentLeaderEpoch: -1 }] },
      ],
    });
    const p = res.topics[0].partitions[0];
    return { errorCode: p.errorCode, offset: p.offset };
  }
}
