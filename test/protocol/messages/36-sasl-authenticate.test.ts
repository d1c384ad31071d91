// Golden frames for SaslAuthenticate, worked out by hand from the protocol rules
// (/work/shared/notes/wire-format.md). The auth bytes are a SASL/PLAIN token: authzid NUL user NUL pass
// (RFC 4616), here "\0u\0p".
import { describe, expect, it } from 'vitest';
import { SaslAuthenticate } from '../../../src/protocol/messages/36-sasl-authenticate.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

const PLAIN_TOKEN = Buffer.from([0x00, 0x75, 0x00, 0x70]);

describe('SaslAuthenticate golden frames', () => {
  it('request v1 (classic)', () => {
    const bytes = hexLayout(`
      00000004 00750070         authBytes: BYTES int32 length 4, "\\0u\\0p"
    `);
    const codec = codecFor(SaslAuthenticate.request, 1);
    expect(codec.encode({ authBytes: PLAIN_TOKEN })).toEqual(bytes);
    expect(codec.decode(bytes)).toEqual({ authBytes: PLAIN_TOKEN });
  });

  it('request v2 (flexible)', () => {
    const bytes = hexLayout(`
      05 00750070               authBytes: COMPACT_BYTES 4 bytes +1
      00                        tag buffer
    `);
    const codec = codecFor(SaslAuthenticate.request, 2);
    expect(codec.encode({ authBytes: PLAIN_TOKEN })).toEqual(bytes);
    expect(codec.decode(bytes)).toEqual({ authBytes: PLAIN_TOKEN });
  });

  it('response v0 (classic): no session lifetime, decodes to 0', () => {
    const bytes = hexLayout(`
      0000                      errorCode: 0
      ffff                      errorMessage: null
      00000000                  authBytes: empty
    `);
    const codec = codecFor(SaslAuthenticate.response, 0);
    expect(codec.encode({ errorMessage: null })).toEqual(bytes);
    expect(codec.decode(bytes)).toEqual({
      errorCode: 0,
      errorMessage: null,
      authBytes: Buffer.alloc(0),
      sessionLifetimeMs: 0n,
    });
  });

  it('response v1 (classic): session lifetime of one hour (KIP-368)', () => {
    const bytes = hexLayout(`
      0000                      errorCode: 0
      ffff                      errorMessage: null
      00000000                  authBytes: empty
      000000000036ee80          sessionLifetimeMs: 3600000
    `);
    const value = {
      errorCode: 0,
      errorMessage: null,
      authBytes: Buffer.alloc(0),
      sessionLifetimeMs: 3600000n,
    };
    const codec = codecFor(SaslAuthenticate.response, 1);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.decode(bytes)).toEqual(value);
  });

  it('response v2 (flexible): an authentication failure', () => {
    const bytes = hexLayout(`
      003a                      errorCode: 58 SASL_AUTHENTICATION_FAILED
      04 626164                 errorMessage: "bad"
      01                        authBytes: COMPACT_BYTES 0 bytes +1
      0000000000000000          sessionLifetimeMs: 0
      00                        tag buffer
    `);
    const value = { errorCode: 58, errorMessage: 'bad', authBytes: Buffer.alloc(0), sessionLifetimeMs: 0n };
    const codec = codecFor(SaslAuthenticate.response, 2);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.decode(bytes)).toEqual(value);
  });
});
