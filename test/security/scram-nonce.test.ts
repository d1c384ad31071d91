/**
 * The SCRAM final message's nonce (RFC 5802 §5.1): Kafka 4.x wants exactly the server-first nonce;
 * librdkafka < 2.6.1 sends its client nonce in front of it, which `endsWith` (Kafka 3.8.1-3.9)
 * accepts. A nonce that is not the server's fails either way.
 */
import { describe, expect, it } from 'vitest';
import { SaslFailure, ScramServer } from '../../src/emulator/security/sasl-mechanisms.js';
import { ScramCredentials } from '../../src/emulator/security/scram-credentials.js';
import {
  authMessage,
  clientProof,
  formatClientFirst,
  parseServerFirst,
  SCRAM_MECHANISMS,
  saltedPassword,
} from '../../src/protocol/sasl/scram.js';

const m = SCRAM_MECHANISMS['SCRAM-SHA-512'];
const creds = new ScramCredentials();
creds.addPassword('alice', m, 'alice-secret');

/** A login whose final nonce is `finalNonce(clientNonce, serverFirstNonce)`, with a correct proof. */
function login(check: 'equals' | 'endsWith', finalNonce: (c: string, s: string) => string) {
  const server = new ScramServer(m, (u) => creds.get(u, m.name), check);
  // librdkafka's nonce characters: printable ASCII from '-' to '~' ('=' and '\' included).
  const cnonce = 'a=b\\c~-}{x]';
  const first = formatClientFirst('alice', cnonce);
  const sf = parseServerFirst(server.evaluate(Buffer.from(first)).challenge.toString());
  const withoutProof = `c=biws,r=${finalNonce(cnonce, sf.nonce)}`;
  const salted = saltedPassword(m, 'alice-secret', sf.salt, sf.iterations);
  const proof = clientProof(m, salted, authMessage(first.slice(3), sf.text, withoutProof));
  return () => server.evaluate(Buffer.from(`${withoutProof},p=${proof.toString('base64')}`));
}

describe('SCRAM final nonce check', () => {
  it('equals (default, Kafka 4.x): the RFC form logs in, librdkafka < 2.6.1 form is refused', () => {
    expect(login('equals', (_c, s) => s)().complete).toBe(true);
    expect(login('equals', (c, s) => c + s)).toThrow(
      /^Invalid client nonce in the final client message\. \(the client sent its own nonce again/,
    );
  });

  it('endsWith (Kafka 3.8.1-3.9): both forms log in; a foreign nonce does not', () => {
    expect(login('endsWith', (_c, s) => s)().complete).toBe(true);
    expect(login('endsWith', (c, s) => c + s)().complete).toBe(true);
    for (const check of ['equals', 'endsWith'] as const) {
      const bad = login(check, (c) => `${c}someoneelse`);
      expect(bad).toThrow(SaslFailure);
      expect(login(check, (c) => `${c}someoneelse`)).toThrow(
        /^Invalid client nonce in the final client message\.$/,
      );
    }
  });
});
