/**
 * `kafkalab produce`: kafka-console-producer.sh — one record per stdin line, optionally `key<sep>value`
 * with `--property parse.key=true --property key.separator=:` (or the short `--key-separator :`).
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { Command, InvalidArgumentError } from 'commander';
import { Producer } from '../../client/producer/producer.js';
import type { RecordMetadata } from '../../client/producer/types.js';
import { COMPRESSION_TYPES, type CompressionType } from '../../protocol/records/index.js';
import { UsageError } from '../errors.js';
import { DEFAULT_BOOTSTRAP, keyValue } from './topics.js';

export interface ProduceCliOptions {
  bootstrapServer: string;
  topic: string;
  property?: Record<string, string>;
  keySeparator?: string;
  parseKey?: boolean;
  acks?: string;
  compression?: string;
  partition?: number;
}

export function produceCommand(): Command {
  return new Command('produce')
    .description('Send one record per line of stdin to a topic (like kafka-console-producer.sh)')
    .option('--bootstrap-server <host:port>', 'broker(s) to connect to, comma-separated', DEFAULT_BOOTSTRAP)
    .requiredOption('--topic <name>', 'the topic')
    .option('--property <key=value>', 'parse.key=true, key.separator=SEP (repeatable)', keyValue)
    .option('--parse-key', 'read each line as key<separator>value')
    .option('--key-separator <sep>', 'key/value separator (implies --parse-key; default TAB)')
    .option('--acks <acks>', 'acks: 0, 1, -1 or all', 'all')
    .option('--compression <codec>', `compression: ${COMPRESSION_TYPES.join(', ')}`, 'none')
    .option('--partition <n>', 'send every record to this partition', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('--partition must be an integer ≥ 0');
      return n;
    })
    .action(async (options: ProduceCliOptions) => {
      const n = await runProduce(options, process.stdin);
      process.stderr.write(`${n} record${n === 1 ? '' : 's'} sent to ${options.topic}\n`);
    });
}

/** Sends every line of `input`; resolves to the number of records acknowledged. */
export async function runProduce(o: ProduceCliOptions, input: Readable): Promise<number> {
  const props = o.property ?? {};
  const parseKey = o.parseKey || o.keySeparator !== undefined || props['parse.key'] === 'true';
  const separator = o.keySeparator ?? props['key.separator'] ?? '\t';
  if (separator.length === 0) throw new UsageError('the key separator cannot be empty');
  const acks = o.acks === 'all' || o.acks === undefined ? -1 : Number(o.acks);
  if (acks !== 0 && acks !== 1 && acks !== -1)
    throw new UsageError(`--acks must be 0, 1, -1 or all, not ${o.acks}`);
  const compression = (o.compression ?? 'none') as CompressionType;
  if (!COMPRESSION_TYPES.includes(compression))
    throw new UsageError(`unknown compression "${o.compression}"`);
  const producer = new Producer({ bootstrap: o.bootstrapServer, acks, compression, retry: { retries: 3 } });
  const sends: Promise<RecordMetadata[]>[] = [];
  let firstError: unknown;
  try {
    await producer.connect();
    const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
    let lineNo = 0;
    for await (const line of lines) {
      lineNo++;
      let key: string | null = null;
      let value = line;
      if (parseKey) {
        const at = line.indexOf(separator);
        // kafka-console-producer refuses such a line too ("No key separator found on line number N").
        if (at < 0)
          throw new UsageError(`no key separator "${separator}" on line ${lineNo}: ${JSON.stringify(line)}`);
        key = line.slice(0, at);
        value = line.slice(at + separator.length);
      }
      const sent = producer.send({ topic: o.topic, messages: [{ key, value, partition: o.partition }] });
      sent.catch((err) => {
        firstError ??= err;
      });
      sends.push(sent);
      if (firstError) throw firstError;
    }
    await producer.flush();
    const results = await Promise.allSettled(sends);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    return results.length;
  } finally {
    await producer.close().catch(() => {});
  }
}
