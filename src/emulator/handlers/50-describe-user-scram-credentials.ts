/**
 * DescribeUserScramCredentials: v0
 *
 * Behaviour (KIP-554; ScramImage.describe, as a KRaft broker answers from its metadata image):
 * - Per user asked for (every user with a credential when `users` is null or empty): the mechanisms
 *   (1 SCRAM-SHA-256, 2 SCRAM-SHA-512) and iteration counts, never salt or keys.
 * - A user named twice: DUPLICATE_RESOURCE (92); one without credentials: RESOURCE_NOT_FOUND (91);
 *   each with Kafka's message naming the user. Top-level errorCode 0, errorMessage ''.
 * - DESCRIBE on the cluster, or CLUSTER_AUTHORIZATION_FAILED (31) 'Cluster authorization failed.'.
 * - Users come in Kafka's HashMap order (security/scram-control.ts).
 *
 * Version notes: v0 is flexible.
 */
import { DescribeUserScramCredentials } from '../../protocol/messages/50-describe-user-scram-credentials.js';
import { declaredVersions, defineHandler } from '../handler.js';
import { authorizeCluster, CLUSTER_AUTHORIZATION_FAILED } from '../security/authorize.js';
import { describeScramCredentials } from '../security/scram-control.js';
import { scramCredentialsOf } from '../security/scram-credentials.js';

export default defineHandler({
  api: DescribeUserScramCredentials,
  versions: declaredVersions(DescribeUserScramCredentials),
  handle(request, ctx) {
    if (!authorizeCluster(ctx, 'DESCRIBE'))
      return {
        throttleTimeMs: 0,
        errorCode: CLUSTER_AUTHORIZATION_FAILED,
        errorMessage: 'Cluster authorization failed.',
        results: [],
      };
    return {
      throttleTimeMs: 0,
      errorCode: 0,
      // The schema's default, which Kafka 4.1.1 leaves in place on success (not null).
      errorMessage: '',
      results: describeScramCredentials(scramCredentialsOf(ctx.cluster), request.users),
    };
  },
});
