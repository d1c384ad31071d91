/**
 * The ScenarioContext a scenario runs with: our client's pieces (raw connections, cluster, admin,
 * producer, consumer) pointed at one target, closed by the runner afterwards whatever happened, and
 * the checkpoints the scenario asks to compare.
 */
import net from 'node:net';
import { Consumer } from '../../src/client/consumer/index.js';
import { Admin, Cluster, Connection, Producer, parseAddress } from '../../src/client/index.js';
import type { ProducerOptions } from '../../src/client/producer/types.js';
import type { ApiSpec, MessageInput, MessageValue } from '../../src/protocol/schema/declare.js';
import type { Checkpoint, RawOutcome, ScenarioContext, Target } from './types.js';

export class RunContext implements ScenarioContext {
  readonly checkpoints: Checkpoint[] = [];
  readonly logs: string[] = [];
  private readonly closers: (() => Promise<unknown>)[] = [];
  private sharedCluster: Cluster | undefined;

  constructor(
    readonly target: Target,
    private readonly runId: string,
    /** Per API key, the highest version every target serves: raw exchanges use at most that. */
    private readonly commonMax: ReadonlyMap<number, number> = new Map(),
  ) {}

  name(base: string): string {
    return `${base}-${this.runId}`;
  }

  async connection(options: { clientId?: string } = {}): Promise<Connection> {
    const { host, port } = parseAddress(this.target.bootstrap);
    const conn = new Connection({ host, port, clientId: options.clientId ?? 'kafkalab-conformance' });
    this.closers.push(() => conn.close());
    await conn.connect();
    return conn;
  }

  private defaultConnection: Promise<Connection> | undefined;

  async exchange<A extends ApiSpec>(
    label: string | null,
    api: A,
    body: MessageInput<A['request']>,
    options: { version?: number; connection?: Connection } = {},
  ): Promise<MessageValue<A['response']>> {
    this.defaultConnection ??= this.connection();
    const conn = options.connection ?? (await this.defaultConnection);
    // The same version on every target, so that the answers compare field for field.
    const version = options.version ?? conn.versionFor(api, { maxVersion: this.commonMax.get(api.apiKey) });
    const response = await conn.request(api, body, { version });
    if (label !== null) this.push({ label, api: api.name, version, value: response });
    return response;
  }

  checkpoint(label: string, value: unknown): void {
    this.push({ label, value });
  }

  private push(c: Checkpoint): void {
    if (this.checkpoints.some((x) => x.label === c.label))
      throw new Error(`checkpoint label "${c.label}" used twice in one scenario`);
    this.checkpoints.push(c);
  }

  cluster(): Cluster {
    if (!this.sharedCluster) {
      const cluster = new Cluster({ bootstrap: this.target.bootstrap, clientId: 'kafkalab-conformance' });
      this.sharedCluster = cluster;
      this.closers.push(() => cluster.close());
    }
    return this.sharedCluster;
  }

  async admin(): Promise<Admin> {
    const admin = new Admin({ bootstrap: this.target.bootstrap, clientId: 'kafkalab-conformance-admin' });
    this.closers.push(() => admin.close());
    await admin.connect();
    return admin;
  }

  async producer(options: ProducerOptions = {}): Promise<Producer> {
    const producer = new Producer({
      bootstrap: this.target.bootstrap,
      clientId: 'kafkalab-conformance-producer',
      ...options,
    });
    this.closers.push(() => producer.close());
    await producer.connect();
    return producer;
  }

  consumer(options: ConstructorParameters<typeof Consumer>[0]): Consumer {
    const consumer = new Consumer({
      clientId: 'kafkalab-conformance-consumer',
      ...options,
      bootstrap: this.target.bootstrap,
    });
    this.closers.push(() => consumer.close());
    return consumer;
  }

  raw(bytes: Uint8Array, options: { waitMs?: number } = {}): Promise<RawOutcome> {
    const waitMs = options.waitMs ?? 3000;
    const { host, port } = parseAddress(this.target.bootstrap);
    return new Promise<RawOutcome>((resolve, reject) => {
      const started = performance.now();
      const socket = net.connect({ host, port, noDelay: true });
      let received = Buffer.alloc(0);
      let settled = false;
      const finish = (outcome: RawOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.destroy();
        resolve(outcome);
      };
      const timer = setTimeout(() => finish({ kind: 'open', waitedMs: waitMs }), waitMs);
      socket.on('connect', () => socket.write(bytes));
      socket.on('data', (chunk) => {
        received = Buffer.concat([received, chunk]);
        if (received.length >= 4 && received.length >= 4 + received.readInt32BE(0)) {
          finish({ kind: 'response', frame: received.subarray(4, 4 + received.readInt32BE(0)) });
        }
      });
      // A reset (the broker closing while our bytes are still unread) counts as closed too.
      socket.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'ECONNRESET' || err.code === 'EPIPE')
          finish({ kind: 'closed', afterMs: performance.now() - started });
        else if (!settled) {
          settled = true;
          clearTimeout(timer);
          reject(err);
        }
      });
      socket.on('close', () => finish({ kind: 'closed', afterMs: performance.now() - started }));
    });
  }

  async until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
    const deadline = performance.now() + timeoutMs;
    let last: unknown;
    for (let attempt = 0; ; attempt++) {
      try {
        const value = await probe();
        if (value !== undefined) return value;
      } catch (err) {
        last = err;
      }
      if (performance.now() >= deadline)
        throw new Error(
          `gave up after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`,
        );
      // Polling a broker's state (no event to wait for): back off from 50 ms to 500 ms.
      await new Promise((r) => setTimeout(r, Math.min(500, 50 * 2 ** Math.min(attempt, 4))));
    }
  }

  log(message: string): void {
    this.logs.push(message);
  }

  /** Closes everything the scenario opened, newest first, each bounded. */
  async close(): Promise<void> {
    for (const close of this.closers.reverse()) {
      await Promise.race([close().catch(() => undefined), new Promise((r) => setTimeout(r, 10_000).unref())]);
    }
    this.closers.length = 0;
  }
}
