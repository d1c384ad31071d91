// DescribeLogDirs (KIP-113) handler at every version it serves: the request and the response cross
// the wire codec at that version. Sizes follow the bytes appended; a null topic list asks for all
// partitions, a named one only for those that exist; v4 carries totalBytes of the whole directory.
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/emulator/cluster.js';
import { resolveConfig } from '../../src/emulator/config.js';
import type { HandlerContext } from '../../src/emulator/handler.js';
import describeLogDirs, { LOG_DIR } from '../../src/emulator/handlers/35-describe-log-dirs.js';
import { encodeRecordBatch } from '../../src/protocol/records/index.js';
import { codecFor } from '../../src/protocol/schema/codec.js';

async function call(
  cluster: Cluster,
  version: number,
  topics: { topic: string; partitions: number[] }[] | null,
) {
  const reqCodec = codecFor(describeLogDirs.api.request, version);
  const request = reqCodec.decode(reqCodec.encode({ topics }));
  const ctx = {
    cluster,
    config: cluster.config,
    broker: cluster.broker,
    connection: { id: 1, remote: '127.0.0.1:51234', clientId: 'tester' },
    header: { requestApiKey: 35, requestApiVersion: version, correlationId: 1, clientId: 'tester' },
    version,
    signal: new AbortController().signal,
    served: [],
    now: () => Date.now(),
    log: () => {},
  } as unknown as HandlerContext;
  const response = await describeLogDirs.handle(request as any, ctx);
  const codec = codecFor(describeLogDirs.api.response, version);
  return codec.decode(codec.encode(response as any)) as any;
}

function makeCluster() {
  const cluster = new Cluster(resolveConfig({ topics: [{ name: 'a', partitions: 2 }, { name: 'b' }] }));
  cluster.broker = { nodeId: 0, host: '127.0.0.1', port: 19092 } as any;
  return cluster;
}

describe('DescribeLogDirs', () => {
  it('every partition with size 0, lag 0, not future; sizes of all logs in v4 totalBytes', async () => {
    const cluster = makeCluster();
    for (const v of [1, 2, 3, 4]) {
      const r = await call(cluster, v, null);
      expect(r.results).toHaveLength(1);
      expect(r.results[0].logDir).toBe(LOG_DIR);
      const names = r.results[0].topics.map((t: any) => t.name).sort();
      expect(names).toContain('a');
      expect(names).toContain('b');
      const a = r.results[0].topics.find((t: any) => t.name === 'a');
      expect(a.partitions).toEqual([
        { partitionIndex: 0, partitionSize: 0n, offsetLag: 0n, isFutureKey: false },
        { partitionIndex: 1, partitionSize: 0n, offsetLag: 0n, isFutureKey: false },
      ]);
      if (v >= 4) expect(r.results[0].totalBytes).toBe(0n);
      else expect(r.results[0].totalBytes).toBe(-1n);
    }
  });

  it('named partitions only, unknown ones left out, sizes follow appends', async () => {
    const cluster = makeCluster();
    const log = cluster.topics.get('a')!.partitions[1];
    const bytes = encodeRecordBatch({
      records: [{ key: Buffer.from('k'), value: Buffer.alloc(50), timestamp: Date.now() }],
    });
    log.append({ bytes, recordCount: 1, maxTimestamp: Date.now() });
    const size = BigInt(bytes.length);
    expect(log.sizeInBytes).toBe(bytes.length);
    const r0 = await call(cluster, 4, [
      { topic: 'a', partitions: [1, 7] },
      { topic: 'nope', partitions: [0] },
    ]);
    expect(r0.results[0].topics).toEqual([
      {
        name: 'a',
        partitions: [{ partitionIndex: 1, partitionSize: size, offsetLag: 0n, isFutureKey: false }],
      },
    ]);
    expect(r0.results[0].totalBytes).toBe(size);
    // Asked for the other partition only: size 0 there, the directory still holds the bytes.
    const r1 = await call(cluster, 4, [{ topic: 'a', partitions: [0] }]);
    expect(r1.results[0].topics[0].partitions[0].partitionSize).toBe(0n);
    expect(r1.results[0].totalBytes).toBe(size);
  });
});
