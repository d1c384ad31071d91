import { describe, expect, it } from 'vitest';
import { PlainServer, SaslFailure, ScramServer } from '../../../src/emulator/security/sasl-mechanisms.js';
import { ScramCredentials } from '../../../src/emulator/security/scram-credentials.js';
import { parseJaasConfig } from '../../../src/protocol/sasl/jaas.js';
import { formatPlain } from '../../../src/protocol/sasl/plain.js';
import {
  authMessage,
  clientProof,
  formatClientFirst,
  parseServerFinal,
  parseServerFirst,
  SCRAM_MECHANISMS,
  saltedPassword,
  serverKey,
  serverSignature,
} from '../../../src/protocol/sasl/scram.js';

describe('SASL mechanisms (server side)', () => {
  for (const m of Object.values(SCRAM_MECHANISMS)) {
    it(`${m.name}: a client with the password logs in and checks the server signature; a wrong one fails`, () => {
      const creds = new ScramCredentials();
      creds.addPassword('alice', m, 'alice-secret');
      const login = (password: string) => {
        const server = new ScramServer(m, (u) => creds.get(u, m.name));
        const first = formatClientFirst('alice', 'clientnonce');
        const sf = parseServerFirst(server.evaluate(Buffer.from(first)).challenge.toString());
        expect(sf.nonce.startsWith('clientnonce')).toBe(true);
        expect(sf.iterations).toBe(4096);
        const salted = saltedPassword(m, password, sf.salt, sf.iterations);
        const withoutProof = `c=biws,r=${sf.nonce}`;
        const auth = authMessage(first.slice(3), sf.text, withoutProof);
        const proof = clientProof(m, salted, auth).toString('base64');
        const out = server.evaluate(Buffer.from(`${withoutProof},p=${proof}`));
        const sig = parseServerFinal(out.challenge.toString()).signature;
        expect(sig?.equals(serverSignature(m, serverKey(m, salted), auth))).toBe(true);
        return server;
      };
      expect(login('alice-secret').authorizationId).toBe('alice');
      expect(() => login('wrong')).toThrow(SaslFailure);
      // Unknown user: a failure whose text is not shown to the client (Kafka's SaslException).
      const s = new ScramServer(m, (u) => creds.get(u, m.name));
      try {
        s.evaluate(Buffer.from(formatClientFirst('mallory', 'n1')));
        expect.unreachable();
      } catch (err) {
        expect((err as SaslFailure).clientMessage).toBeUndefined();
      }
      // Truncated messages are failures, not crashes.
      for (const bad of ['', 'n,', 'n,,n=alice', 'y,,n=alice,r=x', 'n,,n=a=ZZ,r=x']) {
        expect(() => new ScramServer(m, () => undefined).evaluate(Buffer.from(bad))).toThrow(SaslFailure);
      }
    });
  }

  it('PLAIN: Kafka texts for a wrong password and a foreign authorization id', () => {
    const users = new Map([['alice', 'alice-secret']]);
    const server = () => new PlainServer((u) => users.get(u));
    expect(server().evaluate(formatPlain('alice', 'alice-secret')).complete).toBe(true);
    expect(() => server().evaluate(formatPlain('alice', 'nope'))).toThrow(
      'Authentication failed: Invalid username or password',
    );
    expect(() => server().evaluate(formatPlain('alice', 'alice-secret', 'bob'))).toThrow(
      'Client requested an authorization id that is different from username',
    );
    expect(() => server().evaluate(Buffer.from('garbage'))).toThrow('username not specified');
  });

  it('JAAS config: login module, flag and quoted options', () => {
    const j = parseJaasConfig(
      'org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="a b\\"c" user_alice="alice-secret";',
    );
    expect(j.flag).toBe('required');
    expect(j.options).toEqual({ username: 'admin', password: 'a b"c', user_alice: 'alice-secret' });
    expect(() => parseJaasConfig('X required a="b"')).toThrow('must end with ";"');
  });
});
