/**
 * Version negotiation (KIP-35 ApiVersions; KIP-511 for v3+ and the too-new answer). Each ApiVersions
 * version 0..4 on its own connection, and a version the broker cannot know (127) as raw bytes: the broker
 * answers UNSUPPORTED_VERSION with a v0 body listing the ApiVersions range it serves
 * (K:clients/.../requests/ApiVersionsRequest.getErrorResponse, RequestContext.java:110-116).
 */
import assert from 'node:assert/strict';
import { decodeResponseFrame } from '../../src/protocol/frame.js';
import { ApiVersions } from '../../src/protocol/messages/18-api-versions.js';
import type { Scenario } from '../runner/types.js';
import { errorName } from './support.js';

/** ApiVersions v127 request, header v2 (flexible), correlation id 7, client id "conformance", empty tags. */
function tooNewApiVersionsFrame(): Buffer {
  const clientId = Buffer.from('conformance');
  const body = Buffer.concat([
    Buffer.from([0x00, 0x12, 0x00, 0x7f, 0, 0, 0, 7]),
    Buffer.from([0, clientId.length]),
    clientId,
    Buffer.from([0]), // header tagged fields
    Buffer.from([1, 1, 0]), // compact strings "" "" and no tagged fields: the broker must not read them
  ]);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
}

export const versionNegotiation: Scenario = {
  name: 'version-negotiation',
  source: 'KIP-35, KIP-511; RequestContext.java (too-new ApiVersions → v0 body)',
  description:
    'ApiVersions v0..v4 each answer NONE with the served ranges; v127 → UNSUPPORTED_VERSION in a v0 body',
  async run(ctx) {
    for (let version = 0; version <= 4; version++) {
      const conn = await ctx.connection();
      const body =
        version >= 3 ? { clientSoftwareName: 'kafkalab-conformance', clientSoftwareVersion: '0.1.0' } : {};
      const res = await ctx.exchange(`api-versions-v${version}`, ApiVersions, body as never, {
        version,
        connection: conn,
      });
      assert.equal(errorName(res.errorCode), 'NONE', `ApiVersions v${version}`);
      const own = res.apiKeys.find((k) => k.apiKey === ApiVersions.apiKey);
      assert.ok(
        own && own.minVersion === 0 && own.maxVersion >= 4,
        `ApiVersions v${version} lists ApiVersions 0-4+`,
      );
    }
    const outcome = await ctx.raw(tooNewApiVersionsFrame());
    assert.equal(outcome.kind, 'response', 'a too-new ApiVersions gets an answer, not a close');
    if (outcome.kind !== 'response') return;
    // Response header v0 (correlation id only), whatever version was asked: KIP-511.
    const frame = Buffer.concat([Buffer.alloc(4), outcome.frame]);
    frame.writeInt32BE(outcome.frame.length);
    const decoded = decodeResponseFrame(frame, ApiVersions, 0);
    assert.equal(decoded.header.correlationId, 7);
    assert.equal(errorName(decoded.body.errorCode), 'UNSUPPORTED_VERSION');
    assert.deepEqual(
      decoded.body.apiKeys.map((k) => k.apiKey),
      [ApiVersions.apiKey],
      'the error body lists only ApiVersions itself',
    );
    ctx.checkpoint('api-versions-v127-raw', decoded.body);
  },
};
