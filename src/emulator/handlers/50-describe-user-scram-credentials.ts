/**
 * DescribeUserScramCredentials: v0
 *
 * Behaviour (KIP-554; ScramImage.describe, as a KRaft broker answers from its metadata image):
 * - Per user asked for (every user with a credential when `users` is null or empty): the mechanisms
 *   (1 SCRAM-SHA-256, 2 SCRAM-SHA-512) and iteration counts, never salt or keys.
 * - A user named twice: DUPLICATE_RESOURCE (92); one without credentials: RESOURCE_NOT_FOUND (91);
 *   each with Kafka's message naming the user. Top-level errorCode 0.
 * - Users come in Kafka's HashMap order (security/scram-control.ts).
 *
 * Version notes: v0 is flexible.
 */
import { DescribeUserScramCredentials } from '../../protocol/messages/50-describe-user-scram-credentials.js';
import { declaredVersions, defineHandler } from '../handler.js';
import { describeScramCredentials } from '../security/scram-control.js';
import { scramCredentialsOf } from '../security/scram-credentials.js';

export default defineHandler({
  api: DescribeUserScramCredentials,
  versions: declaredVersions(DescribeUserScramCredentials),
  handle(request, ctx) {
    return {
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      results: describeScramCredentials(scramCredentialsOf(ctx.cluster), request.users),
    };
  },
});
