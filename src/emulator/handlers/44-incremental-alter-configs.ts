/**
 * IncrementalAlterConfigs: v0-1
 *
 * Behaviour:
 * - TOPIC (2) and BROKER (4: this node's id, or '' for the cluster-wide default): SET, DELETE, and
 *   APPEND / SUBTRACT on LIST configs (KIP-339), validated as Kafka 4.1 validates them
 *   (state/configs.ts): unknown topic config or bad value → INVALID_CONFIG (40) with Kafka's
 *   message; a bad broker value, a non-dynamic broker config, a duplicate name, a null value, a
 *   resource named twice → INVALID_REQUEST (42); a missing topic → UNKNOWN_TOPIC_OR_PARTITION (3);
 *   an op code Kafka does not know → UNKNOWN_SERVER_ERROR (-1) with no message, as Kafka answers.
 * - One answer per resource; a resource that fails changes nothing; validateOnly changes nothing.
 * - BROKER_LOGGER, CLIENT_METRICS and GROUP resources → INVALID_REQUEST (not emulated).
 *
 * Version notes:
 * - v1 is the flexible form of v0.
 */
import { IncrementalAlterConfigs } from '../../protocol/messages/44-incremental-alter-configs.js';
import { declaredVersions, defineHandler } from '../handler.js';
import { alterConfigsAuthorized } from '../security/authorize.js';
import { alterConfigs } from '../state/configs.js';

export default defineHandler({
  api: IncrementalAlterConfigs,
  versions: declaredVersions(IncrementalAlterConfigs),
  handle(request, ctx) {
    // ACLs (KafkaApis / ControllerApis authorizeAlterResource): ALTER_CONFIGS on the topic, or on
    // the cluster for a broker.
    const outcomes = alterConfigsAuthorized(ctx, request.resources, (allowed) =>
      alterConfigs(
        ctx.cluster,
        allowed.map((r) => ({
          resourceType: r.resourceType,
          resourceName: r.resourceName,
          configs: r.configs.map((c) => ({ name: c.name, op: c.configOperation, value: c.value ?? null })),
        })),
        { replace: false, validateOnly: request.validateOnly, broker: ctx.broker },
      ),
    );
    request.resources.forEach((r, i) => {
      if (outcomes[i].errorCode === 0 && !request.validateOnly)
        ctx.log(`altered configs of ${r.resourceType === 2 ? 'topic' : 'broker'} '${r.resourceName}'`);
    });
    return {
      throttleTimeMs: 0,
      responses: request.resources.map((r, i) => ({
        ...outcomes[i],
        resourceType: r.resourceType,
        resourceName: r.resourceName,
      })),
    };
  },
});
