// Frames and headers, against bytes worked out by hand from the protocol guide: int32 size, request
// header v0/v1/v2, response header v0/v1, and the two exceptions (KIP-511 ApiVersions responses use
// header v0 always; ControlledShutdown v0 requests use header v0).
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../src/protocol/errors.js';
import {
  decodeRequestFrame,
  decodeRequestHeader,
  decodeResponseFrame,
  encodeRequestFrame,
  encodeResponseFrame,
} from '../../src/protocol/frame.js';
import { requestHeaderVersion, responseHeaderVersion } from '../../src/protocol/headers.js';
import { ApiVersions, Heartbeat, Metadata } from '../../src/protocol/messages/index.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

function decodeError(fn: () => unknown): DecodeError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DecodeError) return err;
    throw err;
  }
  throw new Error('expected a DecodeError');
}

// Heartbeat v0 request: header v1 (apiKey 12, version 0, correlationId 5, clientId "ab"),
// body groupId "g", generationId 1, memberId "" — all classic STRING / INT32.
const heartbeatV0 = hex(`
  0000 0015
  000c 0000 0000 0005 0002 6162
  0001 67 0000 0001 0000`);

describe('header versions', () => {
  it('request: v2 for flexible bodies, v1 otherwise, v0 for ControlledShutdown v0 alone', () => {
    expect(requestHeaderVersion(3, 12, true)).toBe(2);
    expect(requestHeaderVersion(3, 8, false)).toBe(1);
    expect(requestHeaderVersion(7, 0, false)).toBe(0);
    expect(requestHeaderVersion(7, 1, false)).toBe(1);
    expect(requestHeaderVersion(7, 3, true)).toBe(2);
  });

  it('response: v1 for flexible bodies, v0 otherwise, and ApiVersions v0 always (KIP-511)', () => {
    expect(responseHeaderVersion(3, true)).toBe(1);
    expect(responseHeaderVersion(3, false)).toBe(0);
    expect(responseHeaderVersion(18, true)).toBe(0);
    expect(responseHeaderVersion(18, false)).toBe(0);
  });
});

describe('request frames', () => {
  it('encodes Heartbeat v0 with header v1 to the hand-worked bytes', () => {
    const frame = encodeRequestFrame({
      api: Heartbeat,
      version: 0,
      correlationId: 5,
      clientId: 'ab',
      body: { groupId: 'g', generationId: 1, memberId: '' },
    });
    expect(frame.toString('hex')).toBe(heartbeatV0.toString('hex'));
  });

  it('decodes it back, naming API, header version and body offset', () => {
    const d = decodeRequestFrame(heartbeatV0);
    expect(d.api).toBe(Heartbeat);
    expect(d.version).toBe(0);
    expect(d.headerVersion).toBe(1);
    expect(d.header).toEqual({ requestApiKey: 12, requestApiVersion: 0, correlationId: 5, clientId: 'ab' });
    expect(d.bodyOffset).toBe(16);
    expect(d.body).toEqual({ groupId: 'g', generationId: 1, memberId: '', groupInstanceId: null });
    expect(decodeRequestHeader(heartbeatV0).bodyOffset).toBe(16);
  });

  it('writes header v2 for a flexible version: classic int16 clientId, then a TAG_BUFFER', () => {
    const frame = encodeRequestFrame({
      api: ApiVersions,
      version: 3,
      correlationId: 1,
      clientId: null,
      body: {},
    });
    // size | 0012 0003 00000001 | ffff (null clientId, classic) | 00 header tags |
    // 01 (empty compact name) 01 (empty compact version) 00 body tags
    expect(frame.toString('hex')).toBe(
      '0000000e' + '0012' + '0003' + '00000001' + 'ffff' + '00' + '01' + '01' + '00',
    );
    expect(decodeRequestFrame(frame).headerVersion).toBe(2);
  });

  it('decodes without the size prefix when told so', () => {
    const d = decodeRequestFrame(heartbeatV0.subarray(4), { sizePrefixed: false });
    expect(d.body.groupId).toBe('g');
    expect(d.bodyOffset).toBe(12);
  });

  it('refuses an unknown API key, a version out of range, a wrong size and trailing bytes', () => {
    const unknownKey = Buffer.from(heartbeatV0);
    unknownKey.writeInt16BE(999, 4);
    expect(decodeError(() => decodeRequestFrame(unknownKey))).toMatchObject({
      offset: 4,
      path: 'header.requestApiKey',
    });

    const badVersion = Buffer.from(heartbeatV0);
    badVersion.writeInt16BE(99, 6);
    const e = decodeError(() => decodeRequestFrame(badVersion));
    expect(e).toMatchObject({ offset: 6, path: 'header.requestApiVersion' });
    expect(e.message).toBe('Heartbeat has no version 99 (valid: 0-4) at 0x6 (header.requestApiVersion)');

    const wrongSize = Buffer.from(heartbeatV0);
    wrongSize.writeInt32BE(0x17, 0);
    expect(decodeError(() => decodeRequestFrame(wrongSize)).message).toBe(
      'frame size 23 does not match the 21 bytes that follow at 0x0 (size)',
    );

    const negative = Buffer.from(heartbeatV0);
    negative.writeInt32BE(-5, 0);
    expect(decodeError(() => decodeRequestFrame(negative)).message).toMatch(/^frame size -5 is negative/);

    const trailing = Buffer.concat([heartbeatV0, hex('aa')]);
    trailing.writeInt32BE(trailing.length - 4, 0);
    expect(decodeError(() => decodeRequestFrame(trailing))).toMatchObject({ offset: 0x19 });
  });

  it('points a truncated body at the field that ran out', () => {
    const cut = Buffer.from(heartbeatV0.subarray(0, 0x15));
    cut.writeInt32BE(cut.length - 4, 0);
    // The body starts at 0x10; groupId takes 0x10..0x12; generationId needs 4 bytes at 0x13, 2 remain.
    const e = decodeError(() => decodeRequestFrame(cut));
    expect(e.path).toBe('generationId');
    expect(e.offset).toBe(0x13);
    expect(e.message).toBe('need 4 bytes, have 2 at 0x13 (generationId)');
  });
});

describe('response frames', () => {
  it('ApiVersions v3 (flexible) still uses response header v0: no tag byte after the correlation id', () => {
    const frame = encodeResponseFrame({
      api: ApiVersions,
      version: 3,
      correlationId: 9,
      body: { errorCode: 35, apiKeys: [] },
    });
    // size | 00000009 | 0023 errorCode | 01 empty compact array | 00000000 throttle | 00 body tags
    expect(frame.toString('hex')).toBe('0000000c' + '00000009' + '0023' + '01' + '00000000' + '00');
    const d = decodeResponseFrame(frame, ApiVersions, 3);
    expect(d.headerVersion).toBe(0);
    expect(d.header.correlationId).toBe(9);
    expect(d.body.errorCode).toBe(35);
  });

  it('initialSize only changes where the writer starts: the same bytes whether it is too small, exact or large', () => {
    const body = { brokers: [{ nodeId: 0, host: 'localhost', port: 9092, rack: null }], topics: [] };
    const plain = encodeResponseFrame({ api: Metadata, version: 12, correlationId: 3, body });
    for (const initialSize of [0, 1, plain.length, plain.length + 1, 1 << 20]) {
      const frame = encodeResponseFrame({ api: Metadata, version: 12, correlationId: 3, body, initialSize });
      expect(frame.equals(plain)).toBe(true);
    }
  });

  it('Metadata v12 (flexible) uses response header v1 with its TAG_BUFFER', () => {
    const frame = encodeResponseFrame({
      api: Metadata,
      version: 12,
      correlationId: 3,
      body: { brokers: [], topics: [] },
    });
    // size | 00000003 00 | throttle 00000000 | brokers 01 | clusterId 00 (null) | controllerId ffffffff | topics 01 | tags 00
    expect(frame.toString('hex')).toBe(
      '00000011' + '0000000300' + '00000000' + '01' + '00' + 'ffffffff' + '01' + '00',
    );
    const d = decodeResponseFrame(frame, Metadata, 12);
    expect(d.headerVersion).toBe(1);
    expect(d.body.controllerId).toBe(-1);
  });

  it('Heartbeat v0 response uses header v0', () => {
    const frame = hex('00000006 00000004 001b');
    const d = decodeResponseFrame(frame, Heartbeat, 0);
    expect(d).toMatchObject({ headerVersion: 0, header: { correlationId: 4 }, body: { errorCode: 27 } });
  });
});
