// mTLS principals as Kafka builds them: the client certificate's subject as Java's
// X500Principal.getName() writes it (RFC 2253), then ssl.principal.mapping.rules (KIP-371). Both are
// checked against Apache Kafka's own classes (kafka-clients 4.1.1's SslPrincipalMapper and the JDK's
// X500Principal, through test/security/java/PrincipalOracle.java run with Kafka's jars): the same
// names, the same refusals.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTestCertificates, type SubjectAttribute } from '../../src/emulator/security/certs.js';
import {
  PrincipalMappingError,
  principalMapper,
  subjectDistinguishedName,
} from '../../src/emulator/security/principal-mapping.js';
import { ROOT } from '../support/cli.js';
import { kafkaToolsEnv } from '../support/kafka-tools.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kafkalab-principal-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One answer per request line from Kafka's classes. */
async function oracle(lines: string[]): Promise<string[]> {
  const env = await kafkaToolsEnv();
  const r = spawnSync(
    env.java,
    ['-cp', join(env.libs, '*'), join(ROOT, 'test/security/java/PrincipalOracle.java')],
    { input: `${lines.join('\n')}\n`, encoding: 'utf8', timeout: 120_000 },
  );
  if (r.status !== 0) throw new Error(`PrincipalOracle failed (${r.status}): ${r.stderr}`);
  return r.stdout.split('\n').slice(0, lines.length);
}

const DN = 'CN=Alice,OU=Eng,O=acme,C=US';
/** [rules, DN] pairs: defaults, case flags, fall-through, back references, escapes, bad rules. */
const CASES: [string, string][] = [
  ['DEFAULT', DN],
  ['RULE:^CN=(.*?),OU=(.*?),O=(.*?),C=(.*?)$/$1@$2/L,DEFAULT', DN],
  ['RULE:^CN=(.*?),OU=(.*?),O=(.*?),C=(.*?)$/$1@$2/U', DN],
  ['RULE:^CN=(.*?),OU=ServiceUsers.*$/$1/,DEFAULT', DN],
  ['RULE:^CN=(.*?),OU=ServiceUsers.*$/$1/', DN],
  ['RULE:^cn=(.*)$/$1/', DN],
  ['  RULE:^CN=([^,]*),.*$/$1/  ,  DEFAULT  ', DN],
  [', ,DEFAULT', DN],
  ['RULE:^CN=([^,]*),.*$/$12/', DN],
  ['RULE:^CN=([^,]*),.*$/$3x/', DN],
  ['RULE:^CN=([^,]*),.*$/\\$1/', DN],
  ['RULE:^CN=([^,]*),.*$/$0!/', DN],
  ['RULE:^(CN)=([^,]*),.*$/$2-$1/', DN],
  ['RULE:^CN=(.*)\\/x$/$1/', 'CN=a/x'],
  ['RULE:^CN=(.*)$/a\\/b$1/', 'CN=z'],
  ['RULE:^.*$/x/', DN],
  ['RULE:O=acme/corp/,DEFAULT', DN],
  ['RULE:^CN=.*$/$1/', DN],
  ['RULE:^CN=(.*)$/$/', DN],
  ['RULE:a/b', DN],
  ['DEFAULTX', DN],
  ['RULE:^CN=(.*)$/$1/Lxyz', DN],
  ['garbage', DN],
  ['RULE:^CN=(.*)$/$1/, nonsense, DEFAULT', DN],
];

function ours(rules: string, dn: string): string {
  try {
    return principalMapper(rules).name(dn) ?? 'NO_MATCH';
  } catch (err) {
    if (err instanceof PrincipalMappingError) return `ERROR\t${err.message}`;
    throw err;
  }
}

/** Kafka's rule refusals are compared word for word; a replacement Java throws on, by kind only. */
const comparable = (answer: string) =>
  answer.startsWith('ERROR\tInvalid rule') || !answer.startsWith('ERROR') ? answer : 'ERROR';

describe('ssl.principal.mapping.rules, as SslPrincipalMapper', () => {
  it('gives the names and refusals Kafka 4.1.1 gives', async () => {
    const java = await oracle(CASES.map(([rules, dn]) => `map\t${rules}\t${dn}`));
    const table = CASES.map(([rules, dn], i) => ({
      rules,
      dn,
      kafka: comparable(java[i]),
      emulator: comparable(ours(rules, dn)),
    }));
    expect(table.map((r) => ({ ...r, emulator: r.kafka }))).toEqual(table);
    // Not all answers the same: the rules did something.
    expect(new Set(table.map((r) => r.kafka)).size).toBeGreaterThan(8);
  }, 180_000);
});

describe('the certificate subject, as X500Principal.getName()', () => {
  const subjects: SubjectAttribute[][] = [
    [
      { shortName: 'C', value: 'US' },
      { shortName: 'O', value: 'acme' },
      { shortName: 'OU', value: 'eng' },
      { shortName: 'CN', value: 'alice' },
    ],
    [{ shortName: 'CN', value: 'a,b+c"d<e>f;g\\h' }],
    [
      { shortName: 'CN', value: '#lead' },
      { shortName: 'OU', value: ' spaced ' },
    ],
    [{ shortName: 'CN', value: 'Jürgen' }],
    [
      { shortName: 'CN', value: 'mail' },
      { name: 'emailAddress', value: 'mail@example.com' },
    ],
    [
      { type: '0.9.2342.19200300.100.1.25', value: 'com' },
      { type: '0.9.2342.19200300.100.1.25', value: 'example' },
      { shortName: 'L', value: 'Seoul' },
      { shortName: 'ST', value: 'Gyeonggi' },
      { shortName: 'CN', value: 'dc' },
    ],
  ];

  it('writes the subject as the JDK does', async () => {
    const ders: Buffer[] = [];
    const files: string[] = [];
    for (const [i, subject] of subjects.entries()) {
      const { client } = await generateTestCertificates({ clientSubject: subject });
      const file = join(dir, `client-${i}.pem`);
      writeFileSync(file, client.cert);
      files.push(file);
      const b64 = client.cert.replace(/-----[A-Z ]+-----|\s/g, '');
      ders.push(Buffer.from(b64, 'base64'));
    }
    const java = await oracle(files.map((f) => `dn\t${f}`));
    expect(ders.map(subjectDistinguishedName)).toEqual(java);
  }, 180_000);
});
