/**
 * DescribeConfigs: v0-4
 *
 * Behaviour:
 * - TOPIC (2): every topic config, overrides given at creation marked DYNAMIC_TOPIC_CONFIG, the rest
 *   DEFAULT_CONFIG with Kafka 4's defaults; unknown topic → UNKNOWN_TOPIC_OR_PARTITION (3).
 * - BROKER (4): the settings the emulator has, under Kafka's names, as STATIC_BROKER_CONFIG. The
 *   name must be this node's id (or '' for the cluster default), else INVALID_REQUEST (42).
 * - Other resource types (broker logger, client metrics, group) → INVALID_REQUEST.
 * - configurationKeys (non-null) filters the list; includeSynonyms adds the entry itself as its
 *   only synonym; documentation is never sent (null).
 *
 * Version notes:
 * - v0 has isDefault instead of configSource; v1 adds synonyms; v3 configType and documentation.
 */
import { DescribeConfigs } from '../../protocol/messages/32-describe-configs.js';
import { declaredVersions, defineHandler, type ResponseOf } from '../handler.js';
import {
  brokerConfigEntries,
  type ConfigEntry,
  ConfigSource,
  ResourceType,
  topicConfigEntries,
} from '../state/configs.js';

type Result = ResponseOf<typeof DescribeConfigs>['results'] extends (infer R)[] | undefined ? R : never;

const UNKNOWN_TOPIC_OR_PARTITION = 3;
const INVALID_REQUEST = 42;

export default defineHandler({
  api: DescribeConfigs,
  versions: declaredVersions(DescribeConfigs),
  handle(request, ctx) {
    const { cluster } = ctx;
    const results: Result[] = [];
    for (const r of request.resources) {
      const base = { resourceType: r.resourceType, resourceName: r.resourceName };
      let entries: ConfigEntry[];
      if (r.resourceType === ResourceType.TOPIC) {
        const topic = cluster.topics.get(r.resourceName);
        if (!topic) {
          results.push({
            ...base,
            errorCode: UNKNOWN_TOPIC_OR_PARTITION,
            errorMessage: `Topic ${r.resourceName} does not exist.`,
            configs: [],
          });
          continue;
        }
        entries = topicConfigEntries(topic, cluster.config);
      } else if (
        r.resourceType === ResourceType.BROKER &&
        (r.resourceName === '' || r.resourceName === String(cluster.broker.nodeId))
      ) {
        entries = brokerConfigEntries(cluster.config, cluster.broker.port);
      } else {
        results.push({
          ...base,
          errorCode: INVALID_REQUEST,
          errorMessage: `Unexpected resource type ${r.resourceType} or name ${r.resourceName}`,
          configs: [],
        });
        continue;
      }
      if (r.configurationKeys !== null) {
        const keys = new Set(r.configurationKeys);
        entries = entries.filter((e) => keys.has(e.name));
      }
      results.push({
        ...base,
        errorCode: 0,
        errorMessage: null,
        configs: entries.map((e) => ({
          name: e.name,
          value: e.value,
          readOnly: e.readOnly,
          isDefault: ctx.version === 0 && e.source === ConfigSource.DEFAULT_CONFIG,
          configSource: e.source,
          isSensitive: e.isSensitive,
          synonyms: request.includeSynonyms ? [{ name: e.name, value: e.value, source: e.source }] : [],
          configType: e.type,
          documentation: null,
        })),
      });
    }
    return { throttleTimeMs: 0, results };
  },
});
