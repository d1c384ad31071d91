// mTLS principals end to end: an SSL listener with ssl.client.auth=required and
// ssl.principal.mapping.rules; the mapped name is the principal the authorizer sees (super.users
// names the mapped form), and a certificate no rule applies to is refused, as Kafka drops a
// connection whose principal it cannot build. The DN and the rules themselves are compared with
// Kafka's own classes in principal-mapping.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connection } from '../../src/client/connection.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import {
  generateTestCertificates,
  issueClientCertificate,
  type PemPair,
  type TestCertificates,
} from '../../src/emulator/security/certs.js';
import { Metadata } from '../../src/protocol/messages/03-metadata.js';

let emulator: Emulator;
let certs: TestCertificates;
let alice: PemPair;
let bob: PemPair;
let stranger: PemPair;
const trace: string[] = [];

beforeAll(async () => {
  // One CA; the broker trusts the client certificates it signs.
  certs = await generateTestCertificates();
  [alice, bob, stranger] = await Promise.all([
    issueClientCertificate(certs.ca, [
      { shortName: 'O', value: 'acme' },
      { shortName: 'OU', value: 'Eng' },
      { shortName: 'CN', value: 'Alice' },
    ]),
    issueClientCertificate(certs.ca, [
      { shortName: 'O', value: 'acme' },
      { shortName: 'OU', value: 'ops' },
      { shortName: 'CN', value: 'bob' },
    ]),
    issueClientCertificate(certs.ca, [
      { shortName: 'O', value: 'elsewhere' },
      { shortName: 'CN', value: 'eve' },
    ]),
  ]);
  emulator = await startEmulator({
    port: 0,
    topics: [{ name: 'mtls', partitions: 1 }],
    trace: (l) => trace.push(l),
    security: {
      listeners: 'SSL://127.0.0.1:0',
      'ssl.keystore.type': 'PEM',
      'ssl.keystore.certificate.chain': certs.broker.cert,
      'ssl.keystore.key': certs.broker.key,
      'ssl.truststore.type': 'PEM',
      'ssl.truststore.certificates': certs.ca.cert,
      'ssl.client.auth': 'required',
      // No DEFAULT: a DN outside acme maps to nothing.
      'ssl.principal.mapping.rules': 'RULE:^CN=(.*?),OU=(.*?),O=acme$/$1@$2/L',
      'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
      'allow.everyone.if.no.acl.found': 'false',
      'super.users': 'User:alice@eng',
    },
  });
}, 60_000);

afterAll(async () => {
  await emulator?.stop();
});

function connect(client: PemPair): Connection {
  const [host, port] = emulator.bootstrap.split(':');
  return new Connection({
    host: host as string,
    port: Number(port),
    security: { tls: { ca: certs.ca.cert, cert: client.cert, key: client.key } },
  });
}

const describeTopic = (c: Connection) =>
  c.request(Metadata, { topics: [{ name: 'mtls' }], allowAutoTopicCreation: false });

describe('ssl.principal.mapping.rules on an SSL listener', () => {
  it('the mapped name is the principal: User:alice@eng is a super user, User:bob@ops is not', async () => {
    const a = connect(alice);
    const b = connect(bob);
    try {
      expect((await describeTopic(a)).topics.map((t) => [t.name, t.errorCode])).toEqual([['mtls', 0]]);
      // Not a super user, no ACL and allow.everyone.if.no.acl.found=false: TOPIC_AUTHORIZATION_FAILED.
      expect((await describeTopic(b)).topics.map((t) => [t.name, t.errorCode])).toEqual([['mtls', 29]]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('a certificate no rule applies to is dropped', async () => {
    const e = connect(stranger);
    try {
      await expect(describeTopic(e)).rejects.toThrow(/closed by the broker|ECONNRESET|socket hang up/);
      expect(
        trace.some((l) => l.includes('no ssl.principal.mapping.rules rule applies to CN=eve,O=elsewhere')),
      ).toBe(true);
    } finally {
      await e.close();
    }
  });

  it('a bad rule stops the start with Kafka’s message', async () => {
    await expect(
      startEmulator({
        port: 0,
        security: { listeners: 'SSL://127.0.0.1:0', 'ssl.principal.mapping.rules': 'RULE:^CN=(.*)$/$1/Lx' },
      }),
    ).rejects.toThrow(
      'Invalid value RULE:^CN=(.*)$/$1/Lx for configuration ssl.principal.mapping.rules: Invalid rule: `RULE:^CN=(.*)$/$1/Lx`, unmatched substring: `x`',
    );
  });
});
