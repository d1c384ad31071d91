/**
 * The log defaults a broker reads from server.properties (kafka-server-start --override
 * log.retention.hours=1): every broker name a topic config falls back to, with its coarser spellings
 * (log.retention.minutes/hours, log.roll.hours, log.roll.jitter.hours, log.flush.scheduler.interval.ms).
 * Given at start, they are the STATIC_BROKER_CONFIG layer of DescribeConfigs and what a topic without
 * its own value inherits (configs.ts), so retention and rolling act on them as Kafka's LogManager does
 * on KafkaConfig.extractLogConfigMap. Checked with Kafka's type and range (ConfigDef.parse at start).
 */
import {
  BROKER_CONFIG_BY_NAME,
  brokerSynonyms,
  parseConfigValue,
  TOPIC_CONFIGS,
} from './config-definitions.js';

/** Every broker-level log default by its server.properties name. */
export const STATIC_LOG_CONFIG_NAMES: ReadonlySet<string> = new Set(
  TOPIC_CONFIGS.flatMap((t) => (t.brokerSynonym ? brokerSynonyms(t.brokerSynonym) : [])).filter((n) =>
    BROKER_CONFIG_BY_NAME.has(n),
  ),
);

/** A static log default as Kafka reads it: the normalised value, or Kafka's message for a bad one. */
export function parseStaticLogConfig(
  name: string,
  raw: string,
): { ok: true; value: string } | { ok: false; message: string } {
  const def = BROKER_CONFIG_BY_NAME.get(name);
  if (def === undefined || !STATIC_LOG_CONFIG_NAMES.has(name))
    return { ok: false, message: `${name} is not a log default of a topic config` };
  return parseConfigValue(def, raw);
}
