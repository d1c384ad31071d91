/**
 * The KIP-848 churn run (issue 14's proof), shared by the emulator and the real-Kafka test files:
 * kafkalab's Consumer with groupProtocol 'consumer' in one group while a producer keeps writing
 * acked records. Members join and leave one after another on a fixed schedule — joins, graceful
 * leaves, and one member in a child process (churn-member.ts) that is SIGKILLed and fenced at the
 * broker's session timeout. What it checks needs nothing but a client's view, so it holds for any
 * broker:
 *  - no partition is owned by two members at once, as the rebalance listeners tell it (a member's
 *    onPartitionsAssigned never gets a partition another member has not revoked yet);
 *  - after each step the group is Stable (ConsumerGroupDescribe: every member at its target) with
 *    the group epoch moved up, and every record acked so far has been consumed;
 *  - member epochs, as ConsumerGroupDescribe shows them, only go up;
 *  - at the end every acked record was consumed and the group's commits stand at each log end.
 * Bounded: every wait has a deadline, the child exits on its own after 120 s.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Admin } from '../../../src/client/admin.js';
import { GroupAdmin, type GroupInfo } from '../../../src/client/admin-groups.js';
import { Consumer, type TopicPartition } from '../../../src/client/consumer/index.js';
import { Producer } from '../../../src/client/producer/index.js';
import { poke, until } from '../../support/until.js';

/** + a member joins, - the oldest in-process member leaves (close()), * a member joins in a child process, k that child is SIGKILLed. */
export const CHURN_SCHEDULE = [
  '+',
  '+',
  '*',
  '+',
  '-',
  '+',
  'k',
  '-',
  '-',
  '+',
  '+',
  '-',
  '+',
  '-',
  '-',
  '+',
] as const;
const CHILD = join(import.meta.dirname, '..', 'churn-member.ts');
const BATCH = 200;

export interface ChurnOptions {
  bootstrap: string;
  topic: string;
  group: string;
  partitions: number;
  records: number;
  /** The broker's group.consumer.session.timeout.ms: how long the killed member keeps its partitions. */
  sessionTimeoutMs: number;
  /** For each wait (a step's rebalance, its records consumed). */
  stepTimeoutMs: number;
}

export interface ChurnResult {
  /** Members that joined, the killed one included. */
  joined: number;
  acked: number;
  /** Distinct records consumed, and deliveries (more after a hand-over: at least once). */
  seen: number;
  deliveries: number;
  /** Double ownership seen by the listeners, and member epochs that went down. */
  violations: string[];
  /** The group epoch once stable, at the start and after each step. */
  epochsAtSteps: number[];
  /** Per partition, the group's committed offset and the log end offset, after everyone left. */
  committed: Map<number, bigint | undefined>;
  logEnd: Map<number, bigint>;
}

interface Member {
  name: string;
  consumer?: Consumer;
  child?: ChildProcess;
  error?: unknown;
}

export async function runChurn(o: ChurnOptions): Promise<ChurnResult> {
  const admin = new Admin({ bootstrap: o.bootstrap });
  const groups = new GroupAdmin({ bootstrap: o.bootstrap });
  await admin.createTopics({
    topics: [{ topic: o.topic, numPartitions: o.partitions, replicationFactor: 1 }],
  });

  /** The listeners' view: partition → the member that last got it and has not given it up. */
  const owner = new Map<number, string>();
  const seen = new Set<number>();
  const violations: string[] = [];
  let deliveries = 0;
  const live: Member[] = [];
  let joined = 0;
  const children = new Set<ChildProcess>();
  /** The broker's view, refreshed in the background (ConsumerGroupDescribe). */
  let view: GroupInfo | null = null;
  const memberEpochs = new Map<string, number>();

  const assignedTo = (name: string, ps: number[]) => {
    for (const p of ps) {
      const other = owner.get(p);
      if (other !== undefined && other !== name)
        violations.push(`client: ${name} got ${p} while ${other} owns it`);
      owner.set(p, name);
    }
    poke();
  };
  const gaveUp = (name: string, ps: number[]) => {
    for (const p of ps) if (owner.get(p) === name) owner.delete(p);
    poke();
  };
  const consumed = (value: number) => {
    deliveries++;
    seen.add(value);
    poke();
  };

  const startChild = (): Member => {
    const name = `m${++joined}`;
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, o.bootstrap, o.group, o.topic, name], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    children.add(child);
    const m: Member = { name, child };
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const [what, arg = ''] = line.split(' ');
      const ps = arg === '' ? [] : arg.split(',').map(Number);
      if (what === 'assigned') assignedTo(name, ps);
      else if (what === 'revoked' || what === 'lost') gaveUp(name, ps);
      else if (what === 'record') consumed(Number(arg));
    });
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') m.error = new Error(`${name} exited ${code}`);
      poke();
    });
    live.push(m);
    return m;
  };

  const start = (): Member => {
    const name = `m${++joined}`;
    const m: Member = { name };
    const give = (ps: TopicPartition[]) =>
      gaveUp(
        name,
        ps.map((p) => p.partition),
      );
    m.consumer = new Consumer({
      bootstrap: o.bootstrap,
      clientId: name,
      groupId: o.group,
      groupProtocol: 'consumer',
      autoOffsetReset: 'earliest',
      fetchMaxWaitMs: 50,
      autoCommitIntervalMs: 100,
      listener: {
        onPartitionsAssigned: (ps) =>
          assignedTo(
            name,
            ps.map((p) => p.partition),
          ),
        onPartitionsRevoked: give,
        onPartitionsLost: give,
      },
    });
    m.consumer.subscribe(o.topic);
    m.consumer.run({ eachMessage: (r) => consumed(Number(r.value!.toString())) }).catch((err) => {
      m.error = err;
      poke();
    });
    live.push(m);
    return m;
  };
  const failed = () => {
    for (const m of live) if (m.error !== undefined) throw m.error;
    return false;
  };
  const key = (tp: TopicPartition[]) =>
    tp
      .map((p) => p.partition)
      .sort((a, b) => a - b)
      .join(',');
  const stable = () =>
    view?.state === 'Stable' &&
    view.members.length === live.length &&
    view.members.every((m) => m.targetAssignment !== null && key(m.assignment) === key(m.targetAssignment)) &&
    owner.size === o.partitions;

  // The broker's view, asked again every 25 ms while the run lasts (a poll, paced by a timer: the
  // checks below wait on the view and the listeners, not on a time).
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      view = await groups.describeGroup(o.group).catch(() => view);
      for (const m of view?.members ?? []) {
        const before = memberEpochs.get(m.memberId);
        if (m.memberEpoch !== null && before !== undefined && m.memberEpoch < before)
          violations.push(`member ${m.memberId} epoch ${before} -> ${m.memberEpoch}`);
        if (m.memberEpoch !== null) memberEpochs.set(m.memberId, m.memberEpoch);
      }
      poke();
      await new Promise((r) => setTimeout(r, 25));
    }
  })();

  const producer = new Producer({ bootstrap: o.bootstrap, clientId: 'churn-producer' });
  let acked = 0;
  const produceUpTo = async (end: number) => {
    while (acked < end) {
      const base = acked;
      const n = Math.min(BATCH, end - base);
      await producer.send({
        topic: o.topic,
        messages: Array.from({ length: n }, (_, i) => ({
          value: Buffer.from(String(base + i)),
          key: null,
          partition: (base + i) % o.partitions,
        })),
      });
      acked += n;
      poke();
    }
  };
  const share = Math.ceil(o.records / (CHURN_SCHEDULE.length + 1));
  const epochsAtSteps: number[] = [];

  try {
    start();
    await until('the first member owns every partition', () => failed() || stable(), o.stepTimeoutMs);
    await produceUpTo(share);
    epochsAtSteps.push(view!.groupEpoch ?? -1);
    for (const [i, step] of CHURN_SCHEDULE.entries()) {
      let stepDone: Promise<unknown> = Promise.resolve();
      if (step === '+') start();
      else if (step === '*') startChild();
      else if (step === 'k') {
        const victim = live.find((m) => m.child)!;
        live.splice(live.indexOf(victim), 1);
        victim.child!.kill('SIGKILL');
        // Dead, it reads nothing more: what it owned waits for the coordinator to fence it.
        for (const [p, who] of owner) if (who === victim.name) owner.delete(p);
      } else {
        const leaving = live.splice(
          live.findIndex((m) => m.consumer),
          1,
        )[0]!;
        stepDone = leaving.consumer!.close({ timeoutMs: 10_000 });
      }
      // Records keep coming while the group moves.
      await Promise.all([stepDone, produceUpTo(Math.min(o.records, share * (i + 2)))]);
      await until(
        `the group stable after step ${i} '${step}' (${live.length} members)`,
        () => failed() || stable(),
        o.stepTimeoutMs + (step === 'k' ? o.sessionTimeoutMs : 0),
      );
      await until(
        `the ${acked} records so far consumed`,
        () => failed() || seen.size === acked,
        o.stepTimeoutMs,
      );
      epochsAtSteps.push(view!.groupEpoch ?? -1);
    }
    await produceUpTo(o.records);
    await until(
      `all ${o.records} records consumed`,
      () => failed() || seen.size === o.records,
      o.stepTimeoutMs,
    );
  } finally {
    watching = false;
    await watcher;
    await producer.close();
    await Promise.all(live.map((m) => m.consumer?.close({ timeoutMs: 10_000 })));
    for (const c of children) c.kill('SIGKILL');
  }

  // The last members closed with a commit on revoke: the group's offsets, against each log end.
  const committed = new Map<number, bigint | undefined>();
  const logEnd = new Map<number, bigint>();
  try {
    const offsets = await groups.committedOffsets(o.group);
    for (const p of await admin.listOffsets({ topic: o.topic, spec: 'latest' })) {
      logEnd.set(p.partition, p.offset);
      committed.set(p.partition, [...offsets.values()].find((c) => c.partition === p.partition)?.offset);
    }
  } finally {
    await Promise.all([admin.close(), groups.close()]);
  }
  return { joined, acked, seen: seen.size, deliveries, violations, epochsAtSteps, committed, logEnd };
}
