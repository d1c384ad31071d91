/**
 * A real Apache Kafka broker for a test suite: one KRaft node (broker + controller) on free
 * 127.0.0.1 ports, started and stopped through conformance/real-kafka/kafka.sh, each suite in its
 * own state directory so that suites (and a developer's `npm run kafka:start`) never share one.
 *
 *     let kafka: RealKafka;
 *     beforeAll(async () => { kafka = await startRealKafka(); }, 300_000);
 *     afterAll(() => kafka?.stop(), 60_000);
 *
 * The broker is also told to stop when this process goes away (kafka.sh's KAFKA_WATCH_PID), so a
 * test run that is killed leaves no broker behind.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProcess } from './cli.js';
import { KAFKA_SH } from './kafka-tools.js';

export interface RealKafka {
  /** `127.0.0.1:PORT`, for `--bootstrap-server` and any client. */
  readonly bootstrap: string;
  /** node.id of the single broker (kafka.sh uses 0, like the emulator). */
  readonly nodeId: number;
  /** The broker's JVM (a new one after restart()). */
  readonly pid: number;
  /** The broker's log, in the state directory (deleted by stop()). */
  readonly logFile: string;
  /** From calling startRealKafka to the broker accepting connections (jars already fetched). */
  readonly startMs: number;
  /** Time spent fetching the jars first (0 when already cached). */
  readonly fetchMs: number;
  /**
   * A rolling restart (kafka.sh restart): controlled shutdown, then the same broker again on the same
   * ports with the same data — topics, logs and committed offsets survive. Resolves once it accepts
   * connections again.
   */
  restart(): Promise<void>;
  /** Stops the broker and deletes its data and state directory. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartRealKafkaOptions {
  /** Give up (and clean up) after this long. Default 180 s, on top of fetching the jars. */
  timeoutMs?: number;
  /** Broker settings on top of kafka.sh's (its KAFKA_OVERRIDES), e.g. `{ 'auto.create.topics.enable': 'false' }`. */
  overrides?: Record<string, string>;
}

export async function startRealKafka(options: StartRealKafkaOptions = {}): Promise<RealKafka> {
  const timeoutMs = options.timeoutMs ?? 180_000;
  // Fetch first, with its own long bound: a bare machine downloads ~43 MB before the first start.
  const fetchStarted = performance.now();
  const fetched = await runProcess('bash', [KAFKA_SH, 'fetch'], { timeoutMs: 900_000 });
  if (fetched.exitCode !== 0) throw new Error(`kafka.sh fetch failed:\n${fetched.stderr}`);
  const fetchMs = fetched.stderr.includes('fetched ') ? performance.now() - fetchStarted : 0;

  const stateDir = await mkdtemp(join(tmpdir(), 'kafkalab-real-kafka-'));
  const env = {
    ...process.env,
    KAFKA_WATCH_PID: String(process.pid),
    KAFKA_START_TIMEOUT: String(Math.ceil(timeoutMs / 1000)),
    KAFKA_OVERRIDES: Object.entries(options.overrides ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join('\n'),
  };
  const stopBroker = async () => {
    await runProcess('bash', [KAFKA_SH, 'stop', '--dir', stateDir], { timeoutMs: 60_000, env });
  };
  const started = await runProcess('bash', [KAFKA_SH, 'start', '--dir', stateDir], {
    // kafka.sh bounds its own wait; this outer bound only catches a hung script.
    timeoutMs: timeoutMs + 30_000,
    env,
  });
  if (started.exitCode !== 0) {
    await stopBroker();
    const log = await readFile(join(stateDir, 'broker.log'), 'utf8').catch(() => '(no broker.log)');
    await rm(stateDir, { recursive: true, force: true });
    throw new Error(
      `kafka.sh start failed (exit ${started.exitCode}${started.timedOut ? ', timed out' : ''}):\n` +
        `${started.stderr}\n--- end of broker.log ---\n${log.split('\n').slice(-40).join('\n')}`,
    );
  }
  const bootstrap = (await readFile(join(stateDir, 'bootstrap'), 'utf8')).trim();
  const nodeId = Number((await readFile(join(stateDir, 'node-id'), 'utf8')).trim());
  const readPid = async () => Number((await readFile(join(stateDir, 'pid'), 'utf8')).trim());
  let pid = await readPid();
  let stopping: Promise<void> | undefined;
  return {
    bootstrap,
    nodeId,
    get pid() {
      return pid;
    },
    logFile: join(stateDir, 'broker.log'),
    startMs: started.durationMs,
    fetchMs,
    async restart() {
      const restarted = await runProcess('bash', [KAFKA_SH, 'restart', '--dir', stateDir], {
        timeoutMs: timeoutMs + 60_000,
        env,
      });
      if (restarted.exitCode !== 0) {
        const log = await readFile(join(stateDir, 'broker.log'), 'utf8').catch(() => '(no broker.log)');
        throw new Error(
          `kafka.sh restart failed (exit ${restarted.exitCode}${restarted.timedOut ? ', timed out' : ''}):\n` +
            `${restarted.stderr}\n--- end of broker.log ---\n${log.split('\n').slice(-40).join('\n')}`,
        );
      }
      pid = await readPid();
    },
    stop() {
      stopping ??= (async () => {
        await stopBroker();
        await rm(stateDir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}

/** Resident memory of a process in bytes (Linux /proc), or undefined where that is not available. */
export async function residentMemoryBytes(pid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined);
  const match = status === undefined ? null : /^VmRSS:\s+(\d+) kB$/m.exec(status);
  return match ? Number(match[1]) * 1024 : undefined;
}
