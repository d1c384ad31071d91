/**
 * Bad input closes the connection without an answer: a size prefix over socket.request.max.bytes
 * (NetworkReceive.java:94, SocketServerTest.tooBigRequestIsRejected), an unknown API key
 * (RequestHeader.java:138), a known API at a version the broker does not serve (SocketServer.scala
 * "not enabled"). ApiVersions is the one exception (see version-negotiation).
 */
import assert from 'node:assert/strict';
import type { Scenario } from '../runner/types.js';

/** A request header v1 (int16 key, int16 version, int32 correlation id, nullable string client id). */
function frame(apiKey: number, version: number, extra: Buffer = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(10);
  header.writeInt16BE(apiKey, 0);
  header.writeInt16BE(version, 2);
  header.writeInt32BE(1, 4);
  header.writeInt16BE(-1, 8);
  const body = Buffer.concat([header, extra]);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
}

export const badInput: Scenario = {
  name: 'bad-input',
  source:
    'NetworkReceive.java (max size), RequestHeader.java (unknown key), SocketServer.scala (version not enabled)',
  description: 'oversize frame, unknown API key and an unserved version each close the connection unanswered',
  async run(ctx) {
    const cases: [string, Buffer][] = [
      // 104857601 = socket.request.max.bytes + 1; only the size prefix and a few bytes are sent.
      ['oversize-frame', Buffer.from([0x06, 0x40, 0x00, 0x01, 0, 3, 0, 0])],
      ['negative-size', Buffer.from([0xff, 0xff, 0xff, 0xf0, 0, 0])],
      ['unknown-api-key', frame(32_000, 0)],
      ['metadata-v99', frame(3, 99, Buffer.from([0xff, 0xff, 0xff, 0xff]))],
      // Kafka 4.0 removed Fetch v0-3 (KIP-896): a known API below its lowest version.
      ['fetch-v3-below-min', frame(1, 3, Buffer.alloc(64))],
    ];
    for (const [label, bytes] of cases) {
      const outcome = await ctx.raw(bytes, { waitMs: 5000 });
      assert.equal(outcome.kind, 'closed', `${label}: expected the connection closed, got ${outcome.kind}`);
      ctx.checkpoint(label, outcome.kind);
    }
  },
};
