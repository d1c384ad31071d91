/**
 * `kafkalab produce`: kafka-console-producer.sh — one record per stdin line, optionally `key<sep>value`
 * with `--property parse.key=true --property key.separator=:` (or the short `--key-separator :`).
 */

import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { Command, InvalidArgumentError } from 'commander';
import { Producer } from '../../client/producer/producer.js';
import type { ProducerMessage } from '../../client/producer/types.js';
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

/**
 * Records sent and not yet settled before reading more input: bounds memory on a long stdin the way
 * kafka-console-producer's buffer.memory does (its send() blocks while the buffer is full).
 */
const MAX_OUTSTANDING_RECORDS = 16_384;

/**
 * Sends every line of `input`; resolves to the number of records acknowledged. The lines of each chunk
 * read go in one send() call, in order (a call is only a way to hand records over: the producer
 * batches per partition and keeps send order either way), so the per-line cost is the record's own.
 */
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
  const outstanding: { records: number; settled: Promise<void> }[] = [];
  let unsettled = 0;
  let acknowledged = 0;
  let firstError: unknown;
  const send = (messages: ProducerMessage[]) => {
    if (messages.length === 0) return;
    const n = messages.length;
    unsettled += n;
    const settled = producer.send({ topic: o.topic, messages }).then(
      () => {
        acknowledged += n;
      },
      (err) => {
        firstError ??= err;
      },
    );
    outstanding.push({ records: n, settled });
  };
  try {
    await producer.connect();
    const lines = new LineSplitter();
    let lineNo = 0;
    const toMessages = (batch: string[]): ProducerMessage[] => {
      const messages: ProducerMessage[] = new Array(batch.length);
      for (let i = 0; i < batch.length; i++) {
        const line = batch[i];
        lineNo++;
        if (!parseKey) {
          messages[i] = { key: null, value: line, partition: o.partition };
          continue;
        }
        const at = line.indexOf(separator);
        if (at < 0) {
          // The lines before it still go; kafka-console-producer refuses such a line too ("No key
          // separator found on line number N").
          send(messages.slice(0, i));
          throw new UsageError(`no key separator "${separator}" on line ${lineNo}: ${JSON.stringify(line)}`);
        }
        messages[i] = {
          key: line.slice(0, at),
          value: line.slice(at + separator.length),
          partition: o.partition,
        };
      }
      return messages;
    };
    for await (const chunk of input) {
      send(toMessages(lines.push(chunk as Buffer | string)));
      if (firstError) throw firstError;
      while (unsettled > MAX_OUTSTANDING_RECORDS) {
        const oldest = outstanding.shift() as (typeof outstanding)[number];
        await oldest.settled;
        unsettled -= oldest.records;
        if (firstError) throw firstError;
      }
    }
    send(toMessages(lines.end()));
    await producer.flush();
    await Promise.all(outstanding.map((x) => x.settled));
    if (firstError) throw firstError;
    return acknowledged;
  } finally {
    await producer.close().catch(() => {});
  }
}

/**
 * Splits a byte stream into lines as readline does with crlfDelay Infinity (and Java's readLine):
 * `\n`, `\r\n` or a lone `\r` ends a line, a `\r\n` split across chunks is one end, a last line
 * without an end still counts, and UTF-8 split across chunks is kept whole.
 */
class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private carry = '';

  push(chunk: Buffer | string): string[] {
    let text = this.carry + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
    // A \r at the very end may be the first half of \r\n: decide with the next chunk.
    const cr = text.endsWith('\r');
    if (cr) text = text.slice(0, -1);
    const lines = text.split(LINE_END);
    this.carry = (lines.pop() ?? '') + (cr ? '\r' : '');
    return lines;
  }

  end(): string[] {
    let last = this.carry + this.decoder.end();
    this.carry = '';
    if (last.endsWith('\r')) last = last.slice(0, -1);
    return last.length === 0 ? [] : last.split(LINE_END);
  }
}

const LINE_END = /\r\n|\n|\r/;
