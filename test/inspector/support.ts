/**
 * The inspector as a user runs it: the built bin (`kafkalab inspect --file`, `kafkalab emulator
 * --inspect`) in a child process, ready when it prints the page's address; and Debian's chromium,
 * headless, driven by playwright-core.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { encodeRequestFrame } from '../../src/protocol/frame.js';
import { apiByName } from '../../src/protocol/messages/index.js';
import type { TraceEntry } from '../../src/trace/entry.js';
import { CLI_MAIN, ROOT } from '../support/cli.js';

export const CHROMIUM = process.env.KAFKALAB_CHROMIUM ?? '/usr/bin/chromium';

export interface Spawned {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  /** The first match of `pattern` in stdout, waited for. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function spawnCli(args: string[]): Spawned {
  const child = spawn(process.execPath, [CLI_MAIN, ...args], { cwd: ROOT });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    err += d;
  });
  return {
    child,
    stdout: () => out,
    waitFor: (pattern, timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const m = pattern.exec(out);
          if (!m) return false;
          clearTimeout(timer);
          child.stdout.off('data', check);
          resolve(m);
          return true;
        };
        const timer = setTimeout(() => {
          child.stdout.off('data', check);
          reject(new Error(`no ${pattern} within ${timeoutMs} ms; stdout: ${out} stderr: ${err}`));
        }, timeoutMs);
        if (check()) return;
        child.stdout.on('data', check);
        void exited.then((code) => {
          if (pattern.exec(out)) return;
          clearTimeout(timer);
          reject(new Error(`kafkalab ${args[0]} exited (${code}); stderr: ${err}`));
        });
      }),
    stop: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

export const INSPECTOR_READY = /^kafkalab inspector on (http:\/\/127\.0\.0\.1:\d+\/)/m;

export function launchChromium(): Promise<Browser> {
  // --no-sandbox: CI runs as root in a container, where Chromium's sandbox cannot start.
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
}

/** The page script as the build emits it, for an inspector started inside the test process. */
export const PAGE_DIR = join(ROOT, 'dist', 'inspector', 'page');

const metadata = apiByName('Metadata')!;

/** A Metadata v12 exchange (no response) on `connection`, for feeding an inspector directly. */
export function metadataEntry(correlationId: number, connection = 1, clientId = 'test-client'): TraceEntry {
  const frame = encodeRequestFrame({
    api: metadata,
    version: 12,
    correlationId,
    clientId,
    body: {
      topics: [{ topicId: 'AAAAAAAAAAAAAAAAAAAAAA', name: `topic-${correlationId}` }],
      allowAutoTopicCreation: true,
    },
  } as any);
  return {
    connection,
    remote: `127.0.0.1:${50000 + connection}`,
    clientId,
    apiKey: metadata.apiKey,
    api: metadata.name,
    version: 12,
    correlationId,
    receivedAt: Date.now(),
    latencyMs: 0.5,
    outcome: 'no-response',
    errorCodes: [],
    request: frame,
  };
}
