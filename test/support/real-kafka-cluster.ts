/**
 * A real Apache Kafka cluster for a test suite: N KRaft nodes (each broker and controller, a static
 * N-voter quorum) on free 127.0.0.1 ports, through `kafka.sh start-cluster N`, in a state directory
 * of its own. Nodes can be stopped (controlled shutdown, data kept) and started again.
 *
 *     let kafka: RealKafkaCluster;
 *     beforeAll(async () => { kafka = await startRealKafkaCluster({ brokers: 3 }); }, 300_000);
 *     afterAll(() => kafka?.stop(), 90_000);
 *
 * As with startRealKafka, the cluster is also stopped when this process goes away (KAFKA_WATCH_PID).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProcess } from './cli.js';
import { KAFKA_SH } from './kafka-tools.js';

export interface RealKafkaNode {
  readonly nodeId: number;
  /** `127.0.0.1:PORT` of its PLAINTEXT listener. */
  readonly address: string;
}

export interface RealKafkaCluster {
  /** Every broker, comma-separated, for `--bootstrap-server` and any client. */
  readonly bootstrap: string;
  /** Node ids 0..N-1, in order. */
  readonly nodes: readonly RealKafkaNode[];
  /** From calling startRealKafkaCluster to every broker accepting connections (jars already fetched). */
  readonly startMs: number;
  /** The directory holding node-K/broker.log (deleted by stop()). */
  readonly stateDir: string;
  /** Controlled shutdown of one node (SIGTERM); its data stays for startNode. */
  stopNode(nodeId: number): Promise<void>;
  /** Starts a stopped node again on its ports; resolves once it accepts connections. */
  startNode(nodeId: number): Promise<void>;
  /** Stops every node and deletes the data and the state directory. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartRealKafkaClusterOptions {
  /** Number of nodes (default 3). */
  brokers?: number;
  /** Give up (and clean up) after this long. Default 240 s, on top of fetching the jars. */
  timeoutMs?: number;
  /** Settings appended to every node's server.properties (kafka.sh's KAFKA_OVERRIDES). */
  overrides?: Record<string, string>;
}

async function tail(file: string, lines = 30): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => `(no ${file})`);
  return text.split('\n').slice(-lines).join('\n');
}

export async function startRealKafkaCluster(
  options: StartRealKafkaClusterOptions = {},
): Promise<RealKafkaCluster> {
  const n = options.brokers ?? 3;
  const timeoutMs = options.timeoutMs ?? 240_000;
  const fetched = await runProcess('bash', [KAFKA_SH, 'fetch'], { timeoutMs: 900_000 });
  if (fetched.exitCode !== 0) throw new Error(`kafka.sh fetch failed:\n${fetched.stderr}`);

  const stateDir = await mkdtemp(join(tmpdir(), 'kafkalab-real-cluster-'));
  const env = {
    ...process.env,
    KAFKA_WATCH_PID: String(process.pid),
    KAFKA_START_TIMEOUT: String(Math.ceil(timeoutMs / 1000)),
    KAFKA_OVERRIDES: Object.entries(options.overrides ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join('\n'),
  };
  const kafkaSh = (args: string[], bound: number) =>
    runProcess('bash', [KAFKA_SH, ...args, '--dir', stateDir], { timeoutMs: bound, env });
  const logs = async () => {
    const parts: string[] = [];
    for (let k = 0; k < n; k++)
      parts.push(
        `--- end of node-${k}/broker.log ---\n${await tail(join(stateDir, `node-${k}`, 'broker.log'))}`,
      );
    return parts.join('\n');
  };
  const started = await kafkaSh(['start-cluster', String(n)], timeoutMs + 60_000);
  if (started.exitCode !== 0) {
    const why = `${started.stderr}\n${await logs()}`;
    await kafkaSh(['stop-cluster'], 90_000);
    await rm(stateDir, { recursive: true, force: true });
    throw new Error(
      `kafka.sh start-cluster ${n} failed (exit ${started.exitCode}${started.timedOut ? ', timed out' : ''}):\n${why}`,
    );
  }
  const bootstrap = (await readFile(join(stateDir, 'bootstrap'), 'utf8')).trim();
  const nodes = bootstrap.split(',').map((address, nodeId) => ({ nodeId, address }));
  const nodeCommand = async (cmd: 'stop-node' | 'start-node', nodeId: number) => {
    if (!nodes.some((x) => x.nodeId === nodeId)) throw new Error(`no node ${nodeId} (nodes 0..${n - 1})`);
    const r = await kafkaSh([cmd, String(nodeId)], timeoutMs + 60_000);
    if (r.exitCode !== 0)
      throw new Error(
        `kafka.sh ${cmd} ${nodeId} failed (exit ${r.exitCode}):\n${r.stderr}\n${await tail(join(stateDir, `node-${nodeId}`, 'broker.log'))}`,
      );
  };
  let stopping: Promise<void> | undefined;
  return {
    bootstrap,
    nodes,
    startMs: started.durationMs,
    stateDir,
    stopNode: (id) => nodeCommand('stop-node', id),
    startNode: (id) => nodeCommand('start-node', id),
    stop() {
      stopping ??= (async () => {
        await kafkaSh(['stop-cluster'], 90_000);
        await rm(stateDir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}
