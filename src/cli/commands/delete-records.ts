/**
 * `kafkalab delete-records --offset-json-file F`: kafka-delete-records.sh (DeleteRecordsCommand) on
 * kafkalab's admin client — the same JSON file, the same checks and messages, the same output:
 *
 *     Executing records delete operation
 *     Records delete operation completed:
 *     partition: t-0	low_watermark: 3
 *     partition: t-1	error: org.apache.kafka.common.errors.OffsetOutOfRangeException: …
 *
 * (partitions sorted here; Kafka prints them in HashMap order). Only parsing and output here.
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { Admin } from '../../client/admin.js';
import { clusterOptions, resolveClient } from '../command-config.js';
import { UsageError } from '../errors.js';
import { javaError } from './groups-errors.js';
import { clientFlags, type Output } from './topics.js';

export interface DeleteRecordsCliOptions {
  bootstrapServer?: string;
  commandConfig?: string;
  offsetJsonFile?: string;
}

/** The codes DeleteRecords answers that groups-errors.ts does not name: Java's class and message. */
const JAVA_ERRORS: Record<number, string> = {
  1: 'OffsetOutOfRangeException: The requested offset is not within the range of offsets maintained by the server.',
  17: 'InvalidTopicException: The request attempted to perform an operation on an invalid topic.',
  44: 'PolicyViolationException: Request parameters do not satisfy the configured policy.',
};

export function deleteRecordsCommand(): Command {
  return clientFlags(
    new Command('delete-records').description(
      'Delete the records of partitions before an offset (like kafka-delete-records.sh)',
    ),
  )
    .option(
      '--offset-json-file <file>',
      'REQUIRED: the JSON file with offset per partition: {"partitions": [{"topic": "foo", "partition": 1, "offset": 1}], "version": 1}',
    )
    .action(async (options: DeleteRecordsCliOptions) => {
      await runDeleteRecords(options, process.stdout);
    });
}

export interface RecordsToDelete {
  topic: string;
  partition: number;
  offset: bigint;
}

/**
 * DeleteRecordsCommand.parseOffsetJsonStringWithoutDedup: version 1 (the default when absent), a
 * partitions list of topic / partition / offset; a partition named twice is refused.
 */
export function parseOffsetJson(text: string, where: string): RecordsToDelete[] {
  let js: unknown;
  try {
    js = JSON.parse(text, (_key, value: unknown, context?: { source?: string }) => {
      if (typeof value !== 'number' || !Number.isInteger(value)) return value;
      // Offsets are longs: exact from the source text where Node gives it (22+), else from the double.
      const source = context?.source;
      return source && /^-?\d+$/.test(source) ? BigInt(source) : BigInt(value);
    });
  } catch {
    throw new UsageError(`${where}: The input string is not a valid JSON`);
  }
  if (typeof js !== 'object' || js === null || Array.isArray(js))
    throw new UsageError(`${where}: The input string is not a valid JSON object`);
  const o = js as Record<string, unknown>;
  const version = o.version ?? 1n;
  if (version !== 1n) throw new UsageError(`${where}: Not supported version field value ${String(version)}`);
  if (!('partitions' in o)) throw new UsageError(`${where}: Missing partitions field`);
  if (!Array.isArray(o.partitions)) throw new UsageError(`${where}: partitions is not a JSON array`);
  const out: RecordsToDelete[] = [];
  o.partitions.forEach((p: unknown, i) => {
    const at = `${where}: partitions[${i}]`;
    if (typeof p !== 'object' || p === null) throw new UsageError(`${at} is not a JSON object`);
    const r = p as Record<string, unknown>;
    for (const k of ['topic', 'partition', 'offset'])
      if (!(k in r)) throw new UsageError(`${at}: No such field exists: \`${k}\``);
    if (typeof r.topic !== 'string') throw new UsageError(`${at}.topic is not a string`);
    if (typeof r.partition !== 'bigint' || r.partition < 0n || r.partition > 2_147_483_647n)
      throw new UsageError(`${at}.partition is not an int`);
    if (typeof r.offset !== 'bigint') throw new UsageError(`${at}.offset is not a long`);
    out.push({ topic: r.topic, partition: Number(r.partition), offset: r.offset });
  });
  const seen = new Map<string, number>();
  for (const r of out)
    seen.set(`${r.topic}-${r.partition}`, (seen.get(`${r.topic}-${r.partition}`) ?? 0) + 1);
  const duplicates = [...seen].filter(([, n]) => n > 1).map(([tp]) => tp);
  if (duplicates.length > 0)
    throw new UsageError(`Offset json file contains duplicate topic partitions: ${duplicates.join(',')}`);
  return out;
}

export async function runDeleteRecords(o: DeleteRecordsCliOptions, out: Output): Promise<void> {
  if (!o.offsetJsonFile) throw new UsageError('Missing required argument "[offset-json-file]"');
  let text: string;
  try {
    text = readFileSync(o.offsetJsonFile, 'utf8');
  } catch (err) {
    throw new UsageError(`--offset-json-file ${o.offsetJsonFile}: ${(err as Error).message}`);
  }
  const partitions = parseOffsetJson(text, o.offsetJsonFile);
  const admin = new Admin(clusterOptions(resolveClient('admin', o)));
  try {
    out.write('Executing records delete operation\n');
    const results = await admin.deleteRecords({ partitions });
    out.write('Records delete operation completed:\n');
    for (const r of results) {
      const tp = `${r.topic}-${r.partition}`;
      if (r.error) {
        const java = JAVA_ERRORS[r.error.code];
        out.write(
          `partition: ${tp}\terror: ${java ? `org.apache.kafka.common.errors.${java}` : javaError(r.error.code)}\n`,
        );
      } else {
        out.write(`partition: ${tp}\tlow_watermark: ${r.lowWatermark}\n`);
      }
    }
  } finally {
    await admin.close();
  }
}
