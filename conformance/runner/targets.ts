/**
 * Starting and stopping the brokers the suite runs against: the emulator in-process, a real Apache
 * Kafka through test/support/real-kafka.ts (kafka.sh), or a broker someone else runs.
 *
 * Both started targets run with auto.create.topics.enable=false: the unknown-topic scenario needs it
 * (a Metadata request that allows auto-creation must still answer UNKNOWN_TOPIC_OR_PARTITION), and
 * every other scenario creates its topics explicitly, so nothing else depends on it.
 */
import { startEmulator } from '../../src/emulator/index.js';
import { startRealKafka } from '../../test/support/real-kafka.js';
import type { Target } from './types.js';

export interface StartedTarget {
  target: Target;
  stop(): Promise<void>;
}

export async function startEmulatorTarget(): Promise<StartedTarget> {
  // offsets.topic.num.partitions as kafka.sh's server.properties sets it (Kafka's default, 50, is the
  // emulator's too), so that both targets' __consumer_offsets compare.
  const emulator = await startEmulator({ port: 0, autoCreateTopics: false, offsetsTopicNumPartitions: 1 });
  return {
    target: {
      name: 'emulator',
      bootstrap: emulator.bootstrap,
      description:
        'kafkalab emulator (in-process, port 0, autoCreateTopics false, offsets.topic.num.partitions 1)',
      autoCreateOff: true,
    },
    stop: () => emulator.stop(),
  };
}

export async function startRealTarget(options: { bootstrapServer?: string } = {}): Promise<StartedTarget> {
  if (options.bootstrapServer) {
    return {
      target: {
        name: 'real',
        bootstrap: options.bootstrapServer,
        description: `external broker at ${options.bootstrapServer} (its auto.create.topics.enable must be false for unknown-topic)`,
        autoCreateOff: true,
      },
      stop: async () => {},
    };
  }
  const kafka = await startRealKafka({ overrides: { 'auto.create.topics.enable': 'false' } });
  return {
    target: {
      name: 'real',
      bootstrap: kafka.bootstrap,
      description: `Apache Kafka 4.1.1 via kafka.sh (started in ${Math.round(kafka.startMs)} ms, auto.create.topics.enable=false)`,
      autoCreateOff: true,
    },
    stop: () => kafka.stop(),
  };
}
