/**
 * Talks to the codec oracle (conformance/oracle/src/KafkaOracle.java): builds it if needed, starts
 * one JVM per kafka-clients pin, and turns its JSON-lines protocol into promises, answered in order.
 */
import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../../conformance/oracle/oracle.sh', import.meta.url));

export interface Pin {
  /** kafka-clients version, e.g. "4.1.1". */
  version: string;
  /** Directory holding that jar's common/message/*.json (extracted at build time, never committed). */
  specDir: string;
}

/**
 * Fetches the jars (Maven, first time only), extracts their message JSON and compiles the oracle.
 * Idempotent and about 0.1 s once built; a lock in oracle.sh keeps parallel test files from racing.
 */
export function buildOracle(): Pin[] {
  const out = execFileSync('bash', [SCRIPT, 'build'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return out
    .trim()
    .split('\n')
    .map((line) => {
      const [version, , specDir] = line.split(' ');
      return { version, specDir };
    });
}

export type OracleAnswer =
  | {
      ok: true;
      hex?: string;
      /** A decoded message's JSON as Kafka wrote it; parse with parseKafkaJson (int64 stays exact). */
      jsonText?: string;
      low?: number;
      high?: number;
    }
  | { ok: false; error: string };

const OK_HEX = '{"ok":true,"hex":"';

/**
 * Reads one answer line. The common shapes, `{"ok":true,"hex":"…"}` and `{"ok":true,"hex":"…","json":…}`
 * (KafkaOracle.java writes exactly these), are sliced rather than parsed: at a few hundred thousand
 * lines per run, JSON.parse with an int64-preserving reviver was the test's largest cost.
 */
function readAnswer(line: string): OracleAnswer {
  if (line.startsWith(OK_HEX)) {
    const end = line.indexOf('"', OK_HEX.length);
    const hex = line.slice(OK_HEX.length, end);
    if (line.length === end + 2) return { ok: true, hex };
    const JSON_KEY = ',"json":';
    if (line.startsWith(JSON_KEY, end + 1))
      return { ok: true, hex, jsonText: line.slice(end + 1 + JSON_KEY.length, -1) };
  }
  return JSON.parse(line) as OracleAnswer;
}

/** One running oracle JVM. Requests are answered strictly in order, so a FIFO of resolvers suffices. */
export class OracleProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: { resolve: (a: OracleAnswer) => void; reject: (e: Error) => void }[] = [];
  private buffered = '';
  private stderr = '';
  private exited: Error | undefined;

  constructor(readonly pin: string) {
    this.child = spawn('bash', [SCRIPT, 'run', pin], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => this.onData(chunk));
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (chunk: string) => {
      // SLF4J's "no binding" notice is expected (kafka-clients brings only slf4j-api)
      if (this.stderr.length < 10_000) this.stderr += chunk;
    });
    this.child.on('exit', (code, signal) => {
      this.exited = new Error(
        `oracle ${pin} exited (code ${code}, signal ${signal}); stderr:\n${this.stderr}`,
      );
      for (const w of this.waiting.splice(0)) w.reject(this.exited);
    });
    this.child.stdin.on('error', () => {}); // reported through 'exit'
  }

  private onData(chunk: string): void {
    this.buffered += chunk;
    let nl = this.buffered.indexOf('\n');
    while (nl >= 0) {
      const line = this.buffered.slice(0, nl);
      this.buffered = this.buffered.slice(nl + 1);
      const w = this.waiting.shift();
      if (w) {
        try {
          w.resolve(readAnswer(line));
        } catch (err) {
          w.reject(err as Error);
        }
      }
      nl = this.buffered.indexOf('\n');
    }
  }

  /** Sends pre-serialized request lines (JSON without newlines); resolves with the answers in order. */
  send(lines: string[]): Promise<OracleAnswer[]> {
    if (this.exited) return Promise.reject(this.exited);
    const answers = lines.map(
      () => new Promise<OracleAnswer>((resolve, reject) => this.waiting.push({ resolve, reject })),
    );
    this.child.stdin.write(lines.join('\n') + '\n');
    return Promise.all(answers);
  }

  async info(message: string): Promise<{ low: number; high: number } | undefined> {
    const [a] = await this.send([JSON.stringify({ op: 'info', message })]);
    return a.ok ? { low: a.low!, high: a.high! } : undefined;
  }

  /** Closes stdin and waits for the JVM to finish. */
  close(): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.stdin.end();
    });
  }
}
