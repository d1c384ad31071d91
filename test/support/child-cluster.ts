/**
 * A fake cluster in a child process (librdkafka's mock cluster from Python, franz-go's kfake from Go):
 * the child prints its bootstrap addresses as one comma-separated line on stdout and stays up until
 * its stdin closes. A child that exits, prints nothing within the start timeout or prints something
 * else fails with its stderr, so a missing tool is a clear failure, never a silent skip.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';

export interface ChildCluster {
  /** `host:port` of every broker, in the order the child printed them. */
  readonly brokers: string[];
  /** The same, comma-separated (bootstrap.servers). */
  readonly bootstrap: string;
  /** The child's process id (for its CPU time and memory in benchmarks). */
  readonly pid: number;
  /** Closes the child's stdin and waits for it to exit (SIGKILL after 5 s). */
  stop(): Promise<void>;
}

export function startChildCluster(o: {
  /** Names the cluster in errors (`librdkafka mock cluster`). */
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  startTimeoutMs?: number;
}): Promise<ChildCluster> {
  const startTimeoutMs = o.startTimeoutMs ?? 20_000;
  return new Promise((resolve, reject) => {
    let child: ChildProcessWithoutNullStreams;
    try {
      child = spawn(o.command, o.args, { env: o.env ?? process.env });
    } catch (err) {
      reject(new Error(`cannot start the ${o.name} (${o.command}): ${(err as Error).message}`));
      return;
    }
    let stdout = '';
    let stderr = '';
    let settled = false;
    const exited = new Promise<void>((r) => child.once('close', () => r()));
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`the ${o.name} did not start: ${why}${stderr ? `\n${stderr.trim()}` : ''}`));
    };
    const timer = setTimeout(() => fail(`no address line within ${startTimeoutMs} ms`), startTimeoutMs);
    child.on('error', (err) => fail(`${o.command}: ${err.message}`));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('close', (code, signal) => fail(`it exited (${signal ?? `code ${code}`})`));
    child.stdin.on('error', () => {});
    child.stdout.on('data', (chunk: Buffer) => {
      if (settled) return;
      stdout += chunk.toString('utf8');
      const nl = stdout.indexOf('\n');
      if (nl < 0) return;
      const line = stdout.slice(0, nl).trim();
      const brokers = line.split(',').filter((a) => a.length > 0);
      if (brokers.length === 0 || !brokers.every((a) => /^[^\s:]+:\d+$/.test(a))) {
        fail(`its first line is not a list of host:port: "${line}"`);
        return;
      }
      settled = true;
      clearTimeout(timer);
      resolve({
        brokers,
        bootstrap: brokers.join(','),
        pid: child.pid!,
        stop: async () => {
          child.stdin.end();
          const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
          await exited;
          clearTimeout(kill);
        },
      });
    });
  });
}
