/**
 * Runs Apache Kafka's own command-line tools (kafka-topics, kafka-console-producer, ...) from tests,
 * against any bootstrap address: a real broker (test/support/real-kafka.ts) or the emulator.
 *
 * The jars come from Maven Central through conformance/real-kafka/kafka.sh, which fetches them once
 * into conformance/real-kafka/.kafka/ (git-ignored); the first call on a bare machine therefore takes
 * a while (about 15 s for 43 MB). The tool classes and JVM flags are kafka.sh's, read through
 * `kafka.sh env`, so that the script and the tests cannot drift apart.
 */
import { existsSync } from 'node:fs';
import { readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ProcessResult, runProcess } from './cli.js';

export const REAL_KAFKA_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../conformance/real-kafka');
export const KAFKA_SH = join(REAL_KAFKA_DIR, 'kafka.sh');

/** The tools named in conformance/real-kafka/tools.properties (Kafka's bin/ script names). */
export type KafkaToolName =
  | 'kafka-topics'
  | 'kafka-console-producer'
  | 'kafka-console-consumer'
  | 'kafka-consumer-groups'
  | 'kafka-broker-api-versions'
  | 'kafka-storage'
  | 'kafka-transactional-message-copier'
  | 'kafka-configs'
  | 'kafka-delete-records'
  | 'kafka-log-dirs'
  | 'kafka-transactions'
  | 'kafka-acls';

export interface KafkaToolsEnv {
  version: string;
  java: string;
  /** Directory holding every jar; the classpath is `${libs}/*`. */
  libs: string;
  jvmOptions: string[];
  log4jConfig: string;
  /** kafka.sh's class-data-sharing archive for the tools ('' when turned off); see kafka.sh. */
  cdsArchive: string;
  /** Tool name → main class. */
  classes: Map<string, string>;
}

export interface ToolResult extends ProcessResult {
  tool: KafkaToolName;
  args: string[];
}

export interface RunToolOptions {
  /** Written to the tool's stdin, which is then closed (the console producer sends one record per line). */
  stdin?: string;
  /** Kill the tool (SIGKILL) after this long. Default 60 s. */
  timeoutMs?: number;
}

let envPromise: Promise<KafkaToolsEnv> | undefined;
let archiveAttempt = 0;

/**
 * Where the jars are and how kafka.sh launches tools. Fetches the jars on first use (bounded by
 * `timeoutMs`, default 15 minutes for a slow network).
 */
export function kafkaToolsEnv(timeoutMs = 900_000): Promise<KafkaToolsEnv> {
  envPromise ??= loadEnv(timeoutMs).catch((error) => {
    envPromise = undefined; // let a later call try again
    throw error;
  });
  return envPromise;
}

async function loadEnv(timeoutMs: number): Promise<KafkaToolsEnv> {
  const result = await runProcess('bash', [KAFKA_SH, 'env'], { timeoutMs });
  if (result.exitCode !== 0) {
    throw new Error(
      `kafka.sh env failed (exit ${result.exitCode}${result.timedOut ? ', timed out' : ''}):\n${result.stderr}`,
    );
  }
  const vars = new Map<string, string>();
  for (const line of result.stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) vars.set(line.slice(0, eq), line.slice(eq + 1));
  }
  const need = (key: string): string => {
    const value = vars.get(key);
    if (value === undefined) throw new Error(`kafka.sh env did not print ${key}:\n${result.stdout}`);
    return value;
  };
  const classes = new Map<string, string>();
  for (const line of (await readFile(need('KAFKA_TOOLS'), 'utf8')).split('\n')) {
    const match = /^([a-z-]+)=(\S+)$/.exec(line.trim());
    if (match) classes.set(match[1], match[2]);
  }
  return {
    version: need('KAFKA_VERSION'),
    java: need('KAFKA_JAVA'),
    libs: need('KAFKA_LIBS'),
    jvmOptions: need('KAFKA_TOOL_JVM_OPTS').split(' ').filter(Boolean),
    log4jConfig: need('KAFKA_TOOL_LOG4J'),
    cdsArchive: vars.get('KAFKA_TOOL_CDS_ARCHIVE') ?? '',
    classes,
  };
}

/** Runs one of Kafka's tools, as its bin/NAME.sh would, and captures what it did. */
export async function runKafkaTool(
  tool: KafkaToolName,
  args: string[],
  options: RunToolOptions = {},
): Promise<ToolResult> {
  const env = await kafkaToolsEnv();
  const mainClass = env.classes.get(tool);
  if (mainClass === undefined) throw new Error(`${tool} is not in conformance/real-kafka/tools.properties`);
  // Same class-data-sharing scheme as kafka.sh: map the archive if there is one, else let this run
  // write it (under a private name, renamed into place only after a clean exit).
  let cds: string[] = [];
  let partialArchive: string | undefined;
  if (env.cdsArchive !== '') {
    if (existsSync(env.cdsArchive)) {
      cds = [`-XX:SharedArchiveFile=${env.cdsArchive}`];
    } else {
      partialArchive = `${env.cdsArchive}.partial.${process.pid}.${++archiveAttempt}`;
      cds = [`-XX:ArchiveClassesAtExit=${partialArchive}`];
    }
  }
  const javaArgs = [
    ...env.jvmOptions,
    ...cds,
    `-Dlog4j2.configurationFile=${env.log4jConfig}`,
    '-cp',
    join(env.libs, '*'),
    mainClass,
    ...args,
  ];
  const result = await runProcess(env.java, javaArgs, {
    stdin: options.stdin,
    timeoutMs: options.timeoutMs ?? 60_000,
  });
  if (partialArchive !== undefined) {
    if (result.exitCode === 0 && existsSync(partialArchive)) await rename(partialArchive, env.cdsArchive);
    else await rm(partialArchive, { force: true });
  }
  return { tool, args, ...result };
}

/** A tool's invocation and outcome in a few lines, for assertion messages. */
export function describeToolResult(result: ToolResult): string {
  const status = result.timedOut ? 'timed out (killed)' : `exit ${result.exitCode ?? result.signal}`;
  return [
    `$ ${result.tool} ${result.args.join(' ')}`,
    `→ ${status} after ${Math.round(result.durationMs)} ms`,
    `stdout:\n${result.stdout.trimEnd() || '(empty)'}`,
    `stderr:\n${result.stderr.trimEnd() || '(empty)'}`,
  ].join('\n');
}
