/**
 * The shapes of the conformance suite: a target (a broker to run against), a scenario (one behaviour,
 * named after where it comes from), and what a scenario run leaves behind (checkpoints to compare and
 * every exchange the client had).
 */

import type { Consumer, ConsumerOptions } from '../../src/client/consumer/index.js';
import type { Admin, Cluster, Connection, Producer } from '../../src/client/index.js';
import type { ProducerOptions } from '../../src/client/producer/types.js';
import type { ApiSpec, MessageInput, MessageValue } from '../../src/protocol/schema/declare.js';

export type TargetName = 'emulator' | 'real';

export interface Target {
  name: TargetName;
  /** `host:port` */
  bootstrap: string;
  /** What the target is: "kafkalab emulator", "Apache Kafka 4.1.1 (kafka.sh)", "external broker". */
  description: string;
  /** The broker runs with auto.create.topics.enable=false (the suite starts both targets so). */
  autoCreateOff: boolean;
}

/** One request/response the client had, decoded, as the runner keeps it for the report. */
export interface RecordedExchange {
  api: string;
  version: number;
  request: unknown;
  response?: unknown;
  error?: string;
}

/** A value a scenario asks to be compared between targets, under a label unique within the scenario. */
export interface Checkpoint {
  label: string;
  /** For a raw exchange: the API and version, so that the comparison knows what it looks at. */
  api?: string;
  version?: number;
  value: unknown;
}

/** What happened to a raw frame sent by a bad-input scenario. */
export type RawOutcome =
  | { kind: 'closed'; afterMs: number }
  | { kind: 'response'; frame: Buffer }
  | { kind: 'open'; waitedMs: number };

export interface ScenarioContext {
  readonly target: Target;
  /** A name unique to this run (`<base>-<run id>`); the run id is normalised away before comparing. */
  name(base: string): string;
  /** A raw connection (versions negotiated) that the runner closes after the scenario. */
  connection(options?: { clientId?: string }): Promise<Connection>;
  /**
   * A raw request whose decoded response is kept as a checkpoint and compared between targets
   * (label null: not compared, e.g. a probe repeated until something holds).
   */
  exchange<A extends ApiSpec>(
    label: string | null,
    api: A,
    body: MessageInput<A['request']>,
    options?: { version?: number; connection?: Connection },
  ): Promise<MessageValue<A['response']>>;
  /** A value derived by the scenario (offsets read back, error names, record values) to compare. */
  checkpoint(label: string, value: unknown): void;
  cluster(): Cluster;
  admin(): Promise<Admin>;
  producer(options?: ProducerOptions): Promise<Producer>;
  consumer(options: Omit<ConsumerOptions, 'bootstrap' | 'cluster'>): Consumer;
  /** Writes raw bytes on a fresh socket and reports whether the broker answered or closed. */
  raw(bytes: Uint8Array, options?: { waitMs?: number }): Promise<RawOutcome>;
  /** Polls `probe` until it returns a value other than undefined; throws after `timeoutMs`. */
  until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs?: number): Promise<T>;
  log(message: string): void;
}

export interface Scenario {
  /** kebab-case, the file name without .ts */
  name: string;
  /** Where the expected behaviour comes from: the seed, a KIP, a broker rule (a Kafka source file). */
  source: string;
  /** What the scenario checks, one sentence. */
  description: string;
  /** Only meaningful on a broker with auto.create.topics.enable=false. */
  needsAutoCreateOff?: boolean;
  /** Upper bound for one run on one target (default 60 s). */
  timeoutMs?: number;
  run(ctx: ScenarioContext): Promise<void>;
}
