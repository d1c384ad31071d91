/**
 * The seed's experiment: does a second consumer in the same group read a two-partition topic faster?
 * Produce the messages once, spread evenly over the partitions; then, for each consumer count, start
 * that many consumers in a fresh group (so every run reads from the earliest offset) and time until
 * every message has been delivered to one of them. Several runs per count, because a single timing on
 * a shared machine says little.
 *
 * The consumers live in this process (one Node thread): the experiment shows how a group splits
 * partitions and what joining costs, not how much CPU parallelism helps.
 */
import { Admin } from '../client/admin.js';
import { GroupAdmin } from '../client/admin-groups.js';
import { Consumer } from '../client/consumer/consumer.js';
import { KafkaClientError } from '../client/errors.js';
import { Producer } from '../client/producer/producer.js';
import { type GroupProtocol, type RebalanceRun, runRebalanceScenario } from './consumers-rebalance.js';
import { type Spread, spreadOf } from './summary.js';

export interface ConsumersExperimentOptions {
  bootstrap: string;
  topic: string;
  partitions: number;
  messages: number;
  /** Consumer counts to compare, e.g. [1, 2]. */
  consumers: number[];
  runs: number;
  /** Value size of each message (default 100 bytes). */
  messageBytes?: number;
  /** Bound on one run (default 120 s): a run that has not read everything by then fails. */
  runTimeoutMs?: number;
  /**
   * The group protocol of the consumers (default 'classic'): 'consumer' is KIP-848, the broker
   * assigns and members reconcile one heartbeat at a time, without a stop-the-world JoinGroup.
   */
  groupProtocol?: GroupProtocol;
  /** Several protocols to compare, one after the other on the same topic (wins over groupProtocol). */
  groupProtocols?: GroupProtocol[];
  /**
   * Also time, `runs` times per protocol, a third consumer joining two that are reading (see
   * consumers-rebalance.ts): the pause, who stopped, the group requests.
   */
  rebalance?: boolean;
  /** Told how far along the experiment is (the CLI draws its progress bar from it). */
  onProgress?: (p: Progress) => void;
}

export interface Progress {
  phase: 'produce' | 'consume' | 'rebalance';
  /** e.g. "2 consumers, run 1/3". */
  label: string;
  done: number;
  total: number;
}

export interface RunResult {
  /** From the group being complete (every consumer holds its final partitions) to the last message. */
  elapsedMs: number;
  /** From starting the consumers to the group being complete: JoinGroup/SyncGroup rounds, rebalances. */
  joinMs: number;
  /** Partitions each consumer owned at the end, in consumer order (e.g. [1, 1]). */
  partitionsEach: number[];
  /** Records delivered, re-deliveries after a rebalance included (≥ the message count). */
  delivered: number;
}

export interface ConsumerCountResult {
  protocol: GroupProtocol;
  consumers: number;
  runs: RunResult[];
  elapsed: Spread;
  join: Spread;
  /** messages / median elapsed time. */
  messagesPerSecond: number;
}

export interface ConsumersExperimentResult {
  bootstrap: string;
  topic: string;
  partitions: number;
  messages: number;
  messageBytes: number;
  produceMs: number;
  /** The protocols compared, in the order they ran. */
  protocols: GroupProtocol[];
  /** Protocol by protocol, consumer count by consumer count. */
  results: ConsumerCountResult[];
  /** The join-while-reading runs (with `rebalance`), protocol by protocol; empty without. */
  rebalance: RebalanceRun[];
}

const SEND_CHUNK = 500;
const SENDS_IN_FLIGHT = 16;

export async function runConsumersExperiment(
  o: ConsumersExperimentOptions,
): Promise<ConsumersExperimentResult> {
  validate(o);
  const messageBytes = o.messageBytes ?? 100;
  const produceMs = await createAndFill(o, messageBytes);
  const results: ConsumerCountResult[] = [];
  const groups: string[] = [];
  const nonce = Math.random().toString(36).slice(2, 8);
  const protocols = o.groupProtocols ?? [o.groupProtocol ?? 'classic'];
  // One protocol: the group ids (and labels) the experiment always had; several: the protocol in them.
  const tag = (p: GroupProtocol) => (protocols.length > 1 ? `${p}-` : '');
  const rebalance: RebalanceRun[] = [];
  try {
    for (const protocol of protocols) {
      for (const consumers of o.consumers) {
        const runs: RunResult[] = [];
        for (let run = 1; run <= o.runs; run++) {
          const groupId = `kafkalab-experiment-${o.topic}-${nonce}-${tag(protocol)}c${consumers}-r${run}`;
          groups.push(groupId);
          const label = `${protocols.length > 1 ? `${protocol}: ` : ''}${consumers} consumer${consumers === 1 ? '' : 's'}, run ${run}/${o.runs}`;
          runs.push(await timeOneRun(o, protocol, groupId, consumers, label));
        }
        const elapsed = spreadOf(runs.map((r) => r.elapsedMs));
        results.push({
          protocol,
          consumers,
          runs,
          elapsed,
          join: spreadOf(runs.map((r) => r.joinMs)),
          messagesPerSecond: o.messages / (elapsed.median / 1000),
        });
      }
    }
    if (o.rebalance) {
      for (const protocol of protocols) {
        for (let run = 1; run <= o.runs; run++) {
          const groupId = `kafkalab-experiment-${o.topic}-${nonce}-${protocol}-join-r${run}`;
          groups.push(groupId);
          o.onProgress?.({
            phase: 'rebalance',
            label: `${protocol}: a consumer joins, run ${run}/${o.runs}`,
            done: run - 1,
            total: o.runs,
          });
          rebalance.push(
            await runRebalanceScenario({
              bootstrap: o.bootstrap,
              topic: o.topic,
              partitions: o.partitions,
              protocol,
              groupId,
              timeoutMs: o.runTimeoutMs,
            }),
          );
        }
      }
    }
  } catch (err) {
    await deleteGroups(o.bootstrap, groups);
    throw err;
  }
  await deleteGroups(o.bootstrap, groups);
  return {
    bootstrap: o.bootstrap,
    topic: o.topic,
    partitions: o.partitions,
    messages: o.messages,
    messageBytes,
    produceMs,
    protocols,
    results,
    rebalance,
  };
}

function validate(o: ConsumersExperimentOptions): void {
  const bad = (m: string) => new KafkaClientError(m, { retriable: false });
  if (!Number.isInteger(o.partitions) || o.partitions < 1) throw bad('partitions must be ≥ 1');
  if (!Number.isInteger(o.messages) || o.messages < 1) throw bad('messages must be ≥ 1');
  if (!Number.isInteger(o.runs) || o.runs < 1) throw bad('runs must be ≥ 1');
  if (o.consumers.length === 0 || o.consumers.some((c) => !Number.isInteger(c) || c < 1 || c > 64))
    throw bad('consumer counts must be integers in 1..64');
}

/** Creates the topic (it must not exist: the timings assume exactly these messages) and fills it. */
async function createAndFill(o: ConsumersExperimentOptions, messageBytes: number): Promise<number> {
  const admin = new Admin({ bootstrap: o.bootstrap, clientId: 'kafkalab-experiment', retry: { retries: 3 } });
  try {
    await admin.createTopics({ topics: [{ topic: o.topic, numPartitions: o.partitions }] });
  } catch (err) {
    if ((err as { type?: string }).type === 'TOPIC_ALREADY_EXISTS') {
      throw new KafkaClientError(
        `topic ${o.topic} already exists; the experiment fills a new topic with exactly --messages ` +
          `messages. Pick another --topic, or delete it first (kafkalab topics --delete --topic ${o.topic}).`,
        { retriable: false },
      );
    }
    throw err;
  } finally {
    await admin.close();
  }
  const producer = new Producer({ bootstrap: o.bootstrap, clientId: 'kafkalab-experiment', acks: -1 });
  const value = Buffer.alloc(messageBytes, 'x');
  const started = performance.now();
  let acked = 0;
  try {
    await producer.connect();
    const inFlight = new Set<Promise<unknown>>();
    for (let first = 0; first < o.messages; first += SEND_CHUNK) {
      const count = Math.min(SEND_CHUNK, o.messages - first);
      // Round-robin by index: every partition gets the same share (± 1), whatever the key would hash to.
      const messages = Array.from({ length: count }, (_, i) => ({
        value,
        partition: (first + i) % o.partitions,
      }));
      const sent: Promise<unknown> = producer.send({ topic: o.topic, messages }).then(() => {
        acked += count;
        inFlight.delete(sent);
        o.onProgress?.({
          phase: 'produce',
          label: `producing to ${o.topic}`,
          done: acked,
          total: o.messages,
        });
      });
      inFlight.add(sent);
      if (inFlight.size >= SENDS_IN_FLIGHT) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    await producer.flush();
  } finally {
    await producer.close().catch(() => undefined);
  }
  return performance.now() - started;
}

/**
 * Starts `count` consumers in a new group and times reading every offset of every partition. Each
 * consumer pauses what it is assigned until the group is complete, so that the clock measures reading
 * with all of them, not a first member reading alone while the others are still joining (at these
 * speeds, the first member of a group would otherwise read much of the topic before the rebalance).
 */
async function timeOneRun(
  o: ConsumersExperimentOptions,
  protocol: GroupProtocol,
  groupId: string,
  count: number,
  label: string,
): Promise<RunResult> {
  const ends = await endOffsets(o.bootstrap, o.topic);
  const next = new Map<number, bigint>([...ends.keys()].map((p) => [p, 0n]));
  const total = o.messages;
  let read = 0;
  let delivered = 0;
  let readingStartedAt = -1;
  let elapsedMs = -1;
  let finish: () => void = () => undefined;
  const allRead = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const launchedAt = performance.now();
  const generationAssigned: number[] = new Array(count).fill(-1);
  const consumers: Consumer[] = [];
  const groupComplete = () => {
    // Classic: every member at the same generation. KIP-848 has no group-wide generation (each
    // member has its own epoch): every member has been assigned once, and the partitions are all owned.
    if (protocol === 'consumer') {
      if (generationAssigned.some((g) => g < 0)) return false;
    } else {
      const generation = generationAssigned[0];
      if (generation < 1 || generationAssigned.some((g) => g !== generation)) return false;
    }
    const owned = new Set(consumers.flatMap((c) => c.assignment().map((tp) => tp.partition)));
    return owned.size === ends.size;
  };
  for (let i = 0; i < count; i++) {
    const consumer: Consumer = new Consumer({
      bootstrap: o.bootstrap,
      groupId,
      clientId: `kafkalab-experiment-${i + 1}`,
      groupProtocol: protocol,
      autoOffsetReset: 'earliest',
      retry: { retries: 5 },
      listener: {
        onPartitionsAssigned: (partitions) => {
          if (readingStartedAt >= 0) return;
          consumer.pause(partitions);
          generationAssigned[i] = consumer.groupMetadata().generationId;
          if (!groupComplete()) return;
          readingStartedAt = performance.now();
          for (const c of consumers) c.resume(c.assignment());
        },
      },
    });
    consumers.push(consumer);
  }
  const running = consumers.map((c) => {
    c.subscribe(o.topic);
    return c.run({
      eachBatch: (batch) => {
        delivered += batch.records.length;
        // Count each offset once: after a rebalance the new owner may re-read from the last commit.
        const last = batch.records[batch.records.length - 1].offset + 1n;
        const before = next.get(batch.partition) ?? 0n;
        if (last > before) {
          read += Number(last - before);
          next.set(batch.partition, last);
        }
        o.onProgress?.({ phase: 'consume', label, done: Math.min(read, total), total });
        if (elapsedMs < 0 && [...ends].every(([p, end]) => (next.get(p) ?? 0n) >= end)) {
          elapsedMs = performance.now() - readingStartedAt;
          finish();
        }
      },
    });
  });
  const timeoutMs = o.runTimeoutMs ?? 120_000;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  // A consumer whose run() fails ends the run at once instead of waiting for the timeout.
  const failed = Promise.race(running.map((r) => r.then(() => new Promise<never>(() => undefined))));
  try {
    const outcome = await Promise.race([allRead.then(() => 'done' as const), timedOut, failed]);
    if (outcome === 'timeout') {
      const stage =
        readingStartedAt < 0 ? `the group of ${count} did not form` : `read ${read} of ${total} messages`;
      throw new KafkaClientError(`${label}: ${stage} within ${timeoutMs} ms; giving up`, {
        retriable: false,
      });
    }
    const partitionsEach = consumers.map((c) => c.assignment().length);
    return { elapsedMs, joinMs: readingStartedAt - launchedAt, partitionsEach, delivered };
  } finally {
    clearTimeout(timer);
    await Promise.all(consumers.map((c) => c.close().catch(() => undefined)));
  }
}

/** Log end offset of every partition: what "read them all" means for this run. */
async function endOffsets(bootstrap: string, topic: string): Promise<Map<number, bigint>> {
  const admin = new Admin({ bootstrap, clientId: 'kafkalab-experiment', retry: { retries: 3 } });
  try {
    const latest = await admin.listOffsets({ topic, spec: 'latest' });
    return new Map(latest.map((p) => [p.partition, p.offset]));
  } finally {
    await admin.close();
  }
}

/** The experiment's groups are throwaway: leave no trace of them on the broker. */
async function deleteGroups(bootstrap: string, groups: string[]): Promise<void> {
  if (groups.length === 0) return;
  const admin = new GroupAdmin({ bootstrap, clientId: 'kafkalab-experiment' });
  try {
    await admin.deleteGroups(groups);
  } catch {
    // Best effort: a group that lingers only costs the broker a little memory until it expires.
  } finally {
    await admin.close();
  }
}
