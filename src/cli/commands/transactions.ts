/**
 * `kafkalab transactions list | describe --transactional-id ID | describe-producers --topic T
 * --partition P | abort --topic T --partition P --start-offset O | find-hanging --broker-id N |
 * --topic T [--partition P] [--max-transaction-timeout MIN]`: kafka-transactions.sh's commands of
 * the same names on kafkalab's client, printed as its prettyPrintTable does — every column padded to
 * its widest cell and followed by a tab, the header first:
 *
 *     TransactionalId	Coordinator	ProducerId	TransactionState
 *     my-tx          	0          	1000      	CompleteCommit
 *
 * Only parsing and output here; the requests are in src/client/admin-transactions.ts.
 */
import { Command } from 'commander';
import {
  abortTransaction,
  describeProducers,
  describeTransaction,
  findHangingTransactions,
  HangingSearchError,
  listTransactions,
  type OpenTransaction,
} from '../../client/admin-transactions.js';
import { Cluster } from '../../client/cluster.js';
import { KafkaProtocolError } from '../../client/errors.js';
import { javaHashMapOrder, topicPartitionHash } from '../../protocol/java-order.js';
import { clusterOptions, resolveClient } from '../command-config.js';
import { UsageError } from '../errors.js';
import { javaMessage } from './groups-errors.js';
import { clientFlags, type Output } from './topics.js';

interface ClientCliOptions {
  bootstrapServer?: string;
  commandConfig?: string;
}

export function transactionsCommand(): Command {
  const cmd = new Command('transactions').description(
    'List and describe transactions (like kafka-transactions.sh list / describe)',
  );
  cmd.addCommand(
    clientFlags(new Command('list').description('list transactions')).action(async (o: ClientCliOptions) => {
      await runListTransactions(o, process.stdout);
    }),
  );
  cmd.addCommand(
    clientFlags(new Command('describe').description('describe the state of an active transactional-id'))
      .requiredOption('--transactional-id <id>', 'transactional id')
      .action(async (o: ClientCliOptions & { transactionalId: string }) => {
        await runDescribeTransaction(o, process.stdout);
      }),
  );
  cmd.addCommand(
    clientFlags(
      new Command('describe-producers').description(
        'describe the states of active producers for a topic partition',
      ),
    )
      .option('--broker-id <id>', 'optional broker id to describe the producer state on a specific replica')
      .requiredOption('--topic <topic>', 'topic name')
      .requiredOption('--partition <n>', 'partition number')
      .action(async (o: ClientCliOptions & PartitionCliOptions & { brokerId?: string }) => {
        await runDescribeProducers(o, process.stdout);
      }),
  );
  cmd.addCommand(
    clientFlags(
      new Command('abort').description('abort a hanging transaction (requires administrative privileges)'),
    )
      .requiredOption('--topic <topic>', 'topic name')
      .requiredOption('--partition <n>', 'partition number')
      .requiredOption('--start-offset <offset>', 'start offset of the transaction to abort')
      .action(async (o: ClientCliOptions & PartitionCliOptions & { startOffset: string }) => {
        await runAbortTransaction(o);
      }),
  );
  cmd.addCommand(
    clientFlags(new Command('find-hanging').description('find hanging transactions'))
      .option('--broker-id <id>', 'broker id to search for hanging transactions')
      .option(
        '--max-transaction-timeout <minutes>',
        'maximum transaction timeout in minutes to limit the scope of the search (15 minutes by default)',
        '15',
      )
      .option('--topic <topic>', 'topic name to limit search to (required if --partition is specified)')
      .option('--partition <n>', 'partition number')
      .action(async (o: FindHangingCliOptions) => {
        await runFindHanging(o, process.stdout);
      }),
  );
  return cmd;
}

interface PartitionCliOptions {
  topic: string;
  partition: string;
}

function integer(flag: string, value: string): number {
  if (!/^-?\d+$/.test(value)) throw new UsageError(`${flag} must be an integer (not '${value}')`);
  return Number(value);
}

/** kafka-transactions.sh describe-producers: one row per producer, 'None' for no open transaction. */
export async function runDescribeProducers(
  o: ClientCliOptions & PartitionCliOptions & { brokerId?: string },
  out: Output,
): Promise<void> {
  const tp = { topic: o.topic, partition: integer('--partition', o.partition) };
  const brokerId = o.brokerId === undefined ? undefined : integer('--broker-id', o.brokerId);
  const c = cluster(o);
  try {
    const [state] = await describeProducers(c, [tp], { brokerId }).catch((err: Error) => {
      const on = brokerId === undefined ? 'leader' : `broker ${brokerId}`;
      throw new UsageError(
        `Failed to describe producers for partition ${tp.topic}-${tp.partition} on ${on}: ${err.message}`,
      );
    });
    out.write(
      prettyPrintTable(
        [
          'ProducerId',
          'ProducerEpoch',
          'LatestCoordinatorEpoch',
          'LastSequence',
          'LastTimestamp',
          'CurrentTransactionStartOffset',
        ],
        state.activeProducers.map((p) => [
          String(p.producerId),
          String(p.producerEpoch),
          String(p.coordinatorEpoch ?? -1),
          String(p.lastSequence),
          String(p.lastTimestamp),
          p.currentTransactionStartOffset === null ? 'None' : String(p.currentTransactionStartOffset),
        ]),
      ),
    );
  } finally {
    await c.close();
  }
}

/**
 * kafka-transactions.sh abort --start-offset: finds the producer whose open transaction starts there
 * (DescribeProducers) and sends the leader its ABORT marker (WriteTxnMarkers); prints nothing.
 */
export async function runAbortTransaction(
  o: ClientCliOptions & PartitionCliOptions & { startOffset: string },
): Promise<void> {
  const tp = { topic: o.topic, partition: integer('--partition', o.partition) };
  const startOffset = BigInt(integer('--start-offset', o.startOffset));
  const name = `${tp.topic}-${tp.partition}`;
  const c = cluster(o);
  try {
    const [state] = await describeProducers(c, [tp]).catch((err: Error) => {
      throw new UsageError(`Failed to validate producer state for partition ${name}: ${err.message}`);
    });
    const p = state.activeProducers.find((x) => x.currentTransactionStartOffset === startOffset);
    if (!p)
      throw new UsageError(
        `Could not find any open transactions starting at offset ${startOffset} on partition ${name}`,
      );
    const spec = {
      ...tp,
      producerId: p.producerId,
      producerEpoch: p.producerEpoch,
      // A producer without a marker yet has no coordinator epoch; 0 is at most any leader epoch.
      coordinatorEpoch: p.coordinatorEpoch ?? 0,
    };
    await abortTransaction(c, spec).catch((err: Error) => {
      throw new UsageError(
        `Failed to abort transaction ${JSON.stringify(spec, (_, v) => (typeof v === 'bigint' ? String(v) : v))}: ${err.message}`,
      );
    });
  } finally {
    await c.close();
  }
}

interface FindHangingCliOptions extends ClientCliOptions {
  brokerId?: string;
  maxTransactionTimeout: string;
  topic?: string;
  partition?: string;
}

/**
 * kafka-transactions.sh find-hanging: open transactions older than --max-transaction-timeout that no
 * coordinator will finish (see findHangingTransactions), one row each, in the tool's order, and its
 * errors: the scope check first, then 'Failed to ... : CAUSE. Enable debug logging for additional
 * detail.' for a failed step, with the broker id printed as Java prints an Optional.
 */
export async function runFindHanging(o: FindHangingCliOptions, out: Output, now: () => number = Date.now) {
  const brokerId = o.brokerId === undefined ? undefined : integer('--broker-id', o.brokerId);
  if (o.topic === undefined && brokerId === undefined)
    throw new UsageError(
      'The `find-hanging` command requires either --topic or --broker-id to limit the scope of the search',
    );
  const partition = o.partition === undefined ? undefined : integer('--partition', o.partition);
  if (partition !== undefined && o.topic === undefined)
    throw new UsageError('The --partition argument requires --topic to be provided');
  const minutes = integer('--max-transaction-timeout', o.maxTransactionTimeout);
  const c = cluster(o);
  try {
    const result = await findHangingTransactions(c, {
      brokerId,
      topic: o.topic,
      partition,
      maxTransactionTimeoutMs: minutes * 60_000,
      now,
    }).catch((err: unknown) => {
      if (!(err instanceof HangingSearchError)) throw err;
      const what = {
        'describe-topics': `Failed to describe ${err.count} topics`,
        'describe-producers': `Failed to describe producers for ${err.count} partitions on broker ${brokerId === undefined ? 'Optional.empty' : `Optional[${brokerId}]`}`,
        'list-transactions': `Failed to list transactions for ${err.count} producers`,
        'describe-transactions': `Failed to describe ${err.count} transactions`,
      }[err.step];
      throw new UsageError(
        `${what}: ${exceptionMessage(err.cause)}. Enable debug logging for additional detail.`,
      );
    });
    const nowMs = BigInt(now());
    out.write(
      prettyPrintTable(
        [
          'Topic',
          'Partition',
          'ProducerId',
          'ProducerEpoch',
          'CoordinatorEpoch',
          'StartOffset',
          'LastTimestamp',
          'Duration(min)',
        ],
        toolOrder(result.partitions, result.candidates, result.hanging).map((t) => [
          t.topic,
          String(t.partition),
          String(t.producer.producerId),
          String(t.producer.producerEpoch),
          String(t.producer.coordinatorEpoch ?? -1),
          String(t.producer.currentTransactionStartOffset ?? -1),
          String(t.producer.lastTimestamp),
          // TimeUnit.MILLISECONDS.toMinutes: truncated, as bigint division.
          String((nowMs - t.producer.lastTimestamp) / 60_000n),
        ]),
      ),
    );
  } finally {
    await c.close();
  }
}

/**
 * The tool's row order. It reads DescribeProducers' answers from a HashMap<TopicPartition> sized for
 * each batch of 500 partitions, groups the candidates by producer id in a HashMap<Long>, and prints
 * group by group, keeping the candidates' order within a group.
 */
function toolOrder(
  partitions: readonly { topic: string; partition: number }[],
  candidates: readonly OpenTransaction[],
  hanging: readonly OpenTransaction[],
): OpenTransaction[] {
  const rank = new Map<string, number>();
  for (let i = 0; i < partitions.length; i += 500) {
    const batch = partitions.slice(i, i + 500);
    for (const tp of presizedHashMapOrder(batch, (x) => topicPartitionHash(x.topic, x.partition)))
      rank.set(`${tp.topic}\u0000${tp.partition}`, rank.size);
  }
  const at = (t: OpenTransaction) => rank.get(`${t.topic}\u0000${t.partition}`) ?? 0;
  const inOrder = [...candidates].sort((a, b) => at(a) - at(b));
  const producerIds = javaHashMapOrder([...new Set(inOrder.map((t) => t.producer.producerId))], longHash);
  const isHanging = new Set(hanging);
  return producerIds.flatMap((id) => inOrder.filter((t) => t.producer.producerId === id && isHanging.has(t)));
}

/** java.lang.Long.hashCode. */
function longHash(v: bigint): number {
  return Number(BigInt.asIntN(32, v ^ (BigInt.asUintN(64, v) >> 32n)));
}

/** A java.util.HashMap created as `new HashMap<>(items.length)` and filled in order. */
function presizedHashMapOrder<T>(items: readonly T[], hash: (item: T) => number): T[] {
  let capacity = 1;
  while (capacity < items.length) capacity *= 2;
  while (items.length > capacity * 0.75) capacity *= 2;
  return items
    .map((item, index) => {
      const h = hash(item);
      return { item, index, bucket: (h ^ (h >>> 16)) & (capacity - 1) };
    })
    .sort((a, b) => a.bucket - b.bucket || a.index - b.index)
    .map((x) => x.item);
}

/** What Java's exception would say: the broker's message, else the text Kafka's Errors enum gives. */
function exceptionMessage(err: unknown): string {
  if (err instanceof KafkaProtocolError) return err.brokerMessage ?? javaMessage(err.code);
  return err instanceof Error ? err.message : String(err);
}

/** kafka-transactions.sh's prettyPrintTable. */
export function prettyPrintTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (row: string[]) => `${row.map((v, i) => `${v.padEnd(widths[i])}\t`).join('')}\n`;
  return line(headers) + rows.map(line).join('');
}

function cluster(o: ClientCliOptions): Cluster {
  return new Cluster(clusterOptions(resolveClient('admin', o), 'kafkalab-transactions'));
}

export async function runListTransactions(o: ClientCliOptions, out: Output): Promise<void> {
  const c = cluster(o);
  try {
    const listings = await listTransactions(c).catch((err: Error) => {
      throw new UsageError(`Failed to list transactions: ${err.message}`);
    });
    out.write(
      prettyPrintTable(
        ['TransactionalId', 'Coordinator', 'ProducerId', 'TransactionState'],
        listings.map((t) => [t.transactionalId, String(t.coordinatorId), String(t.producerId), t.state]),
      ),
    );
  } finally {
    await c.close();
  }
}

export async function runDescribeTransaction(
  o: ClientCliOptions & { transactionalId: string },
  out: Output,
  now: () => number = Date.now,
): Promise<void> {
  const c = cluster(o);
  try {
    const d = await describeTransaction(c, o.transactionalId).catch((err: Error) => {
      throw new UsageError(
        `Failed to describe transaction state of transactional-id \`${o.transactionalId}\`: ${err.message}`,
      );
    });
    const open = d.transactionStartTimeMs >= 0n;
    out.write(
      prettyPrintTable(
        [
          'CoordinatorId',
          'TransactionalId',
          'ProducerId',
          'ProducerEpoch',
          'TransactionState',
          'TransactionTimeoutMs',
          'CurrentTransactionStartTimeMs',
          'TransactionDurationMs',
          'TopicPartitions',
        ],
        [
          [
            String(d.coordinatorId),
            d.transactionalId,
            String(d.producerId),
            String(d.producerEpoch),
            d.state,
            String(d.transactionTimeoutMs),
            open ? String(d.transactionStartTimeMs) : 'None',
            open ? String(BigInt(now()) - d.transactionStartTimeMs) : 'None',
            d.topicPartitions.map((tp) => `${tp.topic}-${tp.partition}`).join(','),
          ],
        ],
      ),
    );
  } finally {
    await c.close();
  }
}
