/**
 * The cross-client workflow's messages, targets and outcome, shared by every client's driver.
 *
 * The workflow (issue 5, "Cross-client matrix"): create a topic with 2 partitions, produce 1000 keyed
 * messages, consume them in a group of two members, commit, then produce 100 more and let a new member
 * of the same group resume: it must read only those 100.
 *
 * Keys are picked so that Kafka's default partitioner (murmur2 of the key, as Java's client, kafkajs'
 * DefaultPartitioner, librdkafka's murmur2_random and kafkalab's producer compute it) sends exactly
 * half of each phase to each partition. That lets the Java console consumers and kcat stop after
 * `--max-messages 500` / `-c 500` each, and the test checks the split on the broker, which also proves
 * that the four partitioners agree.
 */
import { partitionForKey } from '../../../src/client/producer/murmur2.js';

export const PARTITIONS = 2;
export const FIRST_COUNT = 1000;
export const RESUME_COUNT = 100;

export interface PlannedMessage {
  key: string;
  value: string;
  /** Where murmur2 sends the key among PARTITIONS partitions. */
  partition: number;
}

export interface ReceivedMessage {
  partition: number;
  key: string;
  value: string;
}

/** A broker to run against: the emulator or a real Apache Kafka. */
export interface Target {
  name: string;
  bootstrap: string;
}

/** Topic and group names, unique per client × target so that combinations never share state. */
export interface WorkflowNames {
  topic: string;
  group: string;
}

/** Committed offset, log end and lag of one partition, as a client's own tool reported them. */
export interface ReportedOffsets {
  partition: number;
  current: bigint;
  logEnd: bigint;
  lag: bigint;
}

/** The broker's side, seen by the neutral observer (kafkalab's admin clients). */
export interface BrokerSnapshot {
  /** Log end offset by partition. */
  ends: Map<number, bigint>;
  /** The group's committed offset by partition. */
  committed: Map<number, bigint>;
}

export interface WorkflowOutcome {
  /** What each of the two members of the first group consumed, in arrival order. */
  members: ReceivedMessage[][];
  /** After the group's members committed and left, before the resume step produced anything. */
  afterGroup: BrokerSnapshot;
  /** What the new member of the same group read after the commit. */
  resumed: ReceivedMessage[];
  /** The client's own report of the group's offsets (kafka-consumer-groups), where it has one. */
  reportedAfterGroup?: ReportedOffsets[];
  reportedAfterResume?: ReportedOffsets[];
}

/** Keys `key-0`, `key-1`, ... split by murmur2 into `perPartition` messages for each partition. */
function plan(prefix: string, perPartition: number, skip: Set<string>): PlannedMessage[] {
  const out: PlannedMessage[] = [];
  const taken = new Array<number>(PARTITIONS).fill(0);
  // Bounded: murmur2 spreads keys about evenly, so 20× the wanted count is far more than enough.
  for (let i = 0; out.length < perPartition * PARTITIONS && i < perPartition * PARTITIONS * 20; i++) {
    const key = `key-${i}`;
    if (skip.has(key)) continue;
    const partition = partitionForKey(Buffer.from(key), PARTITIONS);
    if (taken[partition] >= perPartition) continue;
    taken[partition]++;
    out.push({ key, value: `${prefix}-${out.length}`, partition });
  }
  if (out.length !== perPartition * PARTITIONS) throw new Error(`could not plan ${prefix} keys`);
  return out;
}

export const FIRST: readonly PlannedMessage[] = plan('first', FIRST_COUNT / PARTITIONS, new Set());
export const RESUME: readonly PlannedMessage[] = plan(
  'resume',
  RESUME_COUNT / PARTITIONS,
  new Set(FIRST.map((m) => m.key)),
);

/** `key:value` lines, for the console producer (parse.key) and kcat (-K:). */
export function keyValueLines(messages: readonly PlannedMessage[]): string {
  return messages.map((m) => `${m.key}:${m.value}\n`).join('');
}

/** Rejects with `what` if `promise` has not settled within `ms`: every wait in the matrix is bounded. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not done within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Resolves when `count()` reaches `target`; call `check()` after each arrival. */
export class CountLatch {
  private resolve: (() => void) | undefined;
  readonly done: Promise<void>;
  constructor(
    private readonly target: number,
    private readonly count: () => number,
  ) {
    this.done = new Promise((resolve) => {
      this.resolve = resolve;
    });
  }
  check(): void {
    if (this.count() >= this.target) this.resolve?.();
  }
}
