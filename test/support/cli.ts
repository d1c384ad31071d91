/**
 * Command-line programs run from tests: any program (`runProcess`: Kafka's tools, kcat, kafka.sh),
 * and the built kafkalab bin as a user runs it (`runCli`: dist/cli/main.js, built by
 * test/cli/global-setup.ts). Every run is bounded by a timeout that kills the child.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
export const CLI_MAIN = join(ROOT, 'dist', 'cli', 'main.js');

/** Outcome of a child process. */
export interface ProcessResult {
  /** null when the process was killed (see `signal` / `timedOut`). */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  /** From spawn to exit. */
  durationMs: number;
}

/** Spawns a command, feeds it `stdin`, and kills it after `timeoutMs`. Never rejects for a bad exit. */
export function runProcess(
  command: string,
  args: string[],
  options: { stdin?: string | Uint8Array; timeoutMs: number; env?: NodeJS.ProcessEnv; cwd?: string },
): Promise<ProcessResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env ?? process.env, cwd: options.cwd });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      resolve({
        exitCode,
        signal,
        timedOut,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        durationMs: performance.now() - started,
      });
    });
    // A program that exits before reading its input makes the write fail with EPIPE: not our error.
    child.stdin.on('error', () => {});
    child.stdin.end(options.stdin ?? '');
  });
}

export interface CliRun {
  /** null only when the process died of a signal. */
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `kafkalab ARGS` from the built bin. A run still going after `timeoutMs` (default 30 s) is
 * killed and rejects, naming the command and what it wrote to stderr, so a hang fails the test
 * with a reason instead of stalling the run.
 */
export async function runCli(
  args: string[],
  options: { stdin?: string | Uint8Array; timeoutMs?: number } = {},
): Promise<CliRun> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const r = await runProcess(process.execPath, [CLI_MAIN, ...args], {
    stdin: options.stdin,
    timeoutMs,
    cwd: ROOT,
  });
  if (r.timedOut) {
    throw new Error(`kafkalab ${args.join(' ')} still running after ${timeoutMs} ms; stderr: ${r.stderr}`);
  }
  return { code: r.exitCode, stdout: r.stdout, stderr: r.stderr };
}
