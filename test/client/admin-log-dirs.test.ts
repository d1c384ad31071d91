// describeLogDirs (src/client/admin-log-dirs.ts) against an emulator listener (handlers/35,
// DescribeLogDirs): the broker's one directory, each partition's size as the log holds it, v4's
// totalBytes, a topic filter.
import { afterEach, describe, expect, it } from 'vitest';
import { runLogDirs } from '../../src/cli/commands/log-dirs.js';
import { Admin } from '../../src/client/admin.js';
import { describeLogDirs } from '../../src/client/admin-log-dirs.js';
import { Cluster as ClientCluster } from '../../src/client/cluster.js';
import { Cluster } from '../../src/emulator/cluster.js';
import { resolveConfig } from '../../src/emulator/config.js';
import { LOG_DIR } from '../../src/emulator/handlers/35-describe-log-dirs.js';
import { HANDLERS, routeHandlers, servedApis } from '../../src/emulator/handlers/index.js';
import { Hooks } from '../../src/emulator/hooks.js';
import { EmulatorServer } from '../../src/emulator/server.js';
import { encodeRecordBatch } from '../../src/protocol/records/index.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function serve() {
  const cluster = new Cluster(
    resolveConfig({ port: 0, topics: [{ name: 'a', partitions: 2 }, { name: 'b' }] }),
  );
  const handlers = routeHandlers(HANDLERS);
  const server = new EmulatorServer({ cluster, handlers, served: servedApis(handlers), hooks: new Hooks() });
  const bound = await server.listen('127.0.0.1', 0);
  cluster.broker.host = '127.0.0.1';
  cluster.broker.port = bound.port;
  cleanups.push(
    () => cluster.stop(),
    () => server.close(),
  );
  const client = new ClientCluster({ bootstrap: [`127.0.0.1:${bound.port}`] });
  cleanups.push(() => client.close());
  await client.connect();
  return { cluster, client };
}

describe('describeLogDirs', () => {
  it('one directory with every partition and its size; a filter narrows it', async () => {
    const { cluster, client } = await serve();
    const bytes = encodeRecordBatch({
      records: [{ key: Buffer.from('k'), value: Buffer.alloc(40), timestamp: Date.now() }],
    });
    cluster.topics.get('a')!.partitions[0].append({ bytes, recordCount: 1, maxTimestamp: Date.now() });
    const size = BigInt(bytes.length);
    const all = await describeLogDirs(client, [cluster.broker.nodeId]);
    const dirs = all.get(cluster.broker.nodeId)!;
    expect(dirs).toHaveLength(1);
    expect(dirs[0].logDir).toBe(LOG_DIR);
    expect(dirs[0].totalBytes).toBe(size);
    const mine = dirs[0].replicas.filter((r) => r.topic === 'a' || r.topic === 'b');
    expect(mine.sort((x, y) => (x.topic + x.partition).localeCompare(y.topic + y.partition))).toEqual([
      { topic: 'a', partition: 0, size, offsetLag: 0n, isFuture: false },
      { topic: 'a', partition: 1, size: 0n, offsetLag: 0n, isFuture: false },
      { topic: 'b', partition: 0, size: 0n, offsetLag: 0n, isFuture: false },
    ]);
    const some = await describeLogDirs(client, [cluster.broker.nodeId], [{ topic: 'b', partitions: [0] }]);
    expect(some.get(cluster.broker.nodeId)![0].replicas).toEqual([
      { topic: 'b', partition: 0, size: 0n, offsetLag: 0n, isFuture: false },
    ]);
  });
});

describe('kafkalab log-dirs --describe', () => {
  it("prints kafka-log-dirs.sh's three lines, the topic list filtering partitions", async () => {
    const { cluster } = await serve();
    let text = '';
    const out = {
      write(s: string) {
        text += s;
        return true;
      },
    } as any;
    await runLogDirs(
      { describe: true, topicList: 'b', bootstrapServer: `127.0.0.1:${cluster.broker.port}` },
      out,
    );
    const lines = text.split('\n');
    expect(lines[0]).toBe('Querying brokers for log directories information');
    expect(lines[1]).toBe(`Received log directory information from brokers ${cluster.broker.nodeId}`);
    expect(JSON.parse(lines[2])).toEqual({
      brokers: [
        {
          broker: cluster.broker.nodeId,
          logDirs: [
            {
              logDir: LOG_DIR,
              error: null,
              partitions: [{ partition: 'b-0', size: 0, offsetLag: 0, isFuture: false }],
            },
          ],
        },
      ],
      version: 1,
    });
    await expect(runLogDirs({}, out)).rejects.toThrow('Missing required argument "[describe]"');
  });
});

describe('Admin.describeLogDirs', () => {
  it('asks every known broker when none is named', async () => {
    const { cluster } = await serve();
    const admin = new Admin({ bootstrap: `127.0.0.1:${cluster.broker.port}` });
    cleanups.push(() => admin.close());
    const dirs = await admin.describeLogDirs(undefined, [{ topic: 'a', partitions: [1] }]);
    expect([...dirs.keys()]).toEqual([cluster.broker.nodeId]);
    expect(dirs.get(cluster.broker.nodeId)?.[0].replicas).toEqual([
      { topic: 'a', partition: 1, size: 0n, offsetLag: 0n, isFuture: false },
    ]);
  });
});
