/**
 * `kafkalab produce`: kafka-console-producer.sh — one record per stdin line, optionally `key<sep>value`
 * with `--property parse.key=true --property key.separator=:` (or the short `--key-separator :`).
 *
 * `--transactional-id ID` (with `--transaction-size N`) is kafkalab's own: Kafka 4.1's console
 * producer has no transaction flags (kafka-producer-perf-test has --transactional-id and
 * --transaction-duration-ms). The whole input is one transaction, or one per N records; a bad line or
 * a failed send aborts the open one, so a read_committed consumer sees whole transactions or nothing.
 * For learning what a transaction does to a log, `--abort` ends every transaction with EndTxn(abort)
 * once its records are written, and `--leave-open` exits with the last one still open, as a producer
 * that crashed would (a hanging transaction: it holds the last stable offset back until the
 * coordinator's timeout or a new producer with the same transactional.id aborts it).
 */

import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { Command, InvalidArgumentError } from 'commander';
import { Producer } from '../../client/producer/producer.js';
import type { ProducerMessage } from '../../client/producer/types.js';
import { COMPRESSION_TYPES, type CompressionType } from '../../protocol/records/index.js';
import { flagEntries, parseAcks, resolveClient } from '../command-config.js';
import { UsageError } from '../errors.js';
import { clientFlags, keyValue } from './topics.js';

export interface ProduceCliOptions {
  bootstrapServer?: string;
  commandConfig?: string;
  /** --producer.config, kafka-console-producer 4.1's name for --command-config. */
  'producer.config'?: string;
  producerProperty?: Record<string, string>;
  /** kafka-console-producer's --request-required-acks (over acks of the properties). */
  requestRequiredAcks?: string;
  /** kafka-console-producer's --compression-codec (no value: gzip, as Kafka's). */
  compressionCodec?: string | boolean;
  topic: string;
  property?: Record<string, string>;
  keySeparator?: string;
  parseKey?: boolean;
  acks?: string;
  compression?: string;
  partition?: number;
  /** kafkalab's own: send in transactions with this transactional.id. */
  transactionalId?: string;
  /** Records per transaction (default: the whole input in one). */
  transactionSize?: number;
  /** kafkalab's own: end each transaction with an abort, after its records are written. */
  abort?: boolean;
  /** kafkalab's own: exit with the last transaction open (its records written, no EndTxn). */
  leaveOpen?: boolean;
}

/** What `runProduce` sent, and how its transactions ended. */
export interface ProduceResult {
  /** Records acknowledged (transactional: in the transactions that ended as asked). */
  records: number;
  /** Transactions ended with EndTxn (committed, or aborted with --abort). */
  transactions: number;
  /** --leave-open: records in the transaction left open (0 when the input ended on a boundary). */
  openRecords: number;
}

export function produceCommand(): Command {
  return clientFlags(
    new Command('produce').description(
      'Send one record per line of stdin to a topic (like kafka-console-producer.sh)',
    ),
  )
    .option('--producer.config <file>', 'same as --command-config (kafka-console-producer 4.1 spelling)')
    .option(
      '--producer-property <key=value>',
      'producer property, over --command-config (repeatable)',
      keyValue,
    )
    .requiredOption('--topic <name>', 'the topic')
    .option(
      '--property <key=value>',
      'line reader: parse.key, key.separator, parse.headers, headers.delimiter, headers.separator, headers.key.separator, null.marker, ignore.error (repeatable)',
      keyValue,
    )
    .option('--parse-key', 'read each line as key<separator>value')
    .option('--key-separator <sep>', 'key/value separator (implies --parse-key; default TAB)')
    .option('--acks <acks>', 'acks: 0, 1, -1 or all (default all)')
    .option('--request-required-acks <acks>', 'same as --acks (kafka-console-producer spelling)')
    .option('--compression <codec>', `compression: ${COMPRESSION_TYPES.join(', ')} (default none)`)
    .option(
      '--compression-codec [codec]',
      'same as --compression; without a value gzip (kafka-console-producer)',
    )
    .option('--partition <n>', 'send every record to this partition', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('--partition must be an integer ≥ 0');
      return n;
    })
    .option(
      '--transactional-id <id>',
      "send in transactions with this transactional.id (kafkalab's own; the whole input is one unless --transaction-size)",
    )
    .option('--transaction-size <n>', 'with --transactional-id: commit every N records', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1)
        throw new InvalidArgumentError('--transaction-size must be an integer ≥ 1');
      return n;
    })
    .option(
      '--abort',
      'with --transactional-id: abort each transaction once its records are written, instead of committing it',
    )
    .option(
      '--leave-open',
      'with --transactional-id: exit with the last transaction still open, as a crashed producer would (a hanging transaction)',
    )
    .action(async (options: ProduceCliOptions) => {
      const r = await runProduce(options, process.stdin);
      process.stderr.write(`${summary(r, options)}\n`);
    });
}

/** `2 records sent to t`, and how the transactions ended when that is not a commit. */
export function summary(r: ProduceResult, o: ProduceCliOptions): string {
  const sent = `${r.records} record${r.records === 1 ? '' : 's'} sent to ${o.topic}`;
  if (o.abort)
    return `${sent} in ${r.transactions === 1 ? '1 aborted transaction' : `${r.transactions} aborted transactions`}`;
  if (o.leaveOpen)
    return r.openRecords > 0
      ? `${sent}, the last transaction left open`
      : `${sent}, none left open: the input ended with a full transaction`;
  return sent;
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
export async function runProduce(o: ProduceCliOptions, input: Readable): Promise<ProduceResult> {
  const reader = lineReader(o);
  if (o.commandConfig !== undefined && o['producer.config'] !== undefined)
    throw new UsageError('Options --producer.config and --command-config cannot be specified together.');
  const s = resolveClient(
    'producer',
    { bootstrapServer: o.bootstrapServer, commandConfig: o.commandConfig ?? o['producer.config'] },
    flagEntries('--producer-property', o.producerProperty),
  );
  const acksFlag = o.requestRequiredAcks ?? o.acks;
  const acks = acksFlag !== undefined ? parseAcks(acksFlag, '--acks') : (s.acks ?? -1);
  const codec =
    o.compressionCodec === true
      ? 'gzip'
      : typeof o.compressionCodec === 'string'
        ? o.compressionCodec
        : o.compression;
  const compression = (codec ?? s.compression ?? 'none') as CompressionType;
  if (!COMPRESSION_TYPES.includes(compression)) throw new UsageError(`unknown compression "${codec}"`);
  const { bootstrap, ...settings } = s;
  const transactionalId = o.transactionalId ?? s.transactionalId;
  if (o.transactionSize !== undefined && transactionalId === undefined)
    throw new UsageError('--transaction-size needs --transactional-id');
  for (const flag of ['abort', 'leaveOpen'] as const) {
    if (o[flag] && transactionalId === undefined)
      throw new UsageError(`--${flag === 'abort' ? 'abort' : 'leave-open'} needs --transactional-id`);
  }
  if (o.abort && o.leaveOpen) throw new UsageError('--abort and --leave-open cannot be used together');
  if (transactionalId !== undefined && acks !== -1)
    throw new UsageError('--transactional-id needs acks=all: a transactional producer is idempotent');
  const producer = new Producer({
    retry: { retries: 3 },
    ...settings,
    bootstrap,
    acks,
    compression,
    transactionalId,
  });
  const txnSize = transactionalId === undefined ? undefined : (o.transactionSize ?? Number.POSITIVE_INFINITY);
  const outstanding: { records: number; settled: Promise<void> }[] = [];
  let unsettled = 0;
  let acknowledged = 0;
  let firstError: unknown;
  /** Transactional: records in the open transaction, and acknowledged ones in committed transactions. */
  let inTransaction = 0;
  let committed = 0;
  let ended = 0;
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
  /** Ends the open transaction: a commit, or with --abort an abort once every record is written. */
  const commit = async () => {
    if (o.abort) await producer.flush();
    else await producer.commitTransaction();
    await Promise.all(outstanding.splice(0).map((x) => x.settled));
    unsettled = 0;
    if (firstError) throw firstError;
    if (o.abort) await producer.abortTransaction();
    committed = acknowledged;
    inTransaction = 0;
    ended++;
  };
  /** Hands records over; transactional, commits each time a transaction is full and opens the next. */
  const deliver = async (messages: ProducerMessage[]) => {
    if (txnSize === undefined) {
      send(messages);
      return;
    }
    for (let i = 0; i < messages.length; ) {
      const part = messages.slice(i, i + Math.min(messages.length - i, txnSize - inTransaction));
      send(part);
      inTransaction += part.length;
      i += part.length;
      if (inTransaction >= txnSize) {
        await commit();
        producer.beginTransaction();
      }
    }
  };
  try {
    if (transactionalId !== undefined) {
      await producer.initTransactions();
      producer.beginTransaction();
    } else await producer.connect();
    const lines = new LineSplitter();
    let lineNo = 0;
    const toMessages = (batch: string[]): ProducerMessage[] => {
      const messages: ProducerMessage[] = new Array(batch.length);
      for (let i = 0; i < batch.length; i++) {
        const line = batch[i];
        lineNo++;
        try {
          messages[i] = { ...reader(line, lineNo), partition: o.partition };
        } catch (err) {
          // The lines before it still go; kafka-console-producer refuses such a line too. In a
          // transaction they would only be aborted with it.
          if (txnSize === undefined) send(messages.slice(0, i));
          throw err;
        }
      }
      return messages;
    };
    for await (const chunk of input) {
      await deliver(toMessages(lines.push(chunk as Buffer | string)));
      if (firstError) throw firstError;
      while (unsettled > MAX_OUTSTANDING_RECORDS) {
        const oldest = outstanding.shift() as (typeof outstanding)[number];
        await oldest.settled;
        unsettled -= oldest.records;
        if (firstError) throw firstError;
      }
    }
    await deliver(toMessages(lines.end()));
    if (txnSize !== undefined && !o.leaveOpen) {
      // A transaction that --transaction-size just ended and began anew holds nothing: no EndTxn.
      if (inTransaction > 0 || ended === 0) await commit();
      return { records: committed, transactions: ended, openRecords: 0 };
    }
    await producer.flush();
    await Promise.all(outstanding.map((x) => x.settled));
    if (firstError) throw firstError;
    // --leave-open: close() below flushes and disconnects without EndTxn, the coordinator keeps the
    // transaction Ongoing (Java's KafkaProducer.close() does not abort either).
    return { records: acknowledged, transactions: ended, openRecords: o.leaveOpen ? inTransaction : 0 };
  } catch (err) {
    // Whatever the open transaction holds is aborted: all of it or nothing, never part.
    const state = producer.transactionState;
    if (o.leaveOpen) throw err;
    if (state === 'inTransaction' || state === 'abortableError' || state === 'committing')
      await producer.abortTransaction().catch(() => {});
    throw err;
  } finally {
    await producer.close().catch(() => {});
  }
}

type LineRecord = Pick<ProducerMessage, 'key' | 'value' | 'headers'>;

/**
 * kafka-console-producer's LineMessageReader: `[headers<delimiter>][key<separator>]value`, headers as
 * `k:v` pairs split by headers.separator (a regular expression, as Java's Pattern.split, trailing empty
 * pairs dropped), null.marker standing for a null key, value or header value; a line without a
 * demarcation is an error unless ignore.error=true. Checks and messages as Kafka's.
 */
export function lineReader(o: ProduceCliOptions): (line: string, lineNo: number) => LineRecord {
  const p = o.property ?? {};
  const on = (k: string) => k in p && p[k].trim().toLowerCase() === 'true';
  const parseKey = Boolean(o.parseKey) || o.keySeparator !== undefined || on('parse.key');
  const keySep = o.keySeparator ?? p['key.separator'] ?? '\t';
  if (keySep.length === 0) throw new UsageError('the key separator cannot be empty');
  const parseHeaders = on('parse.headers');
  const delimiter = p['headers.delimiter'] ?? '\t';
  const headersSep = p['headers.separator'] ?? ',';
  const headerKeySep = p['headers.key.separator'] ?? ':';
  const ignoreError = on('ignore.error');
  const nullMarker = p['null.marker'];
  const differ = (a: string | undefined, an: string, b: string | undefined, bn: string) => {
    if (a !== undefined && a === b) throw new UsageError(`${an} and ${bn} may not be equal`);
  };
  differ(delimiter, 'headers.delimiter', headersSep, 'headers.separator');
  differ(delimiter, 'headers.delimiter', headerKeySep, 'headers.key.separator');
  differ(headersSep, 'headers.separator', headerKeySep, 'headers.key.separator');
  differ(nullMarker, 'null.marker', keySep, 'key.separator');
  differ(nullMarker, 'null.marker', headersSep, 'headers.separator');
  differ(nullMarker, 'null.marker', delimiter, 'headers.delimiter');
  differ(nullMarker, 'null.marker', headerKeySep, 'headers.key.separator');
  let pairSplitter: RegExp;
  try {
    pairSplitter = new RegExp(headersSep);
  } catch (err) {
    throw new UsageError(`headers.separator is not a regular expression: ${(err as Error).message}`);
  }
  const orNull = (s: string) => (s === nullMarker ? null : s);
  return (line, lineNo) => {
    const cut = (enabled: boolean, from: number, mark: string, name: string): string | null => {
      if (!enabled) return null;
      const at = line.indexOf(mark, from);
      if (at < 0) {
        if (ignoreError) return null;
        throw new UsageError(`No ${name} found on line number ${lineNo}: '${line}'`);
      }
      return line.slice(from, at);
    };
    const headers = cut(parseHeaders, 0, delimiter, 'headers delimiter');
    const afterHeaders = headers === null ? 0 : headers.length + delimiter.length;
    const key = cut(parseKey, afterHeaders, keySep, 'key separator');
    const afterKey = afterHeaders + (key === null ? 0 : key.length + keySep.length);
    const out: LineRecord = { key: key === null ? null : orNull(key), value: orNull(line.slice(afterKey)) };
    if (headers !== null && headers !== nullMarker) {
      const pairs = headers.split(pairSplitter);
      while (pairs.length > 0 && pairs[pairs.length - 1] === '') pairs.pop();
      out.headers = pairs.map((pair) => {
        const at = pair.indexOf(headerKeySep);
        if (at < 0) {
          if (ignoreError) return { key: pair, value: null };
          throw new UsageError(`No header key separator found in pair '${pair}' on line number ${lineNo}`);
        }
        const k = pair.slice(0, at);
        if (k === nullMarker)
          throw new UsageError(
            `Header keys should not be equal to the null marker '${nullMarker}' as they can't be null`,
          );
        return { key: k, value: orNull(pair.slice(at + headerKeySep.length)) };
      });
    }
    return out;
  };
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
