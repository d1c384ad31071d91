/**
 * Bad input closes only the connection that sent it, without a response, as a Kafka broker does
 * (notes/broker-behaviour.md §7 rows 1-5, 7, 9; SocketServer.processChannelException), while another
 * client on the same emulator carries on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { encodeRequestFrame } from '../../src/protocol/frame.js';
import { Metadata } from '../../src/protocol/messages/03-metadata.js';
import { ApiVersions } from '../../src/protocol/messages/18-api-versions.js';
import { WireClient } from './support/wire-client.js';

let emulator: Emulator;
let good: WireClient;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, maxRequestBytes: 1024, topics: [{ name: 'ok', partitions: 1 }] });
  good = await WireClient.connect(emulator.port);
});

afterAll(async () => {
  good.close();
  await emulator.stop();
});

/** A request frame with an arbitrary key/version and body: size, key, version, correlation id, client id. */
function rawRequest(
  apiKey: number,
  apiVersion: number,
  body: Buffer = Buffer.alloc(0),
  correlationId = 7,
): Buffer {
  const header = Buffer.alloc(10);
  header.writeInt16BE(apiKey, 0);
  header.writeInt16BE(apiVersion, 2);
  header.writeInt32BE(correlationId, 4);
  header.writeInt16BE(-1, 8); // null client id
  const size = Buffer.alloc(4);
  size.writeInt32BE(header.length + body.length);
  return Buffer.concat([size, header, body]);
}

async function expectClosedWithoutResponse(bytes: Buffer): Promise<void> {
  const bad = await WireClient.connect(emulator.port);
  const received: Buffer[] = [];
  bad.socket.on('data', (d) => received.push(d));
  bad.writeRaw(bytes);
  await bad.closed;
  expect(Buffer.concat(received).length).toBe(0);
  // The well-behaved client is unaffected.
  const md = await good.request(Metadata, 12, { topics: null, allowAutoTopicCreation: false });
  expect(md.topics.map((t) => t.name)).toContain('ok');
}

describe('bad input closes that connection only', () => {
  it('unknown API key', () => expectClosedWithoutResponse(rawRequest(9999, 0)));
  it('a known key not served here (SaslHandshake: no SASL)', () =>
    expectClosedWithoutResponse(rawRequest(17, 1)));
  it('a version outside the served range', () => expectClosedWithoutResponse(rawRequest(3, 99)));
  it('Produce v2: below the record-format-v2 floor', () => expectClosedWithoutResponse(rawRequest(0, 2)));
  it('a body that does not decode (Metadata v12 truncated)', () =>
    expectClosedWithoutResponse(rawRequest(3, 12, Buffer.from([0x00, 0x05]))));
  it('trailing bytes after the body', () => {
    const frame = encodeRequestFrame({ api: Metadata, version: 1, correlationId: 1, body: { topics: null } });
    const padded = Buffer.concat([frame, Buffer.from([1, 2, 3])]);
    padded.writeInt32BE(padded.length - 4, 0);
    return expectClosedWithoutResponse(padded);
  });
  it('a frame over maxRequestBytes, before its bytes arrive', () => {
    const size = Buffer.alloc(4);
    size.writeInt32BE(1025);
    return expectClosedWithoutResponse(size);
  });
  it('a negative frame size', () => expectClosedWithoutResponse(Buffer.from([0xff, 0xff, 0xff, 0xfe])));
  it('a zero-length frame (no header)', () => expectClosedWithoutResponse(Buffer.from([0, 0, 0, 0])));
  it('random garbage', () => expectClosedWithoutResponse(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')));
});

describe('ApiVersions newer than served (KIP-511)', () => {
  it('answers UNSUPPORTED_VERSION in a v0 body and v0 header, listing only ApiVersions, and stays open', async () => {
    const c = await WireClient.connect(emulator.port);
    c.writeRaw(rawRequest(18, 0x7fff, Buffer.from([0x00, 0x01, 0x02]), 0x01020304));
    const frame = await c.nextFrame();
    // Expected bytes written by hand from ApiVersionsResponse v0 (errorCode int16, apiKeys int32-count
    // array of {apiKey, minVersion, maxVersion} int16s) behind response header v0 (correlation id only),
    // with the served range of ApiVersions: 0-4.
    expect(frame.toString('hex')).toBe(
      ['00000010', '01020304', '0023', '00000001', '0012', '0000', '0004'].join(''),
    );
    const v = await c.request(ApiVersions, 0, {});
    expect(v.errorCode).toBe(0);
    c.close();
  });

  it('advertises exactly the served APIs, with Produce from v3 and Fetch from v4', async () => {
    const v = await good.request(ApiVersions, 3, {
      clientSoftwareName: 'kafkalab-test',
      clientSoftwareVersion: '1.0',
    });
    expect(v.errorCode).toBe(0);
    const byKey = new Map(v.apiKeys.map((k) => [k.apiKey, k]));
    expect(byKey.get(0)?.minVersion).toBe(3);
    expect(byKey.get(1)?.minVersion).toBe(4);
    // SaslHandshake/SaslAuthenticate are listed on a PLAINTEXT listener too, as a real broker lists them
    // (they answer ILLEGAL_SASL_STATE there).
    expect(byKey.get(17)).toEqual({ apiKey: 17, minVersion: 0, maxVersion: 1 });
    expect(byKey.get(36)).toEqual({ apiKey: 36, minVersion: 0, maxVersion: 2 });
    expect(byKey.get(18)).toEqual({ apiKey: 18, minVersion: 0, maxVersion: 4 });
  });

  it('v3+ with an invalid client software name: INVALID_REQUEST, connection stays open', async () => {
    const v = await good.request(ApiVersions, 3, {
      clientSoftwareName: '-bad name',
      clientSoftwareVersion: '1',
    });
    expect(v.errorCode).toBe(42);
    expect(v.apiKeys).toEqual([]);
  });
});

describe('ordering', () => {
  it('answers pipelined requests in request order with their correlation ids', async () => {
    const c = await WireClient.connect(emulator.port);
    const ids = Array.from({ length: 20 }, (_, i) => c.send(Metadata, i % 13, { topics: [] }));
    const seen: number[] = [];
    for (let i = 0; i < ids.length; i++) seen.push((await c.nextFrame()).readInt32BE(4));
    expect(seen).toEqual(ids);
    c.close();
  });
});
