/**
 * Reads a partition back with our own Fetch (v12, topic names) and record batch decoder: what the
 * broker (the emulator or a real one) really stored, independent of the producer under test.
 */
import { parseAddress } from '../../../src/client/cluster.js';
import { Connection } from '../../../src/client/connection.js';
import { Fetch } from '../../../src/protocol/messages/01-fetch.js';
import { decodeRecordBatches, ensureCodecs, type RecordBatch } from '../../../src/protocol/records/index.js';

export interface StoredRecord {
  offset: bigint;
  key: string | null;
  value: string | null;
  headers: { key: string; value: string | null }[];
  timestamp: bigint;
  batch: RecordBatch;
}

/** An emulator (host, port) or a `host:port` bootstrap address. */
export async function readPartition(
  broker: { host: string; port: number } | string,
  topic: string,
  partition: number,
): Promise<StoredRecord[]> {
  await ensureCodecs();
  const { host, port } = typeof broker === 'string' ? parseAddress(broker) : broker;
  const c = new Connection({ host, port });
  try {
    await c.connect();
    const out: StoredRecord[] = [];
    let offset = 0n;
    for (let round = 0; round < 1000; round++) {
      const res = await c.request(
        Fetch,
        {
          maxWaitMs: 0,
          minBytes: 0,
          maxBytes: 16 << 20,
          topics: [{ topic, partitions: [{ partition, fetchOffset: offset, partitionMaxBytes: 16 << 20 }] }],
        },
        { version: 12 },
      );
      const p = res.responses[0].partitions[0];
      if (p.errorCode !== 0) throw new Error(`Fetch ${topic}-${partition}: error ${p.errorCode}`);
      const { batches } = decodeRecordBatches(p.records ?? new Uint8Array());
      let got = 0;
      for (const batch of batches) {
        for (const r of batch.records) {
          if (r.offset < offset) continue;
          out.push({
            offset: r.offset,
            key: r.key === null ? null : r.key.toString(),
            value: r.value === null ? null : r.value.toString(),
            headers: r.headers.map((h) => ({
              key: h.key,
              value: h.value === null ? null : h.value.toString(),
            })),
            timestamp: r.timestamp,
            batch,
          });
          offset = r.offset + 1n;
          got++;
        }
      }
      if (got === 0 || offset >= p.highWatermark) break;
    }
    return out;
  } finally {
    await c.close();
  }
}
