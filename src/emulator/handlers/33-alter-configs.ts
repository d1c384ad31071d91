/**
 * AlterConfigs: v0-2
 *
 * Behaviour:
 * - The given entries become the whole dynamic config of the TOPIC or BROKER resource (KIP-133):
 *   anything not given is reset to what it inherits. Validation and errors as IncrementalAlterConfigs
 *   (state/configs.ts): INVALID_CONFIG (40) for a topic's unknown name or bad value, INVALID_REQUEST
 *   (42) for a broker's, for a null value, a duplicate name or a resource named twice,
 *   UNKNOWN_TOPIC_OR_PARTITION (3) for a missing topic. validateOnly changes nothing.
 *
 * Version notes:
 * - v1 only changes throttling (KIP-219); v2 is flexible.
 */
import { AlterConfigs } from '../../protocol/messages/33-alter-configs.js';
import { declaredVersions, defineHandler } from '../handler.js';
import { alterConfigsAuthorized } from '../security/authorize.js';
import { AlterOp, alterConfigs } from '../state/configs.js';

export default defineHandler({
  api: AlterConfigs,
  versions: declaredVersions(AlterConfigs),
  handle(request, ctx) {
    // ACLs (KafkaApis / ControllerApis authorizeAlterResource): ALTER_CONFIGS on the topic, or on
    // the cluster for a broker.
    const outcomes = alterConfigsAuthorized(ctx, request.resources, (allowed) =>
      alterConfigs(
        ctx.cluster,
        allowed.map((r) => ({
          resourceType: r.resourceType,
          resourceName: r.resourceName,
          configs: r.configs.map((c) => ({ name: c.name, op: AlterOp.SET, value: c.value ?? null })),
        })),
        { replace: true, validateOnly: request.validateOnly, broker: ctx.broker },
      ),
    );
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
