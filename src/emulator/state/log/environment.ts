/**
 * A partition log's environment inside a cluster: the cluster's clock and the topic's configs in
 * force (topic override → broker dynamic → cluster default → static → Kafka's default, configs.ts).
 *
 * Resolving a dozen configs through those layers costs ~40 µs, too much for every append: the result
 * is kept until a config changes anywhere (DynamicConfigs.generation).
 */
import type { Cluster } from '../../cluster.js';
import { dynamicConfigsOf, topicConfigValue } from '../configs.js';
import type { Topic } from '../topics.js';
import { type LogConfig, type LogEnvironment, logConfigFrom } from './log-config.js';

export function logEnvironment(cluster: Cluster, topic: Topic): LogEnvironment {
  let cached: LogConfig | undefined;
  let generation = -1;
  return {
    now: () => cluster.now(),
    config: (): LogConfig => {
      const g = dynamicConfigsOf(cluster).generation;
      if (!cached || g !== generation) {
        cached = logConfigFrom((name) => topicConfigValue(topic, name, cluster));
        generation = g;
      }
      return cached;
    },
  };
}
