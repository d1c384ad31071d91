/**
 * `kafkalab transactions list | describe --transactional-id ID`: kafka-transactions.sh's commands of
 * the same names on kafkalab's client, printed as its prettyPrintTable does — every column padded to
 * its widest cell and followed by a tab, the header first:
 *
 *     TransactionalId	Coordinator	ProducerId	TransactionState
 *     my-tx          	0          	1000      	CompleteCommit
 *
 * Only parsing and output here; the requests are in src/client/admin-transactions.ts.
 */
import { Command } from 'commander';
import { describeTransaction, listTransactions } from '../../client/admin-transactions.js';
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
  return cmd;
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
