/**
 * `kafkalab emulator`: start the in-memory single-broker Kafka and keep it running until SIGINT or
 * SIGTERM. Only option parsing and output here; the emulator lives in src/emulator.
 */
import { Command, InvalidArgumentError } from 'commander';
import { BROKER_PROPERTIES, BrokerPropertyError, brokerOverrides } from '../../emulator/broker-properties.js';
import { DEFAULT_CONFIG } from '../../emulator/config.js';
import { dataDirOf } from '../../emulator/persistence/data-dir.js';
import { type EmulatorOptions, startEmulator } from '../../emulator/start-emulator.js';
import { logManagerOf } from '../../emulator/state/log/log-manager.js';
import { readControlCommands } from '../emulator-control.js';
import {
  readyLines,
  removeDir,
  USER_HELP,
  userSpec,
  withUsers,
  writeThrowawayCertificates,
} from '../emulator-security.js';
import { UsageError } from '../errors.js';
import { logEventLine } from '../log-event-lines.js';
import { readServerProperties } from '../server-properties.js';

function int(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`${name} must be an integer in ${min}..${max}`);
    return n;
  };
}

/** `NAME[:PARTITIONS]`, repeatable. */
function topicSpec(value: string, previous: { name: string; partitions?: number }[] = []) {
  const m = value.match(/^(.+?)(?::(\d+))?$/);
  if (!m) throw new InvalidArgumentError(`bad topic "${value}", expected NAME[:PARTITIONS]`);
  const partitions = m[2] === undefined ? undefined : Number(m[2]);
  if (partitions !== undefined && partitions < 1)
    throw new InvalidArgumentError(`topic ${m[1]} needs at least 1 partition`);
  return [...previous, { name: m[1], partitions }];
}

/** `name=value` in server.properties terms, repeatable; checked here so a bad one stops the start. */
export function override(value: string, previous: string[] = []): string[] {
  try {
    brokerOverrides([value]);
  } catch (err) {
    if (err instanceof BrokerPropertyError) throw new InvalidArgumentError(err.message);
    throw err;
  }
  return [...previous, value];
}

interface EmulatorCliOptions {
  host: string;
  port: number;
  advertisedHost?: string;
  advertisedPort?: number;
  nodeId: number;
  brokers: number;
  numPartitions: number;
  autoCreateTopics: boolean;
  topic?: { name: string; partitions?: number }[];
  maxRequestBytes: number;
  groupInitialRebalanceDelayMs: number;
  override?: string[];
  user?: string[];
  trace?: boolean;
  explain?: boolean;
  record?: string;
  inspect?: boolean | number;
  dataDir?: string;
  fsync: 'always' | 'never';
}

export function emulatorCommand(): Command {
  return new Command('emulator')
    .description(
      'Run an in-memory Kafka (one broker, or --brokers N) that real clients can use (kafkajs, librdkafka, Java). ' +
        'Reads commands on stdin: stop N, kill N, pause N, resume N, start N, brokers, help.',
    )
    .argument(
      '[server.properties]',
      "a broker properties file, as kafka-server-start.sh takes it: the settings --override knows are applied (--override wins), the others named and left; controller.listener.names' listeners are not opened",
    )
    .option('--host <host>', 'interface to listen on', DEFAULT_CONFIG.host)
    .option(
      '--port <port>',
      'port to listen on (0 picks a free one)',
      int('--port', 0, 65535),
      DEFAULT_CONFIG.port,
    )
    .option(
      '--advertised-host <host>',
      'host that Metadata tells clients to connect to (advertised.listeners)',
    )
    .option(
      '--advertised-port <port>',
      'port that Metadata tells clients to connect to',
      int('--advertised-port', 1, 65535),
    )
    .option(
      '--node-id <id>',
      'node.id of this broker',
      int('--node-id', 0, 2_147_483_647),
      DEFAULT_CONFIG.nodeId,
    )
    .option(
      '--brokers <n>',
      'brokers in the cluster, node ids from --node-id up, listening on --port, --port + 1, … (free ports with --port 0)',
      int('--brokers', 1, 64),
      DEFAULT_CONFIG.brokers,
    )
    .option(
      '--num-partitions <n>',
      'partitions of auto-created topics (num.partitions)',
      int('--num-partitions', 1, 100_000),
      DEFAULT_CONFIG.numPartitions,
    )
    .option(
      '--no-auto-create-topics',
      'answer UNKNOWN_TOPIC_OR_PARTITION instead of creating topics on Metadata',
    )
    .option('--topic <name[:partitions]>', 'create this topic at start (repeatable)', topicSpec)
    .option(
      '--max-request-bytes <n>',
      'socket.request.max.bytes: larger frames close the connection',
      int('--max-request-bytes', 1, 2_147_483_647),
      DEFAULT_CONFIG.maxRequestBytes,
    )
    .option(
      '--group-initial-rebalance-delay-ms <ms>',
      'group.initial.rebalance.delay.ms',
      int('--group-initial-rebalance-delay-ms', 0, 2_147_483_647),
      DEFAULT_CONFIG.groupInitialRebalanceDelayMs,
    )
    .option('--user <name:password[:mechanism]>', USER_HELP, userSpec)
    .option(
      '--override <name=value>',
      `a broker setting by its server.properties name, as kafka-server-start.sh --override takes it (repeatable; wins over the flags above): ${Object.keys(BROKER_PROPERTIES).join(', ')}; ` +
        'and listeners and their security: listeners (e.g. SASL_SSL://127.0.0.1:9093,PLAINTEXT://127.0.0.1:9092), ' +
        'listener.security.protocol.map, advertised.listeners, sasl.enabled.mechanisms (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER), ' +
        'listener.name.<listener>.plain.sasl.jaas.config (user_<name>="<password>"), ' +
        'listener.name.<listener>.oauthbearer.sasl.jaas.config (unsecuredLoginStringClaim_sub, unsecuredValidator*), sasl.users (emulator: name:password[:MECHANISM],...), ' +
        'ssl.keystore.location + ssl.keystore.type=PEM|PKCS12 (+ ssl.key.password / ssl.keystore.password) or ssl.keystore.certificate.chain + ssl.keystore.key, ' +
        'ssl.truststore.location (PEM), ssl.client.auth=none|requested|required, connections.max.reauth.ms, ' +
        'connection.failed.authentication.delay.ms, sasl.server.max.receive.size, sasl.scram.nonce.check=equals|endsWith (emulator); ' +
        'an SSL listener without a keystore gets a throwaway CA and certificate, written to a temporary directory',
      override,
    )
    .option(
      '--data-dir <dir>',
      'keep topics, partition logs, configs, committed offsets and producer state in this directory across restarts (memory-only without it)',
    )
    .option(
      '--fsync <policy>',
      'with --data-dir: always = fdatasync every append before answering it (survives a power loss), never = leave flushing to the OS (survives kill -9)',
      (v: string) => {
        if (v !== 'always' && v !== 'never')
          throw new InvalidArgumentError('--fsync must be always or never');
        return v;
      },
      'never',
    )
    .option(
      '--trace',
      'print one line per request/response: connection, client id, API, version, correlation id, sizes, latency, error codes',
    )
    .option('--explain', 'print the full annotated listing of every request and response frame')
    .option(
      '--record <file>',
      'write one JSON line per exchange to FILE: raw frames in hex and decoded bodies (Kafka JSON form)',
    )
    .option(
      '--inspect [port]',
      'serve the browser inspector of live exchanges on 127.0.0.1 (port 0 or none: a free one)',
      int('--inspect', 0, 65535),
    )
    .action(async (propertiesFile: string | undefined, o: EmulatorCliOptions) => {
      const fromFile = propertiesFile === undefined ? undefined : readServerProperties(propertiesFile);
      if (fromFile && fromFile.unused.length > 0)
        process.stderr.write(
          `kafkalab emulator: ${propertiesFile}: not used by the emulator: ${fromFile.unused.join(', ')}\n`,
        );
      let settings: ReturnType<typeof brokerOverrides>;
      try {
        settings = brokerOverrides([...(fromFile?.overrides ?? []), ...(o.override ?? [])]);
      } catch (err) {
        if (err instanceof BrokerPropertyError) throw new UsageError(`${propertiesFile}: ${err.message}`);
        throw err;
      }
      if (o.host === '0.0.0.0' || o.host === '::') {
        process.stderr.write(
          `kafkalab emulator: warning: listening on ${o.host} exposes an unauthenticated broker to the network; ` +
            'it advertises ' +
            (o.advertisedHost ?? '127.0.0.1') +
            ' unless --advertised-host is given\n',
        );
      }
      const options: EmulatorOptions = {
        host: o.host,
        port: o.port,
        advertisedHost: o.advertisedHost,
        advertisedPort: o.advertisedPort,
        nodeId: o.nodeId,
        brokers: o.brokers,
        numPartitions: o.numPartitions,
        autoCreateTopics: o.autoCreateTopics,
        topics: o.topic ?? [],
        maxRequestBytes: o.maxRequestBytes,
        groupInitialRebalanceDelayMs: o.groupInitialRebalanceDelayMs,
        ...withUsers(settings, o.user ?? []),
        trace: o.trace ? (line) => process.stdout.write(`${line}\n`) : undefined,
        explain: o.explain ? (text) => process.stdout.write(`${text}\n`) : undefined,
        recordFile: o.record,
        dataDir: o.dataDir,
        fsync: o.fsync,
      };
      const emulator = await startEmulator(options);
      // Old segments deleted and logs cleaned, as a broker's server.log tells of them.
      logManagerOf(emulator.cluster).onEvent = (e) => process.stdout.write(`${logEventLine(e)}\n`);
      // What recovery did with the data dir (a torn tail cut, a stale lock, an open transaction aborted).
      for (const note of dataDirOf(emulator.cluster)?.recovery ?? [])
        process.stderr.write(`kafkalab emulator: recovery: ${note.file}: ${note.message}\n`);
      // One line per broker, the same shape for one broker or many (scripts wait for the first). The
      // bound address, not the advertised one: the trace line above says where Metadata points.
      // A secured emulator prints every listener in Kafka's NAME://host:port form.
      const certDir = await writeThrowawayCertificates(emulator);
      if (certDir)
        process.stdout.write(
          `kafkalab emulator: no ssl.keystore given: throwaway CA and certificates in ${certDir} (clients trust ${certDir}/ca.pem)\n`,
        );
      for (const line of readyLines(emulator, options.security !== undefined))
        process.stdout.write(`${line}\n`);
      // Loaded only when asked for: the inspector pulls in the explainer and the HTTP server.
      const inspector =
        o.inspect === undefined
          ? undefined
          : await (await import('../../inspector/index.js')).inspectLive(
              emulator.hooks,
              `emulator ${emulator.host}:${emulator.port}`,
              { port: typeof o.inspect === 'number' ? o.inspect : 0, state: () => emulator.inspectState() },
            );
      if (inspector) process.stdout.write(`kafkalab inspector on ${inspector.url}\n`);
      // stop 1, kill 1, pause 1, resume 1, start 1, brokers: one line each (emulator-control.ts).
      const control = readControlCommands(emulator, process.stdin, {
        out: (line) => process.stdout.write(`${line}\n`),
        err: (line) => process.stderr.write(`${line}\n`),
      });
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          control.close();
          process.stdin.destroy();
          void Promise.all([emulator.stop(), inspector?.close()]).then(() => {
            removeDir(certDir);
            resolve();
          });
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
