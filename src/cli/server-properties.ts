/**
 * `kafkalab emulator server.properties`: a broker's properties file, as kafka-server-start.sh takes
 * it. A learner's file is Kafka's own, so it holds settings a one-process emulator has no use for
 * (process.roles, controller.quorum.*, log.dirs, thread counts, replication factors of internal
 * topics): those are named in one line and left, as Kafka logs the configs "supplied but not used".
 * What the emulator acts on (the names --override takes) is applied, and `--override` wins over the
 * file, as with Kafka. Listeners named in controller.listener.names are KRaft's controller listeners,
 * which serve no client: the emulator does not open them.
 */
import { readFileSync } from 'node:fs';
import { isBrokerSetting } from '../emulator/broker-properties.js';
import { parseProperties } from './command-config.js';
import { UsageError } from './errors.js';

export interface ServerProperties {
  /** `name=value` for brokerOverrides, in file order. */
  overrides: string[];
  /** Names in the file the emulator does not act on, sorted. */
  unused: string[];
}

/** Listener names in `NAME://host:port` lists and `NAME:PROTOCOL` maps. */
const LISTENER_LISTS = new Set(['listeners', 'advertised.listeners']);
const LISTENER_MAP = 'listener.security.protocol.map';

export function readServerProperties(file: string): ServerProperties {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
  }
  return serverProperties(text, file);
}

export function serverProperties(text: string, file: string): ServerProperties {
  // Properties.load keeps the last value of a key.
  const values = new Map<string, string>();
  for (const e of parseProperties(text, file)) {
    values.delete(e.key);
    values.set(e.key, e.value);
  }
  const controllers = new Set(
    (values.get('controller.listener.names') ?? '')
      .split(',')
      .map((s) => s.trim().toUpperCase())
      .filter(Boolean),
  );
  const overrides: string[] = [];
  const unused: string[] = [];
  for (const [name, value] of values) {
    if (!isBrokerSetting(name)) {
      unused.push(name);
      continue;
    }
    const kept =
      LISTENER_LISTS.has(name) || name === LISTENER_MAP ? withoutListeners(value, controllers) : value;
    overrides.push(`${name}=${kept}`);
  }
  return { overrides, unused: unused.sort() };
}

/** The entries of a listener list or map whose listener name is not one of `names`. */
function withoutListeners(value: string, names: ReadonlySet<string>): string {
  if (names.size === 0) return value;
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((entry) => {
      const name = entry.split(':')[0]?.trim().toUpperCase() ?? '';
      return !names.has(name);
    })
    .join(',');
}
