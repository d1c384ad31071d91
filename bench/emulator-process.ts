/**
 * The emulator in its own process, for benchmarks: a client measured in this process then pays
 * only its own CPU, and the emulator's share can be read from /proc. Runs the built dist/ (rebuilt
 * first when a source is newer than it).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import buildDist from '../test/cli/global-setup.js';

export const CLI = join(import.meta.dirname, '..', 'dist', 'cli', 'main.js');
export const READY = /kafkalab emulator listening on [^:]+:(\d+) \(node \d+\)/;
const CLK_TCK = 100; // Linux USER_HZ; /proc/PID/stat counts CPU time in these ticks

export function waitForLine(child: ChildProcess, re: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no ${re} within ${timeoutMs} ms: ${out}`)), timeoutMs);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = re.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code} before ready: ${out}`)));
  });
}

/** utime + stime of a process in ms (Linux /proc; fields 14 and 15 after the command name). */
export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
}

export interface EmulatorProcess {
  bootstrap: string;
  pid: number;
  stop(): Promise<void>;
}

/** Starts `kafkalab emulator --port 0 …args` and resolves at its ready line. */
export async function startEmulatorProcess(args: string[] = []): Promise<EmulatorProcess> {
  await buildDist();
  const child = spawn(process.execPath, [CLI, 'emulator', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = Number((await waitForLine(child, READY, 30_000))[1]);
  return {
    bootstrap: `127.0.0.1:${port}`,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.on('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** The broker a client benchmark runs against: the emulator (default) or a real one. */
export interface BenchBroker extends EmulatorProcess {
  /** For the report: "emulator (child process)" or "Apache Kafka 4.1.1 (KRaft, one broker)". */
  label: string;
}

/**
 * BENCH_BROKER=real runs the benchmark against a real Apache Kafka broker (conformance/real-kafka,
 * jars from Maven Central, fetched on first use) with the topics created through our admin client;
 * anything else against the emulator in a child process. Either way the broker is another process,
 * so this process's CPU is the client's alone.
 */
export async function startBenchBroker(topics: { name: string; partitions: number }[]): Promise<BenchBroker> {
  if (process.env.BENCH_BROKER !== 'real') {
    const emulator = await startEmulatorProcess(
      topics.flatMap((t) => ['--topic', `${t.name}:${t.partitions}`]),
    );
    return { ...emulator, label: 'emulator (child process)' };
  }
  const { startRealKafka } = await import('../test/support/real-kafka.js');
  const { Admin } = await import('../src/client/admin.js');
  const kafka = await startRealKafka({ timeoutMs: 300_000 });
  try {
    const admin = new Admin({ bootstrap: kafka.bootstrap, clientId: 'bench-setup' });
    try {
      await admin.createTopics({
        topics: topics.map((t) => ({ topic: t.name, numPartitions: t.partitions, replicationFactor: 1 })),
      });
    } finally {
      await admin.close();
    }
  } catch (err) {
    await kafka.stop();
    throw err;
  }
  return {
    bootstrap: kafka.bootstrap,
    pid: kafka.pid,
    stop: () => kafka.stop(),
    label: 'Apache Kafka 4.1.1 (KRaft, one broker, JVM)',
  };
}
