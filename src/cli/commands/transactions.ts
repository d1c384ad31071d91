/**
 * `kafkalab transactions list | describe --transactional-id ID | describe-producers --topic T
 * --partition P | abort --topic T --partition P --start-offset O`: kafka-transactions.sh's commands of
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
  listTransactions,
} from '../../client/admin-transactions.js';
import { Cluster } from '../../client/cluster.js';
import { clusterOptions, resolveClient } from '../command-config.js';
import { UsageError } from '../errors.js';
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
