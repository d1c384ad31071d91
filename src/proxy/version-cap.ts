/**
 * Opt-in (`--cap-versions`): lower the versions a broker offers in its ApiVersions answer to those
 * kafkalab declares, so that the client negotiates only versions the proxy can decode.
 *
 * Why: a client newer than our declarations (Kafka 4.1's tools send Metadata v13) would otherwise
 * send frames the proxy cannot decode; for Metadata that also means no address rewrite, and the
 * client's next connections go straight to the brokers, around the proxy. Capping is the one change
 * beyond addresses the proxy can make, and it is off unless asked for: it changes which versions the
 * client uses. APIs kafkalab does not declare at all are left as offered (their frames are forwarded
 * undecoded; none of them carries broker addresses the proxy would rewrite).
 */
import { apiByKey } from '../protocol/messages/index.js';
import { parseVersions } from '../protocol/schema/versions.js';
import type { RewriteResult } from './address-rewrite.js';

export function capApiVersions(body: any): RewriteResult {
  const result: RewriteResult = { changed: 0, notes: [] };
  if (!Array.isArray(body?.apiKeys)) return result;
  for (const k of body.apiKeys) {
    const api = apiByKey(k.apiKey);
    if (!api) continue;
    const ours = parseVersions(api.request.validVersions).high;
    if (k.maxVersion > ours && k.minVersion <= ours) {
      result.notes.push(`capped ${api.name} v${k.maxVersion} → v${ours}`);
      result.changed++;
      k.maxVersion = ours;
    }
  }
  return result;
}
