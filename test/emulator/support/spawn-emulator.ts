/**
 * `kafkalab emulator` as a user runs it: the built bin (dist/cli/main.js, built by
 * test/cli/global-setup.ts) in a child process, ready when it prints its listening line.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { CLI_MAIN, ROOT } from '../../support/cli.js';

const READY = /^kafkalab emulator listening on (\S+):(\d+) \(node (\d+)\)$/m;

export interface SpawnedEmulator {
  child: ChildProcessWithoutNullStreams;
  port: number;
  /** Everything written to stdout so far. */
  stdout(): string;
  stderr(): string;
  /** Sends the signal and resolves with the exit code (null when killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function spawnEmulator(args: string[], readyTimeoutMs = 30_000): Promise<SpawnedEmulator> {
  const child = spawn(process.execPath, [CLI_MAIN, 'emulator', ...args], { cwd: ROOT });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    err += d;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no ready line within ${readyTimeoutMs} ms; stdout: ${out} stderr: ${err}`));
    }, readyTimeoutMs);
    const onData = () => {
      const m = READY.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      resolve({
        child,
        port: Number(m[2]),
        stdout: () => out,
        stderr: () => err,
        stop: (signal = 'SIGTERM') => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      });
    };
    child.stdout.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`emulator exited (${code}) before it was ready; stderr: ${err}`));
    });
  });
}
