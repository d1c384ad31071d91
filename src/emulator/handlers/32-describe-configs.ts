/**
 * DescribeConfigs: v0-4
 *
 * Behaviour (ConfigHelper in Kafka 4.1):
 * - TOPIC (2): every topic config, its value the one in force; source DYNAMIC_TOPIC_CONFIG for an
 *   override, else where it is inherited from (this broker's dynamic config, the cluster-wide
 *   dynamic default, a static setting) or DEFAULT_CONFIG; unknown topic → UNKNOWN_TOPIC_OR_PARTITION
 *   (3), an illegal name → INVALID_TOPIC_EXCEPTION (17).
 * - BROKER (4) named by this node's id: every broker config the emulator knows, plus any dynamic one
 *   set; '' (the cluster default): only the dynamic defaults. readOnly unless Kafka can change it at
 *   run time; a name Kafka does not define is described as sensitive with no value and type UNKNOWN.
 *   Another id → INVALID_REQUEST (42), as a non-numeric name.
 * - Other resource types (broker logger, client metrics, group) → INVALID_REQUEST.
 * - configurationKeys filters the list (null or empty: all); includeSynonyms sends each entry's
 *   synonyms in Kafka's order (ConfigHelper.configSynonyms); includeDocumentation our short docs.
 * - errorMessage is '' on success and for an unknown topic, as Kafka 4.1.1 answers.
 *
 * Version notes:
 * - v0 has isDefault instead of configSource; v1 adds synonyms; v3 configType and documentation.
 */
import { DescribeConfigs } from '../../protocol/messages/32-describe-configs.js';
import { declaredVersions, defineHandler, type ResponseOf } from '../handler.js';
import { configsRefusal } from '../security/authorize.js';
import {
  brokerConfigEntries,
  type ConfigEntry,
  ConfigErrors,
  ConfigSource,
  ResourceType,
  topicConfigEntries,
} from '../state/configs.js';
import { MAX_TOPIC_NAME_LENGTH, TopicErrors } from '../state/topics.js';

/** Topic.validate's messages (DescribeConfigs checks the name before looking the topic up). */
function illegalTopicName(name: string): string | undefined {
  if (name.length === 0) return "Topic name is illegal, it can't be empty";
  if (name === '.' || name === '..') return 'Topic name cannot be "." or ".."';
  if (name.length > MAX_TOPIC_NAME_LENGTH)
    return `Topic name is illegal, it can't be longer than ${MAX_TOPIC_NAME_LENGTH} characters, topic name: ${name}`;
  if (!/^[a-zA-Z0-9._-]+$/.test(name))
    return `Topic name is invalid: '${name}' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'`;
  return undefined;
}

type Result = ResponseOf<typeof DescribeConfigs>['results'] extends (infer R)[] | undefined ? R : never;

export default defineHandler({
  api: DescribeConfigs,
  versions: declaredVersions(DescribeConfigs),
  handle(request, ctx) {
    const { cluster } = ctx;
    const results: Result[] = [];
    for (const r of request.resources) {
      const base = { resourceType: r.resourceType, resourceName: r.resourceName };
      const fail = (errorCode: number, errorMessage: string) =>
        results.push({ ...base, errorCode, errorMessage, configs: [] });
      // ACLs (KafkaApis.handleDescribeConfigsRequest): DESCRIBE_CONFIGS on the topic, or on the
      // cluster for a broker; Kafka lists the refused resources after the others.
      const refused = configsRefusal(ctx, r.resourceType, r.resourceName, 'DESCRIBE_CONFIGS');
      if (refused) {
        fail(refused.errorCode, refused.errorMessage);
        continue;
      }
      let entries: ConfigEntry[];
      if (r.resourceType === ResourceType.TOPIC) {
        const illegal = illegalTopicName(r.resourceName);
        if (illegal) {
          fail(TopicErrors.INVALID_TOPIC_EXCEPTION, illegal);
          continue;
        }
        const topic = cluster.topics.get(r.resourceName);
        if (!topic) {
          fail(ConfigErrors.UNKNOWN_TOPIC_OR_PARTITION, '');
          continue;
        }
        entries = topicConfigEntries(topic, cluster);
      } else if (r.resourceType === ResourceType.BROKER) {
        if (r.resourceName === '') entries = brokerConfigEntries(cluster, false, ctx.broker);
        else if (!/^-?\d+$/.test(r.resourceName)) {
          fail(ConfigErrors.INVALID_REQUEST, `Broker id must be an integer, but it is: ${r.resourceName}`);
          continue;
        } else if (Number(r.resourceName) === ctx.broker.nodeId)
          entries = brokerConfigEntries(cluster, true, ctx.broker);
        else {
          // A broker describes only itself: the admin client sends each broker resource to its node.
          fail(
            ConfigErrors.INVALID_REQUEST,
            `Unexpected broker id, expected ${ctx.broker.nodeId} or empty string, but received ${r.resourceName}`,
          );
          continue;
        }
      } else {
        fail(
          ConfigErrors.INVALID_REQUEST,
          `The kafkalab emulator does not describe resource type ${r.resourceType}`,
        );
        continue;
      }
      if (r.configurationKeys !== null && r.configurationKeys.length > 0) {
        const keys = new Set(r.configurationKeys);
        entries = entries.filter((e) => keys.has(e.name));
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      results.push({
        ...base,
        errorCode: 0,
        errorMessage: '',
        configs: entries.map((e) => ({
          name: e.name,
          value: e.value,
          readOnly: e.readOnly,
          isDefault: ctx.version === 0 && e.source === ConfigSource.DEFAULT_CONFIG,
          configSource: e.source,
          isSensitive: e.isSensitive,
          synonyms: request.includeSynonyms ? e.synonyms : [],
          configType: e.type,
          documentation: request.includeDocumentation ? e.documentation : null,
        })),
      });
    }
    return { throttleTimeMs: 0, results };
  },
});
