/**
 * Client properties for the CLI: `--command-config FILE` (Kafka's tools read it with
 * java.util.Properties) and `--consumer-property` / `--producer-property k=v`. Only the keys kafkalab's
 * clients act on are accepted: a key kafkalab would silently ignore (a typo, or a setting it does not
 * have, such as GSSAPI) is refused naming the file and line, so that a run never looks configured
 * while it is not. Values given on the command line win over the file's, as in Kafka's tools.
 */
import { readFileSync } from 'node:fs';
import type { RetryOptions } from '../client/cluster.js';
import type { ClientSecurity } from '../client/security.js';
import { COMPRESSION_TYPES, type CompressionType } from '../protocol/records/index.js';
import { UsageError } from './errors.js';
import { clientSecurity, SECURITY_KEYS, type SecurityEntries } from './security-config.js';

/** One key=value with where it came from: `FILE:LINE`, or the flag that carried it. */
export interface PropertyEntry {
  key: string;
  value: string;
  where: string;
}

/**
 * Java's Properties.load line format: `#`/`!` comments, `key=value`, `key:value` or `key value`,
 * backslash escapes (\t \n \r \f \uXXXX, anything else stands for itself) and a line ending in an odd
 * number of backslashes continuing on the next (whose leading blanks are dropped).
 */
export function parseProperties(text: string, file: string): PropertyEntry[] {
  const lines = text.split(/\r\n|\n|\r/);
  const out: PropertyEntry[] = [];
  for (let i = 0; i < lines.length; i++) {
    const first = i + 1;
    let logical = lines[i].replace(/^[ \t\f]+/, '');
    if (logical === '' || logical[0] === '#' || logical[0] === '!') continue;
    while (endsInOddBackslashes(logical) && i + 1 < lines.length) {
      logical = logical.slice(0, -1) + lines[++i].replace(/^[ \t\f]+/, '');
    }
    if (endsInOddBackslashes(logical)) logical = logical.slice(0, -1);
    const where = `${file}:${first}`;
    // The key ends at the first unescaped '=', ':' or blank.
    let k = 0;
    while (k < logical.length && !'=: \t\f'.includes(logical[k])) k += logical[k] === '\\' ? 2 : 1;
    const rawKey = logical.slice(0, k);
    let v = k;
    while (v < logical.length && ' \t\f'.includes(logical[v])) v++;
    if (v < logical.length && (logical[v] === '=' || logical[v] === ':')) v++;
    while (v < logical.length && ' \t\f'.includes(logical[v])) v++;
    out.push({ key: unescapeJava(rawKey, where), value: unescapeJava(logical.slice(v), where), where });
  }
  return out;
}

function endsInOddBackslashes(s: string): boolean {
  let n = 0;
  for (let i = s.length - 1; i >= 0 && s[i] === '\\'; i--) n++;
  return n % 2 === 1;
}

const ESCAPES: Record<string, string> = { t: '\t', n: '\n', r: '\r', f: '\f' };

function unescapeJava(s: string, where: string): string {
  if (!s.includes('\\')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '\\') {
      out += s[i];
      continue;
    }
    const c = s[++i];
    if (c === 'u') {
      const hex = s.slice(i + 1, i + 5);
      if (!/^[0-9a-fA-F]{4}$/.test(hex))
        throw new UsageError(`${where}: malformed \\uxxxx escape "\\u${hex}"`);
      out += String.fromCharCode(Number.parseInt(hex, 16));
      i += 4;
    } else if (c !== undefined) out += ESCAPES[c] ?? c;
  }
  return out;
}

/** Which client a command builds: decides which keys mean something. */
export type ClientRole = 'admin' | 'producer' | 'consumer';

/** What the properties set, in the clients' option names. */
export interface ClientSettings {
  bootstrap?: string;
  clientId?: string;
  requestTimeoutMs?: number;
  connectTimeoutMs?: number;
  metadataMaxAgeMs?: number;
  retry?: RetryOptions;
  // consumer
  groupId?: string;
  groupInstanceId?: string;
  groupProtocol?: 'classic' | 'consumer';
  groupRemoteAssignor?: string;
  autoOffsetReset?: 'earliest' | 'latest' | 'none';
  autoCommit?: boolean;
  autoCommitIntervalMs?: number;
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  rebalanceTimeoutMs?: number;
  fetchMaxWaitMs?: number;
  fetchMinBytes?: number;
  fetchMaxBytes?: number;
  maxPartitionFetchBytes?: number;
  maxPollRecords?: number;
  checkCrcs?: boolean;
  isolationLevel?: 'read_committed' | 'read_uncommitted';
  // producer
  acks?: 0 | 1 | -1;
  idempotent?: boolean;
  compression?: CompressionType;
  lingerMs?: number;
  batchSize?: number;
  maxInFlight?: number;
  deliveryTimeoutMs?: number;
  transactionalId?: string;
  transactionTimeoutMs?: number;
  maxBlockMs?: number;
  /** security.protocol, ssl.*, sasl.* */
  security?: ClientSecurity;
  /** The security keys as given, until clientSettings reads them into `security`. */
  securityEntries?: SecurityEntries;
}

type Apply = (s: ClientSettings, value: string, where: string, key: string) => void;

function int(min: number): (value: string, where: string, key: string) => number {
  return (value, where, key) => {
    const n = Number(value.trim());
    if (!Number.isInteger(n) || n < min)
      throw new UsageError(`${where}: ${key} must be an integer ≥ ${min}, not "${value}"`);
    return n;
  };
}
const nonNegative = int(0);
const positive = int(1);

function bool(value: string, where: string, key: string): boolean {
  const v = value.trim().toLowerCase();
  if (v !== 'true' && v !== 'false')
    throw new UsageError(`${where}: ${key} must be true or false, not "${value}"`);
  return v === 'true';
}

function oneOf<T extends string>(values: readonly T[]) {
  return (value: string, where: string, key: string): T => {
    const v = value.trim().toLowerCase() as T;
    if (!values.includes(v))
      throw new UsageError(`${where}: ${key} must be one of ${values.join(', ')}, not "${value}"`);
    return v;
  };
}

const COMMON: Record<string, Apply> = {
  'bootstrap.servers': (s, v) => {
    s.bootstrap = v.trim();
  },
  'client.id': (s, v) => {
    s.clientId = v;
  },
  'request.timeout.ms': (s, v, w, k) => {
    s.requestTimeoutMs = positive(v, w, k);
  },
  'socket.connection.setup.timeout.ms': (s, v, w, k) => {
    s.connectTimeoutMs = positive(v, w, k);
  },
  'metadata.max.age.ms': (s, v, w, k) => {
    s.metadataMaxAgeMs = nonNegative(v, w, k);
  },
  retries: (s, v, w, k) => {
    s.retry = { ...s.retry, retries: nonNegative(v, w, k) };
  },
  'retry.backoff.ms': (s, v, w, k) => {
    s.retry = { ...s.retry, initialBackoffMs: nonNegative(v, w, k) };
  },
  'retry.backoff.max.ms': (s, v, w, k) => {
    s.retry = { ...s.retry, maxBackoffMs: nonNegative(v, w, k) };
  },
  // TLS and SASL: collected, then read together once every line is in (security-config.ts).
  ...Object.fromEntries(
    SECURITY_KEYS.map((key): [string, Apply] => [
      key,
      (s, value, where) => {
        s.securityEntries ??= new Map();
        s.securityEntries.set(key, { value, where });
      },
    ]),
  ),
};

/**
 * Java (de)serializer classes: kafkalab's tools read and write bytes as UTF-8 text, which is what the
 * console tools' String and ByteArray classes amount to; any other class cannot be honoured.
 */
const BYTES_CLASSES = new Set([
  'org.apache.kafka.common.serialization.StringSerializer',
  'org.apache.kafka.common.serialization.StringDeserializer',
  'org.apache.kafka.common.serialization.ByteArraySerializer',
  'org.apache.kafka.common.serialization.ByteArrayDeserializer',
]);
const textClass: Apply = (_s, v, w, k) => {
  if (!BYTES_CLASSES.has(v.trim()))
    throw new UsageError(
      `${w}: ${k}=${v} is not supported: kafkalab reads and writes UTF-8 text (String/ByteArray)`,
    );
};

const CONSUMER: Record<string, Apply> = {
  'group.id': (s, v) => {
    s.groupId = v;
  },
  'group.instance.id': (s, v) => {
    s.groupInstanceId = v;
  },
  'group.protocol': (s, v, w, k) => {
    s.groupProtocol = oneOf(['classic', 'consumer'] as const)(v, w, k);
  },
  'group.remote.assignor': (s, v) => {
    s.groupRemoteAssignor = v.trim() === '' ? undefined : v.trim();
  },
  'auto.offset.reset': (s, v, w, k) => {
    s.autoOffsetReset = oneOf(['earliest', 'latest', 'none'] as const)(v, w, k);
  },
  'enable.auto.commit': (s, v, w, k) => {
    s.autoCommit = bool(v, w, k);
  },
  'auto.commit.interval.ms': (s, v, w, k) => {
    s.autoCommitIntervalMs = nonNegative(v, w, k);
  },
  'session.timeout.ms': (s, v, w, k) => {
    s.sessionTimeoutMs = positive(v, w, k);
  },
  'heartbeat.interval.ms': (s, v, w, k) => {
    s.heartbeatIntervalMs = positive(v, w, k);
  },
  'max.poll.interval.ms': (s, v, w, k) => {
    s.rebalanceTimeoutMs = positive(v, w, k);
  },
  'fetch.max.wait.ms': (s, v, w, k) => {
    s.fetchMaxWaitMs = nonNegative(v, w, k);
  },
  'fetch.min.bytes': (s, v, w, k) => {
    s.fetchMinBytes = nonNegative(v, w, k);
  },
  'fetch.max.bytes': (s, v, w, k) => {
    s.fetchMaxBytes = nonNegative(v, w, k);
  },
  'max.partition.fetch.bytes': (s, v, w, k) => {
    s.maxPartitionFetchBytes = positive(v, w, k);
  },
  'max.poll.records': (s, v, w, k) => {
    s.maxPollRecords = positive(v, w, k);
  },
  'check.crcs': (s, v, w, k) => {
    s.checkCrcs = bool(v, w, k);
  },
  'isolation.level': (s, v, w, k) => {
    s.isolationLevel = oneOf(['read_committed', 'read_uncommitted'] as const)(v, w, k);
  },
  'key.deserializer': textClass,
  'value.deserializer': textClass,
};

const PRODUCER: Record<string, Apply> = {
  acks: (s, v, w, k) => {
    s.acks = parseAcks(v, `${w}: ${k}`);
  },
  'enable.idempotence': (s, v, w, k) => {
    s.idempotent = bool(v, w, k);
  },
  'compression.type': (s, v, w, k) => {
    s.compression = oneOf(COMPRESSION_TYPES)(v, w, k);
  },
  'linger.ms': (s, v, w, k) => {
    s.lingerMs = nonNegative(v, w, k);
  },
  'batch.size': (s, v, w, k) => {
    s.batchSize = nonNegative(v, w, k);
  },
  'max.in.flight.requests.per.connection': (s, v, w, k) => {
    s.maxInFlight = positive(v, w, k);
  },
  'delivery.timeout.ms': (s, v, w, k) => {
    s.deliveryTimeoutMs = positive(v, w, k);
  },
  'transactional.id': (s, v, w, k) => {
    if (v === '') throw new UsageError(`${w}: ${k} must not be empty`);
    s.transactionalId = v;
  },
  'transaction.timeout.ms': (s, v, w, k) => {
    s.transactionTimeoutMs = positive(v, w, k);
  },
  'max.block.ms': (s, v, w, k) => {
    s.maxBlockMs = positive(v, w, k);
  },
  'key.serializer': textClass,
  'value.serializer': textClass,
};

const KEYS: Record<ClientRole, Record<string, Apply>> = {
  admin: COMMON,
  consumer: { ...COMMON, ...CONSUMER },
  producer: { ...COMMON, ...PRODUCER },
};

/** acks as Kafka spells it (all, -1, 0, 1); `what` names where it came from for the error. */
export function parseAcks(value: string, what: string): 0 | 1 | -1 {
  const v = value.trim().toLowerCase();
  if (v === 'all' || v === '-1') return -1;
  if (v === '0') return 0;
  if (v === '1') return 1;
  throw new UsageError(`${what} must be all, -1, 0 or 1, not "${value}"`);
}

/** Applies entries in order (later wins); a key this role does not act on is an error naming its place. */
export function clientSettings(role: ClientRole, entries: PropertyEntry[]): ClientSettings {
  const keys = KEYS[role];
  const s: ClientSettings = {};
  for (const e of entries) {
    const apply = Object.hasOwn(keys, e.key) ? keys[e.key] : undefined;
    if (!apply) {
      const other = (['admin', 'producer', 'consumer'] as const).find((r) => Object.hasOwn(KEYS[r], e.key));
      throw new UsageError(
        other
          ? `${e.where}: ${e.key} is a ${other} property; this command runs ${role === 'admin' ? 'an' : 'a'} ${role}`
          : `${e.where}: unknown ${role} property "${e.key}" (kafkalab acts on: ${Object.keys(keys).sort().join(', ')})`,
      );
    }
    apply(s, e.value, e.where, e.key);
  }
  if (role === 'consumer') checkGroupProtocolConfigs(s, entries);
  if (s.securityEntries) {
    s.security = clientSecurity(s.securityEntries);
    delete s.securityEntries;
  }
  return s;
}

/**
 * ConsumerConfig.checkUnsupportedConfigsPostProcess (Kafka 4.1): with group.protocol=consumer the
 * broker owns the session and the heartbeat interval, so setting them is an error, as setting
 * group.remote.assignor is with the classic protocol; Java's words, naming where the key came from.
 */
function checkGroupProtocolConfigs(s: ClientSettings, entries: PropertyEntry[]): void {
  const protocol = s.groupProtocol ?? 'classic';
  const refused =
    // In Java's list order (partition.assignment.strategy is not a key kafkalab takes).
    protocol === 'consumer' ? ['heartbeat.interval.ms', 'session.timeout.ms'] : ['group.remote.assignor'];
  const set = entries.filter((e) => refused.includes(e.key) && e.value.trim() !== '');
  if (set.length === 0) return;
  const keys = refused.filter((k) => set.some((e) => e.key === k));
  throw new UsageError(
    `${set[0]!.where}: ${keys.join(',')} cannot be set when group.protocol=${protocol.toUpperCase()}`,
  );
}

/** Reads `--command-config FILE` (none: no entries); an unreadable file is a UsageError naming it. */
export function readCommandConfig(file: string | undefined): PropertyEntry[] {
  if (file === undefined) return [];
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read --command-config ${file}: ${(err as Error).message}`);
  }
  return parseProperties(text, file);
}

/** `k=v` flags (--consumer-property and the like) as entries named by the flag. */
export function flagEntries(flag: string, values: Record<string, string> | undefined): PropertyEntry[] {
  return Object.entries(values ?? {}).map(([key, value]) => ({
    key,
    value,
    where: `${flag} ${key}=${value}`,
  }));
}

export const DEFAULT_BOOTSTRAP = 'localhost:9092';

/**
 * The settings for a command: the file's, then the flags' (which win), and the bootstrap servers from
 * --bootstrap-server, else bootstrap.servers, else localhost:9092.
 */
export function resolveClient(
  role: ClientRole,
  o: { bootstrapServer?: string; commandConfig?: string },
  flags: PropertyEntry[] = [],
): ClientSettings & { bootstrap: string } {
  const s = clientSettings(role, [...readCommandConfig(o.commandConfig), ...flags]);
  return { ...s, bootstrap: o.bootstrapServer ?? s.bootstrap ?? DEFAULT_BOOTSTRAP };
}

/** The cluster-level part of the settings, as Admin / GroupAdmin / Cluster options take them. */
export function clusterOptions(s: ClientSettings & { bootstrap: string }, defaultClientId?: string) {
  return {
    bootstrap: s.bootstrap,
    clientId: s.clientId ?? defaultClientId,
    requestTimeoutMs: s.requestTimeoutMs,
    retry: { retries: 3, ...s.retry },
    security: s.security,
  };
}
