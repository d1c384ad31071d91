/**
 * SASL OAUTHBEARER with Kafka's unsecured validator on the emulator, and kafkalab's client logging
 * in with a token provider or with OAuthBearerLoginModule's options (an unsecured token, as Java's
 * OAuthBearerUnsecuredLoginCallbackHandler makes it). The exchanges and messages are those Kafka
 * 4.1.1 gives (checked by test/security/oauthbearer-real-kafka.test.ts against a real broker): a
 * refused token is answered with the JSON error challenge, the client's `\x01`, then
 * SASL_AUTHENTICATION_FAILED with that JSON; a malformed first message gets the standard refusal;
 * a header without `alg` or a scheme other than Bearer closes the connection unanswered. The token
 * never shows in the trace, --explain, --record or the exchanges.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { clientSettings, parseProperties } from '../../src/cli/command-config.js';
import { Connection } from '../../src/client/connection.js';
import { Admin, AuthenticationError, Producer } from '../../src/client/index.js';
import type { ClientSecurity } from '../../src/client/security.js';
import { ManualClock } from '../../src/emulator/index.js';
import { Metadata } from '../../src/protocol/messages/03-metadata.js';
import { SaslHandshake } from '../../src/protocol/messages/17-sasl-handshake.js';
import { SaslAuthenticate } from '../../src/protocol/messages/36-sasl-authenticate.js';
import { OAUTHBEARER_LOGIN_MODULE, unsecuredLoginToken } from '../../src/protocol/sasl/oauthbearer.js';
import { maskSaslToken } from '../../src/trace/sasl-redact.js';
import { type SecureEmulator, startSecureEmulator } from './harness.js';
import { ACK, b64, claims, first, jws, nowS, oauthExchange } from './oauthbearer-cases.js';

const started: { stop(): Promise<void> }[] = [];
afterAll(async () => {
  for (const s of started.reverse()) await s.stop();
});

const JAAS = `${OAUTHBEARER_LOGIN_MODULE} required unsecuredLoginStringClaim_sub="broker" unsecuredValidatorRequiredScope="kafka";`;

async function oauthEmulator(extra: Record<string, string> = {}, options = {}): Promise<SecureEmulator> {
  const e = await startSecureEmulator(
    {
      listeners: 'SASL_PLAINTEXT://127.0.0.1:0',
      'sasl.enabled.mechanisms': 'OAUTHBEARER',
      'connection.failed.authentication.delay.ms': '0',
      'listener.name.sasl_plaintext.oauthbearer.sasl.jaas.config': JAAS,
      ...extra,
    },
    options,
  );
  started.push(e);
  return e;
}

const withToken = (token: string): ClientSecurity => ({
  protocol: 'SASL_PLAINTEXT',
  sasl: { mechanism: 'OAUTHBEARER', tokenProvider: async () => ({ token }) },
});

describe('OAUTHBEARER login with kafkalab client', () => {
  it('a token provider: produce and admin as User:alice; the provider is called at each login', async () => {
    const e = await oauthEmulator();
    let calls = 0;
    const security: ClientSecurity = {
      protocol: 'SASL_PLAINTEXT',
      sasl: {
        mechanism: 'OAUTHBEARER',
        tokenProvider: async () => {
          calls++;
          return { token: jws({ alg: 'none' }, claims()), extensions: { traceId: 'abc' } };
        },
      },
    };
    const producer = new Producer({ bootstrap: e.bootstrap, security });
    started.push({ stop: () => producer.close() });
    await producer.send({ topic: 'oauth', messages: [{ value: 'hello' }] });
    const admin = new Admin({ bootstrap: e.bootstrap, security });
    started.push({ stop: () => admin.close() });
    expect(await admin.listTopics()).toContain('oauth');
    expect(e.trace.some((l) => l.includes('SASL login as User:alice'))).toBe(true);
    expect(calls).toBeGreaterThanOrEqual(2);
  });

  it("OAuthBearerLoginModule's options (sasl.jaas.config): an unsecured token as Java makes it", async () => {
    const e = await oauthEmulator();
    const s = clientSettings(
      'admin',
      parseProperties(
        [
          'security.protocol=SASL_PLAINTEXT',
          'sasl.mechanism=OAUTHBEARER',
          `sasl.jaas.config=${OAUTHBEARER_LOGIN_MODULE} required \\`,
          '    unsecuredLoginStringClaim_sub="carol" unsecuredLoginListClaim_scope=",kafka,other";',
        ].join('\n'),
        'c.p',
      ),
    );
    expect(s.security?.sasl).toEqual({
      mechanism: 'OAUTHBEARER',
      unsecuredLoginOptions: {
        unsecuredLoginStringClaim_sub: 'carol',
        unsecuredLoginListClaim_scope: ',kafka,other',
      },
    });
    const admin = new Admin({ bootstrap: e.bootstrap, security: s.security });
    started.push({ stop: () => admin.close() });
    await admin.listTopics();
    expect(e.trace.some((l) => l.includes('SASL login as User:carol'))).toBe(true);
  });

  it('kafkajs (oauthBearerProvider) logs in and produces; with a refused token it is cut off', async () => {
    const e = await oauthEmulator({}, { topics: [{ name: 'oauth-kafkajs', partitions: 1 }] });
    const kafka = (token: string) =>
      new Kafka({
        brokers: [e.bootstrap],
        clientId: 'oauth-kafkajs',
        sasl: { mechanism: 'oauthbearer', oauthBearerProvider: async () => ({ value: token }) },
        logLevel: logLevel.NOTHING,
        retry: { retries: 0 },
      });
    const producer = kafka(jws({ alg: 'none' }, claims({ sub: 'dave' }))).producer();
    await producer.connect();
    await producer.send({ topic: 'oauth-kafkajs', messages: [{ value: 'x' }] });
    await producer.disconnect();
    expect(e.trace.some((l) => l.includes('SASL login as User:dave'))).toBe(true);
    const refused = kafka(jws({ alg: 'none' }, claims({ scope: 'none' }))).producer();
    // kafkajs does not read the error challenge: it takes the login as done and sends Metadata,
    // which the broker (Kafka too) answers by closing the connection mid-authentication.
    await refused.connect().catch(() => undefined);
    await expect(refused.send({ topic: 'oauth-kafkajs', messages: [{ value: 'y' }] })).rejects.toThrow(
      /Closed connection/,
    );
    await refused.disconnect();
    expect(
      e.trace.some((l) =>
        l.includes('closed: Unexpected Kafka request of type Metadata during SASL authentication.'),
      ),
    ).toBe(true);
    expect(e.trace.some((l) => l.includes('was missing a required scope (kafka)'))).toBe(true);
  });

  it('the unsecured token has the claims Java puts in it', () => {
    const t = unsecuredLoginToken(
      {
        unsecuredLoginStringClaim_sub: 'carol',
        unsecuredLoginNumberClaim_n: '7',
        unsecuredLoginListClaim_scope: '|a|b',
        unsecuredLoginLifetimeSeconds: '60',
        unsecuredLoginExtension_traceId: 'x1',
      },
      1_700_000_000_500,
    );
    const [header, body, signature] = t.token.split('.');
    expect(Buffer.from(header, 'base64url').toString()).toBe('{"alg":"none"}');
    expect(Buffer.from(body, 'base64url').toString()).toBe(
      '{"exp":1700000060.5,"iat":1700000000.5,"sub":"carol","n":7.0,"scope":["a","b"]}',
    );
    expect(signature).toBe('');
    expect(t.extensions).toEqual({ traceId: 'x1' });
    expect(() => unsecuredLoginToken({ unsecuredLoginStringClaim_exp: '1' }, 0)).toThrow(
      "Cannot explicitly set the 'exp' claim",
    );
    expect(() => unsecuredLoginToken({ unsecuredLoginStringClaim_name: 'x' }, 0)).toThrow(
      'No principal name in JWT claim: sub',
    );
  });

  it('refused tokens: an AuthenticationError with the JSON Kafka sends, after the client acknowledges', async () => {
    const e = await oauthEmulator();
    const cases: [string, string, RegExp][] = [
      [
        'expired',
        jws({ alg: 'none' }, claims({ iat: nowS() - 100, exp: nowS() - 10 })),
        /"status":"invalid_token"/,
      ],
      [
        'scope missing',
        jws({ alg: 'none' }, claims({ scope: 'other' })),
        /\{"status":"insufficient_scope", "scope":"\[kafka\]"\}/,
      ],
      ['alg HS256', jws({ alg: 'HS256' }, claims()), /"status":"invalid_token"/],
      [
        'garbage',
        '@@not-a-token@@',
        /Authentication failed during authentication due to invalid credentials with SASL mechanism OAUTHBEARER/,
      ],
    ];
    for (const [what, token, message] of cases) {
      const admin = new Admin({ bootstrap: e.bootstrap, security: withToken(token), retry: { retries: 3 } });
      const err = await admin.listTopics().catch((x: unknown) => x);
      await admin.close();
      expect(err, what).toBeInstanceOf(AuthenticationError);
      expect((err as Error).message, what).toMatch(message);
    }
    expect(e.trace.some((l) => l.includes('OAUTHBEARER token refused: The indicated time'))).toBe(true);
    expect(e.trace.some((l) => l.includes('was missing a required scope (kafka)'))).toBe(true);
  });

  it('every exchange Kafka 4.1.1 gives, on the wire; other connections unharmed', async () => {
    const e = await oauthEmulator();
    // A connection logged in before the bad ones, used again after them.
    const good = new Admin({ bootstrap: e.bootstrap, security: withToken(jws({ alg: 'none' }, claims())) });
    started.push({ stop: () => good.close() });
    await good.listTopics();
    const ack = ACK;
    const invalid = {
      errorCode: 0,
      errorMessage: '',
      authBytes: '{"status":"invalid_token"}',
      lifetimeMs: 0,
    };
    const failed = {
      errorCode: 58,
      errorMessage: '{"status":"invalid_token"}',
      authBytes: '',
      lifetimeMs: 0,
    };
    const standard = {
      errorCode: 58,
      errorMessage:
        'Authentication failed during authentication due to invalid credentials with SASL mechanism OAUTHBEARER',
      authBytes: '',
      lifetimeMs: 0,
    };
    const ok = await oauthExchange(e.bootstrap, [first(jws({ alg: 'none' }, claims()))]);
    expect(ok.after).toBe('metadata ok');
    // No connections.max.reauth.ms: the session still ends at the token's exp (KIP-368), as Kafka.
    expect(ok.answers[0].lifetimeMs).toBeGreaterThan(3_590_000);
    expect(ok.answers[0].lifetimeMs).toBeLessThanOrEqual(3_600_000);
    expect(ok.answers[0].errorMessage).toBe('');

    const signed = `${b64('{"alg":"none"}')}.${b64(JSON.stringify(claims()))}.c2ln`;
    const urlSafe = `${b64('{"alg":"none"}')}.${Buffer.from(JSON.stringify(claims({ sub: 'al>>?ice' }))).toString('base64url')}.`;
    for (const token of [
      jws({ alg: 'none' }, claims({ sub: undefined })),
      jws({ alg: 'none' }, claims({ sub: 7 })),
      jws({ alg: 'none' }, claims({ exp: undefined })),
      jws({ alg: 'none' }, claims({ iat: nowS() + 600 })),
      signed,
      urlSafe, // Kafka decodes with the basic alphabet: '-' and '_' are refused
      'abc.def',
      `${b64('xx')}.${b64('yy')}.`,
    ])
      expect(await oauthExchange(e.bootstrap, [first(token), ack]), token).toEqual({
        answers: [invalid, failed],
        after: 'closed',
      });
    for (const bytes of [
      Buffer.from([0xff, 0, 0x13, 0x37]),
      Buffer.from('n,,\x01foo=bar\x01\x01'),
      ack,
      Buffer.alloc(0),
    ])
      expect(await oauthExchange(e.bootstrap, [bytes])).toEqual({ answers: [standard], after: 'closed' });
    expect(await oauthExchange(e.bootstrap, [first(jws({ alg: 'none' }, claims()), 'bob')])).toEqual({
      answers: [
        {
          ...standard,
          errorMessage:
            "Authentication failed: Client requested an authorization id (bob) that is different from the token's principal name (alice)",
        },
      ],
      after: 'closed',
    });
    // Kafka 4.1.1 lets a NullPointerException / IllegalArgumentException out: closed, no answer.
    expect(await oauthExchange(e.bootstrap, [first(jws({ typ: 'JWT' }, claims()))])).toEqual({
      answers: [],
      after: 'closed',
    });
    expect(
      await oauthExchange(e.bootstrap, [
        Buffer.from(`n,,\x01auth=Basic ${jws({ alg: 'none' }, claims())}\x01\x01`),
      ]),
    ).toEqual({ answers: [], after: 'closed' });
    // After an error challenge a new first message (not \x01) is read afresh.
    const retried = await oauthExchange(e.bootstrap, [
      first(jws({ alg: 'none' }, claims({ exp: nowS() - 10, iat: nowS() - 100 }))),
      first(jws({ alg: 'none' }, claims())),
    ]);
    expect(retried.answers.map((a) => a.errorCode)).toEqual([0, 0]);
    expect(retried.after).toBe('metadata ok');
    // 100 random first messages: each refused or closed, the emulator still serving.
    for (let i = 0; i < 100; i++) {
      const r = await oauthExchange(e.bootstrap, [
        Buffer.from(`n,,\x01auth=Bearer ${randomToken(i)}\x01\x01`),
        ack,
      ]);
      expect(r.after, randomToken(i)).toBe('closed');
    }
    expect(await good.listTopics()).toBeDefined();
  }, 60_000);

  it('the session ends at the token exp on the cluster clock; connections.max.reauth.ms bounds it too', async () => {
    const clock = new ManualClock(Date.now());
    const e = await oauthEmulator({}, { clock });
    const token = first(jws({ alg: 'none' }, { sub: 'alice', exp: clock.now() / 1000 + 60, scope: 'kafka' }));
    const [host, port] = e.bootstrap.split(':');
    const c = new Connection({ host, port: Number(port) });
    started.push({ stop: () => c.close() });
    await c.request(SaslHandshake, { mechanism: 'OAUTHBEARER' }, { version: 1 });
    const a = await c.request(SaslAuthenticate, { authBytes: token }, { version: 2 });
    expect(a.sessionLifetimeMs).toBe(60_000n);
    clock.advance(60_000);
    await expect(c.request(Metadata, { topics: [], allowAutoTopicCreation: false })).rejects.toThrow(
      /closed/,
    );
    expect(e.trace.some((l) => /SASL session of User:alice expired \(the token's exp/.test(l))).toBe(true);

    const bounded = await oauthEmulator({ 'connections.max.reauth.ms': '1000' });
    const r = await oauthExchange(bounded.bootstrap, [first(jws({ alg: 'none' }, claims()))]);
    expect(r.answers[0].lifetimeMs).toBe(1000);
  });

  it('ACLs see User:<sub>; unsecuredValidatorPrincipalClaimName picks another claim', async () => {
    const e = await oauthEmulator(
      {
        'listener.name.sasl_plaintext.oauthbearer.sasl.jaas.config': `${OAUTHBEARER_LOGIN_MODULE} required unsecuredLoginStringClaim_sub="broker" unsecuredValidatorPrincipalClaimName="client_id";`,
        'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
        'super.users': 'User:admin',
      },
      { topics: [{ name: 'orders', partitions: 1 }] },
    );
    const as = (who: string) =>
      withToken(jws({ alg: 'none' }, { client_id: who, sub: 'ignored', exp: nowS() + 60 }));
    // Not idempotent: that would need IDEMPOTENT_WRITE on the cluster first.
    const alice = new Producer({
      bootstrap: e.bootstrap,
      security: as('alice'),
      retry: { retries: 0 },
      idempotent: false,
    });
    started.push({ stop: () => alice.close() });
    const refused = await alice
      .send({ topic: 'orders', messages: [{ value: 'x' }] })
      .catch((x: unknown) => x);
    expect(refused).toMatchObject({ type: 'TOPIC_AUTHORIZATION_FAILED' });
    const admin = new Admin({ bootstrap: e.bootstrap, security: as('admin') });
    started.push({ stop: () => admin.close() });
    await admin.createAcls([
      {
        resourceType: 'TOPIC',
        resourceName: 'orders',
        patternType: 'LITERAL',
        principal: 'User:alice',
        host: '*',
        operation: 'WRITE',
        permissionType: 'ALLOW',
      },
    ]);
    await expect(alice.send({ topic: 'orders', messages: [{ value: 'x' }] })).resolves.toBeDefined();
  });

  it('configuration errors are refused at start, naming the setting', async () => {
    const start = (jaas: string) =>
      startSecureEmulator({
        listeners: 'SASL_PLAINTEXT://127.0.0.1:0',
        'sasl.enabled.mechanisms': 'OAUTHBEARER',
        'listener.name.sasl_plaintext.oauthbearer.sasl.jaas.config': `${OAUTHBEARER_LOGIN_MODULE} required ${jaas};`,
      });
    await expect(start('unsecuredValidatorRequiredScope="kafka"')).rejects.toThrow(
      /oauthbearer\.sasl\.jaas\.config: An internal error occurred while retrieving token from callback handler: No principal name in JWT claim: sub/,
    );
    await expect(
      start('unsecuredLoginStringClaim_sub="b" unsecuredValidatorAllowableClockSkewMs="-5"'),
    ).rejects.toThrow('Allowable clock skew millis must not be negative: -5');
    await expect(
      start('unsecuredLoginStringClaim_sub="b" unsecuredValidatorRequiredScope="a\\"b"'),
    ).rejects.toThrow('Invalid scope value: a"b');
    const bad = (text: string) => () => clientSettings('admin', parseProperties(text, 'c.p'));
    expect(bad('security.protocol=SASL_PLAINTEXT\nsasl.mechanism=OAUTHBEARER')).toThrow(
      /c\.p:2: sasl\.mechanism=OAUTHBEARER needs sasl\.jaas\.config=org\.apache\.kafka\.common\.security\.oauthbearer\.OAuthBearerLoginModule/,
    );
  });
});

/** Printable junk in the token's alphabet and around it, different each i. */
function randomToken(i: number): string {
  const alphabet = 'abcXYZ019+/-_.~=';
  let s = '';
  let x = (i + 1) * 2654435761;
  for (let k = 0; k < 8 + (i % 40); k++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    s += alphabet[x % alphabet.length];
  }
  return s;
}

describe('no token in the trace, --explain, --record or the exchanges', () => {
  it('the bearer token is masked; the GS2 header, extensions and the JSON challenge stay', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafkalab-oauth-redact-'));
    const recordFile = join(dir, 'record.jsonl');
    const explained: string[] = [];
    const e = await oauthEmulator(
      {},
      { explain: (t: string) => explained.push(t), recordFile, record: true },
    );
    const token = jws({ alg: 'none' }, claims({ sub: 'alice-the-secret-holder' }));
    const expired = jws(
      { alg: 'none' },
      claims({ sub: 'alice-the-secret-holder', iat: nowS() - 99, exp: nowS() - 9 }),
    );
    const admin = new Admin({
      bootstrap: e.bootstrap,
      security: {
        protocol: 'SASL_PLAINTEXT',
        sasl: { mechanism: 'OAUTHBEARER', tokenProvider: () => ({ token, extensions: { traceId: 'abc' } }) },
      },
    });
    await admin.listTopics();
    await admin.close();
    const refused = new Admin({ bootstrap: e.bootstrap, security: withToken(expired) });
    await refused.listTopics().catch(() => undefined);
    await refused.close();
    await e.emulator.stop();
    const record = readFileSync(recordFile, 'utf8');
    const everything = [...e.trace, ...explained, record].join('\n');
    for (const secret of [token, expired, token.split('.')[1], expired.split('.')[1]]) {
      expect(everything).not.toContain(secret);
      expect(everything.toLowerCase()).not.toContain(Buffer.from(secret).toString('hex').toLowerCase());
      expect(everything).not.toContain(Buffer.from(secret).toString('base64'));
    }
    const auths = e.emulator.exchanges.filter((x) => x.api.name === 'SaslAuthenticate');
    const sent = auths.map((x) => (x.request as { authBytes: Buffer }).authBytes.toString('latin1'));
    expect(sent[0]).toBe(`n,,\x01auth=Bearer ${'*'.repeat(token.length)}\x01traceId=abc\x01\x01`);
    expect(sent[2]).toBe('\x01');
    const answers = auths.map((x) => (x.response?.body as { authBytes: Buffer }).authBytes.toString());
    expect(answers[1]).toBe('{"status":"invalid_token"}');
    // The recorded frames still decode: the masking keeps every length.
    const recorded = record
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((l) => l.api === 'SaslAuthenticate');
    expect(recorded.length).toBe(3);
  });

  it('maskSaslToken: the token only, whatever the scheme case', () => {
    const masked = (s: string) => maskSaslToken(Buffer.from(s))?.toString('latin1');
    expect(masked('n,a=alice,\x01auth=bearer abc.def.\x01\x01')).toBe(
      'n,a=alice,\x01auth=bearer ********\x01\x01',
    );
    expect(masked('{"status":"invalid_token"}')).toBeUndefined();
    expect(masked('\x01')).toBeUndefined();
  });
});
