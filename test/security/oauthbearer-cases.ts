/**
 * OAUTHBEARER exchanges for the tests in this folder: unsecured tokens built by hand (standard
 * base64, the alphabet Kafka 4.1.1's validator decodes), RFC 7628 first messages, and a raw login
 * (SaslHandshake v1, then SaslAuthenticate rounds) that records every answer and whether the
 * connection still serves a Metadata request afterwards — the same on the emulator and a real Kafka.
 */
import { Connection } from '../../src/client/connection.js';
import { Metadata } from '../../src/protocol/messages/03-metadata.js';
import { SaslHandshake } from '../../src/protocol/messages/17-sasl-handshake.js';
import { SaslAuthenticate } from '../../src/protocol/messages/36-sasl-authenticate.js';

export const b64 = (s: string) => Buffer.from(s).toString('base64').replace(/=+$/, '');
export const jws = (header: object, claims: object) =>
  `${b64(JSON.stringify(header))}.${b64(JSON.stringify(claims))}.`;
export const nowS = () => Date.now() / 1000;
export const claims = (o: object = {}) => ({
  sub: 'alice',
  iat: nowS(),
  exp: nowS() + 3600,
  scope: 'kafka',
  ...o,
});
export const first = (token: string, authzid = '', extensions = '') =>
  Buffer.from(`n,${authzid ? `a=${authzid}` : ''},\x01auth=Bearer ${token}${extensions}\x01\x01`);
export const ACK = Buffer.from([1]);

export interface Answer {
  errorCode: number;
  errorMessage: string | null;
  authBytes: string;
  lifetimeMs: number;
}

/** Handshake, then the tokens in order (stopping at a failure); then a Metadata request. */
export async function oauthExchange(
  bootstrap: string,
  tokens: Buffer[],
): Promise<{ answers: Answer[]; after: string }> {
  const [host, port] = bootstrap.split(':');
  const c = new Connection({ host, port: Number(port), requestTimeoutMs: 10_000 });
  const answers: Answer[] = [];
  const closed = (err: Error) => (/closed/.test(err.message) ? 'closed' : err.message);
  try {
    await c.request(SaslHandshake, { mechanism: 'OAUTHBEARER' }, { version: 1 });
    for (const t of tokens) {
      const a = await c.request(SaslAuthenticate, { authBytes: t }, { version: 2 });
      answers.push({
        errorCode: a.errorCode,
        errorMessage: a.errorMessage,
        authBytes: Buffer.from(a.authBytes).toString('utf8'),
        lifetimeMs: Number(a.sessionLifetimeMs),
      });
      if (a.errorCode !== 0) break;
    }
    const after = await c
      .request(Metadata, { topics: [], allowAutoTopicCreation: false })
      .then(() => 'metadata ok', closed);
    return { answers, after };
  } catch (err) {
    return { answers, after: closed(err as Error) };
  } finally {
    await c.close();
  }
}

/** Each case: a name and the client messages, for a listener requiring scope `kafka`. */
export function oauthCases(): [string, Buffer[]][] {
  const none = { alg: 'none' };
  const expired = claims({ exp: nowS() - 10, iat: nowS() - 100 });
  return [
    ['valid', [first(jws(none, claims()))]],
    ['valid, authzid = sub', [first(jws(none, claims()), 'alice')]],
    ['valid, an extension', [first(jws(none, claims()), '', '\x01traceId=abc')]],
    ['authzid not the sub', [first(jws(none, claims()), 'bob')]],
    ['expired', [first(jws(none, expired)), ACK]],
    ['no scope', [first(jws(none, claims({ scope: undefined }))), ACK]],
    ['scope list holding it', [first(jws(none, claims({ scope: ['other', 'kafka'] })))]],
    ['scope list without it', [first(jws(none, claims({ scope: ['a', 'b'] }))), ACK]],
    ['alg HS256', [first(jws({ alg: 'HS256' }, claims())), ACK]],
    ['a signature', [first(`${jws(none, claims())}c2ln`), ACK]],
    ['no alg', [first(jws({ typ: 'JWT' }, claims())), ACK]],
    ['no sub', [first(jws(none, claims({ sub: undefined }))), ACK]],
    ['sub a number', [first(jws(none, claims({ sub: 7 }))), ACK]],
    ['no exp', [first(jws(none, claims({ exp: undefined }))), ACK]],
    ['iat in the future', [first(jws(none, claims({ iat: nowS() + 600 }))), ACK]],
    ['exp before iat', [first(jws(none, claims({ iat: nowS() + 7200 - 600 }))), ACK]],
    [
      'base64url alphabet',
      [
        first(
          `${b64('{"alg":"none"}')}.${Buffer.from(JSON.stringify(claims({ sub: 'al>>?ice' }))).toString('base64url')}.`,
        ),
        ACK,
      ],
    ],
    ['two parts', [first('abc.def'), ACK]],
    ['not JSON', [first(`${b64('xx')}.${b64('yy')}.`), ACK]],
    ['garbage bytes', [Buffer.from([0xff, 0x00, 0x13, 0x37, 0x42])]],
    ['no auth', [Buffer.from('n,,\x01foo=bar\x01\x01')]],
    ['scheme Basic', [Buffer.from(`n,,\x01auth=Basic ${jws(none, claims())}\x01\x01`)]],
    ['a new first message after the error', [first(jws(none, expired)), first(jws(none, claims()))]],
    ['\\x01 first', [ACK]],
    ['empty', [Buffer.alloc(0)]],
  ];
}
