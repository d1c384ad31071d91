/**
 * ListConfigResources: v0-1
 *
 * Behaviour (KIP-1142, as Kafka 4.1.1 answers):
 * - v1: the resources that can carry configs, of the asked types (empty: every type): this node as
 *   BROKER_LOGGER (8) and BROKER (4), then every topic (2). Client-metrics subscriptions (16) and
 *   groups (32) are not emulated, so none are listed. A type Kafka does not list configs for →
 *   UNSUPPORTED_VERSION (35), as Kafka answers.
 * - DESCRIBE_CONFIGS on the cluster, or CLUSTER_AUTHORIZATION_FAILED (31) and no resources.
 * - v0 (ListClientMetricsResources): client-metrics subscriptions only — none here.
 *
 * Version notes:
 * - v0 is the old ListClientMetricsResources; v1 adds resourceTypes and each resource's type.
 */
import { ListConfigResources } from '../../protocol/messages/74-list-config-resources.js';
import { declaredVersions, defineHandler } from '../handler.js';
import { authorizeCluster, CLUSTER_AUTHORIZATION_FAILED } from '../security/authorize.js';
import { ResourceType } from '../state/configs.js';

const UNSUPPORTED_VERSION = 35;
const LISTABLE: ReadonlySet<number> = new Set([
  ResourceType.TOPIC,
  ResourceType.BROKER,
  ResourceType.BROKER_LOGGER,
  ResourceType.CLIENT_METRICS,
  ResourceType.GROUP,
]);

export default defineHandler({
  api: ListConfigResources,
  versions: declaredVersions(ListConfigResources),
  handle(request, ctx) {
    // KafkaApis.handleListConfigResources: DESCRIBE_CONFIGS on the cluster first, for every version.
    if (!authorizeCluster(ctx, 'DESCRIBE_CONFIGS'))
      return { throttleTimeMs: 0, errorCode: CLUSTER_AUTHORIZATION_FAILED, configResources: [] };
    if (ctx.version === 0) return { throttleTimeMs: 0, errorCode: 0, configResources: [] };
    const asked = new Set(request.resourceTypes);
    if ([...asked].some((t) => !LISTABLE.has(t)))
      return { throttleTimeMs: 0, errorCode: UNSUPPORTED_VERSION, configResources: [] };
    const wants = (t: number) => asked.size === 0 || asked.has(t);
    // Each broker lists itself as the BROKER / BROKER_LOGGER resource, as Kafka's brokers do.
    const node = String(ctx.broker.nodeId);
    const out: { resourceName: string; resourceType: number }[] = [];
    if (wants(ResourceType.BROKER_LOGGER))
      out.push({ resourceName: node, resourceType: ResourceType.BROKER_LOGGER });
    if (wants(ResourceType.BROKER)) out.push({ resourceName: node, resourceType: ResourceType.BROKER });
    if (wants(ResourceType.TOPIC))
      for (const name of ctx.cluster.topics
        .list()
        .map((t) => t.name)
        .sort())
        out.push({ resourceName: name, resourceType: ResourceType.TOPIC });
    return { throttleTimeMs: 0, errorCode: 0, configResources: out };
  },
});
