// Issue 17 (ACLs): `kafkalab acls` as kafka-acls.sh. A kafkajs producer logged in as alice (SASL
// PLAIN) is refused until `kafkalab acls --add` allows it; and the same kafka-acls command lines run
// by Kafka 4.1.1's AclCommand and by kafkalab, each against its own emulator with the authorizer,
// print the same lines and exit the same way. The Java tool prints resources and ACLs in HashMap /
// HashSet order (enum identity hashes, different from run to run), so lines are compared sorted.
// Run under the JVM lock: flock /tmp/kafkalab-jvm.lock npx vitest run test/security/acl-cli.test.ts
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { describeToolResult, runKafkaTool } from '../support/kafka-tools.js';
import { type SecureEmulator, startSecureEmulator } from './harness.js';

const java = process.env.JAVA ?? (process.env.JAVA_HOME ? `${process.env.JAVA_HOME}/bin/java` : 'java');
const hasJava = spawnSync(java, ['-version'], { stdio: 'ignore', timeout: 30_000 }).status === 0;

const SECURITY = {
  listeners: 'PLAINTEXT://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0',
  'sasl.enabled.mechanisms': 'PLAIN',
  'sasl.users': 'alice:alice-secret',
  'connection.failed.authentication.delay.ms': '0',
  'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
  // The CLI speaks PLAINTEXT, as User:ANONYMOUS.
  'super.users': 'User:ANONYMOUS',
};

async function emulator(): Promise<SecureEmulator> {
  return startSecureEmulator(SECURITY, { topics: [{ name: 'orders', partitions: 1 }] });
}

function saslAddress(e: SecureEmulator): string {
  const p = e.emulator.endpoints.find((x) => x.listener === 'SASL_PLAINTEXT');
  return `${p?.host}:${p?.port}`;
}

const refusedType = (err: { type?: string; cause?: { type?: string } }) => err.type ?? err.cause?.type;

describe('kafkalab acls', () => {
  let e: SecureEmulator;
  beforeAll(async () => {
    e = await emulator();
  });
  afterAll(() => e?.stop());

  it('alice (kafkajs, SASL PLAIN) is refused, then produces and consumes after kafkalab acls --add', async () => {
    const kafka = new Kafka({
      brokers: [saslAddress(e)],
      clientId: 'acl-cli-test',
      sasl: { mechanism: 'plain', username: 'alice', password: 'alice-secret' },
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    });
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    const send = () => producer.send({ topic: 'orders', messages: [{ value: 'hello' }] });
    expect(refusedType(await send().catch((err) => err))).toBe('TOPIC_AUTHORIZATION_FAILED');

    const add = await runCli([
      'acls',
      '--bootstrap-server',
      e.bootstrap,
      '--add',
      '--allow-principal',
      'User:alice',
      '--operation',
      'Write',
      '--topic',
      'orders',
    ]);
    expect(add).toEqual({
      code: 0,
      stderr: '',
      stdout:
        'Adding ACLs for resource `ResourcePattern(resourceType=TOPIC, name=orders, patternType=LITERAL)`: \n' +
        ' \t(principal=User:alice, host=*, operation=WRITE, permissionType=ALLOW)\n\n',
    });
    expect((await send())[0]?.errorCode).toBe(0);

    // The consumer role: READ and DESCRIBE on the topic, READ on the group.
    const consumerAcls = await runCli([
      'acls',
      '--bootstrap-server',
      e.bootstrap,
      '--add',
      '--consumer',
      '--allow-principal',
      'User:alice',
      '--topic',
      'orders',
      '--group',
      'readers',
    ]);
    expect(consumerAcls.code).toBe(0);
    const consumer = kafka.consumer({ groupId: 'readers', allowAutoTopicCreation: false });
    await consumer.connect();
    await consumer.subscribe({ topic: 'orders', fromBeginning: true });
    const got = new Promise<string>((resolve) => {
      void consumer.run({ eachMessage: async ({ message }) => resolve(String(message.value)) });
    });
    expect(await got).toBe('hello');
    await consumer.disconnect();

    const list = await runCli(['acls', '--bootstrap-server', e.bootstrap, '--list', '--topic', 'orders']);
    expect(list.stdout).toBe(
      'Current ACLs for resource `ResourcePattern(resourceType=TOPIC, name=orders, patternType=LITERAL)`:\n' +
        '\t(principal=User:alice, host=*, operation=WRITE, permissionType=ALLOW)\n' +
        '\t(principal=User:alice, host=*, operation=READ, permissionType=ALLOW)\n' +
        '\t(principal=User:alice, host=*, operation=DESCRIBE, permissionType=ALLOW)\n\n',
    );

    // A DENY beats the ALLOW; removing it lets alice write again.
    const deny = [
      '--deny-principal',
      'User:alice',
      '--operation',
      'Write',
      '--topic',
      'ord',
      '--resource-pattern-type',
      'prefixed',
    ];
    expect((await runCli(['acls', '--bootstrap-server', e.bootstrap, '--add', ...deny])).code).toBe(0);
    expect(refusedType(await send().catch((err) => err))).toBe('TOPIC_AUTHORIZATION_FAILED');
    expect(
      (await runCli(['acls', '--bootstrap-server', e.bootstrap, '--remove', '--force', ...deny])).code,
    ).toBe(0);
    expect((await send())[0]?.errorCode).toBe(0);
    await producer.disconnect();
  }, 60_000);

  it('--command-config logs in with SASL: alice may not list ACLs (CLUSTER DESCRIBE), exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafkalab-acl-cli-'));
    try {
      const file = join(dir, 'alice.properties');
      writeFileSync(
        file,
        'security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\n' +
          'sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" password="alice-secret";\n',
      );
      const run = await runCli([
        'acls',
        '--bootstrap-server',
        saslAddress(e),
        '--command-config',
        file,
        '--list',
      ]);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(
        /^Error while executing ACL command: org\.apache\.kafka\.common\.errors\.ClusterAuthorizationException: Request Request\(api=DescribeAcls, version=\d+, correlationId=\d+, session=Session\(User:alice,\/127\.0\.0\.1\), listenerName=ListenerName\(SASL_PLAINTEXT\)\) needs DESCRIBE permission\.\n$/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * A run's lines, sorted (the Java tool's order is a hash order); the first ACL under "Adding ACLs"
 * carries the tool's extra leading space, which moves with the order.
 */
function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.replace(/^ \t/, '\t'))
    .sort();
}

/**
 * A message's `[A, B, C]` lists with their items sorted: the tool prints a Java Set of enum values
 * ("ResourceType CLUSTER only supports operations [...]"), whose order follows identity hash codes and
 * so changes from one JVM to the next.
 */
function setsSorted(line: string): string {
  return line.replace(/\[([^\]]*)\]/g, (_, items: string) => `[${items.split(', ').sort().join(', ')}]`);
}

describe.skipIf(!hasJava)('kafkalab acls and Kafka 4.1.1 kafka-acls print the same', () => {
  let forJava: SecureEmulator;
  let forKafkalab: SecureEmulator;
  beforeAll(async () => {
    [forJava, forKafkalab] = await Promise.all([emulator(), emulator()]);
  });
  afterAll(async () => {
    await forJava?.stop();
    await forKafkalab?.stop();
  });

  const steps: string[][] = [
    ['--list'],
    ['--add', '--allow-principal', 'User:alice', '--operation', 'Read', '--topic', 'orders'],
    [
      '--add',
      '--allow-principal',
      'User:alice',
      '--allow-principal',
      'User:bob',
      '--operation',
      'Read',
      '--operation',
      'Write',
      '--topic',
      'pay-',
      '--resource-pattern-type',
      'prefixed',
    ],
    [
      '--add',
      '--deny-principal',
      'User:eve',
      '--deny-host',
      '10.0.0.1',
      '--operation',
      'All',
      '--group',
      'g1',
    ],
    ['--add', '--allow-principal', 'User:alice', '--operation', 'Describe', '--cluster'],
    ['--add', '--allow-principal', 'User:alice', '--operation', 'Write', '--transactional-id', 'tx'],
    [
      '--add',
      '--producer',
      '--idempotent',
      '--allow-principal',
      'User:carol',
      '--topic',
      'out',
      '--transactional-id',
      'tx2',
    ],
    ['--list'],
    ['--list', '--topic', 'orders'],
    ['--list', '--topic', 'pay-eu', '--resource-pattern-type', 'match'],
    ['--list', '--principal', 'User:alice'],
    ['--remove', '--force', '--allow-principal', 'User:alice', '--operation', 'Read', '--topic', 'orders'],
    ['--remove', '--force', '--topic', 'pay-', '--resource-pattern-type', 'prefixed'],
    ['--list'],
    ['--add', '--allow-principal', 'alice', '--operation', 'Read', '--topic', 'x'],
    ['--add', '--operation', 'Read', '--topic', 'x'],
    ['--add', '--allow-principal', 'User:a', '--operation', 'Read', '--cluster'],
    ['--add', '--allow-principal', 'User:a', '--topic', 'x', '--resource-pattern-type', 'match'],
    ['--list', '--topic', 'x', '--resource-pattern-type', 'bogus'],
    [],
  ];

  it('every step: same exit code, same stdout lines, same first stderr line', async () => {
    for (const step of steps) {
      const javaRun = await runKafkaTool('kafka-acls', ['--bootstrap-server', forJava.bootstrap, ...step], {
        timeoutMs: 60_000,
      });
      const ours = await runCli(['acls', '--bootstrap-server', forKafkalab.bootstrap, ...step]);
      const what = `${step.join(' ')}\n${describeToolResult(javaRun)}\nkafkalab:\n${ours.stdout}${ours.stderr}`;
      expect(ours.code, what).toBe(javaRun.exitCode);
      // The Java tool follows an error line with a stack trace (stdout) or its help (stderr).
      const javaStdout = javaRun.stdout.startsWith('Error while executing ACL command:')
        ? `${javaRun.stdout.split('\n')[0]}\n`
        : javaRun.stdout;
      expect(lines(ours.stdout), what).toEqual(lines(javaStdout));
      expect(setsSorted(ours.stderr.split('\n')[0]?.replace(/^kafkalab: /, '') ?? ''), what).toBe(
        setsSorted(javaRun.stderr.split('\n')[0] ?? ''),
      );
    }
  }, 300_000);
});
