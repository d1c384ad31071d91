// subscribedTopicRegex as Kafka 4.1.1: RE2/J syntax, the whole topic name matched. RE2/J itself
// (the re2j-1.8 jar Kafka 4.1.1 ships, through test/support/re2j/Re2jOracle.java) is the oracle:
// for a hand-picked corpus of what JavaScript and RE2 read differently, and for seeded random
// patterns, the emulator's parse (src/emulator/state/group-consumer/re2j.ts) must refuse exactly
// what RE2/J refuses, with its description, and match exactly the topic names RE2/J matches.
// Then kafkalab's Consumer (groupProtocol 'consumer', subscribe({ topicPattern })) against the
// emulator: an RE2-only pattern resolves, a JavaScript-only one fails with Kafka's
// INVALID_REGULAR_EXPRESSION message, and a topic created later is picked up.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Admin } from '../../src/client/admin.js';
import { Consumer } from '../../src/client/consumer/index.js';
import { KafkaProtocolError } from '../../src/client/errors.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { compileTopicRegex, Re2SyntaxError } from '../../src/emulator/state/group-consumer/re2j.js';
import { ManualClock } from '../../src/emulator/state/groups.js';
import { kafkaToolsEnv } from '../support/kafka-tools.js';
import { poke, until } from '../support/until.js';

const ORACLE = join(import.meta.dirname, '../support/re2j/Re2jOracle.java');

const TOPICS = [
  'orders',
  'orders-eu',
  'orders.eu',
  'Orders',
  'ORDERS',
  'payments',
  'pay_2024',
  'a',
  'b',
  'ab',
  'aaa',
  'k',
  'K',
  's',
  'x-1',
  'x.1',
  '_x',
  '0',
  '12',
  'a1b2',
  '__consumer_offsets',
];

/** Where JavaScript's RegExp and RE2/J part ways, and the syntax around them. */
const CORPUS = [
  // whole-name match, not search
  ...['orders', 'order', 'ord', 'rders', '.*', 'orders|payments', '(orders|pay).*', 'o.*s', 'x.1', 'x\\.1'],
  // what RE2 refuses and JavaScript takes
  ...['(?=o)orders', '(?!o)orders', '(?<=o)rders', '(?<!o)rders', '(a)\\1', '\\1', '(?<n>o)\\k<n>', '\\k'],
  ...['(?#c)orders', '(?>o)', '\\u0061', '\\cA', '\\Z', '\\C', '\\e', '\\8', 'a**', 'a{2}{3}', 'a{2}*', '{*'],
  // what RE2 takes and JavaScript reads otherwise (or refuses in 'u' mode)
  ...['[]a]', '[^]a]+', '\\Qx.1\\E', '\\Qx.', '\\pL+', '\\PL+', '\\p{Lu}+', '\\p{^Lu}+', '\\p{Latin}+'],
  ...['\\p{Common}+', '\\p{Any}+', '\\p{Greek}', '[[:upper:]]+', '[[:alpha:][:digit:]]+', '[[:^alpha:]]+'],
  ...[
    '[[:word:]]+',
    '[[:punct:]]',
    '(?i)orders',
    '(?i:ORD)ers',
    '(?i)[a-c]',
    '(?i)[^a]',
    '(?i)\u212A',
    '(?i)\u017F',
  ],
  ...[
    '(?i)(?-i)orders',
    '(?i)ORDERS|PAY.*',
    '(?U)o.*',
    '(?s).*',
    '(?m)^orders$',
    '(?P<n>orders)',
    '(?<n>orders)',
  ],
  ...[
    '\\Aorders\\z',
    '^^orders$$',
    '^*orders',
    '\\borders\\b',
    'x\\b-1',
    'x\\B-1',
    'a{,3}',
    'a{01}',
    'a{',
    'a{x}',
    '{',
  ],
  ...[
    '\\x61',
    '\\x{61}',
    '\\141',
    '\\12',
    '\\0',
    '\\_x',
    '\\-',
    '[\\d]+',
    '[\\w.-]+',
    '[a-]+',
    '[-a]+',
    '[a-b-c]+',
  ],
  // RE2's own refusals
  ...[
    '(orders',
    'orders)',
    ')',
    '[]',
    '[z-a]',
    '[a-\\d]',
    '[\\Q]',
    '[\\b]',
    '[[:foo:]]',
    '[[:alpha:]',
    '\\p{Chakma}',
  ],
  ...[
    '\\p{Foo}',
    '\\p',
    '\\',
    'a\\',
    '*',
    '+a',
    '(*)',
    '(?i)*',
    '(?-)',
    '(?i-)',
    '(?',
    '(?P=n)',
    '(?<>a)',
    '(?<n-x>a)',
  ],
  ...[
    '(?P<n>o)(?P<n>r)',
    '\\x{110000}',
    '\\xZ',
    '\\x6',
    'a{1001}',
    'a{2,1}',
    'a{99999999999}',
    'a{1000}',
    '(a{500}){3}',
  ],
];

/** Seeded random patterns from regex fragments: syntax corners nobody lists by hand. */
function randomPatterns(seed: number, count: number): string[] {
  const tokens = [
    ...[
      'a',
      'b',
      'k',
      'K',
      's',
      'o',
      'x',
      '1',
      '2',
      '0',
      '.',
      '-',
      '_',
      '*',
      '+',
      '?',
      '|',
      '(',
      ')',
      '[',
      ']',
    ],
    ...[
      '^',
      '$',
      '{',
      '}',
      ',',
      '\\',
      'd',
      'w',
      'p',
      'Q',
      'E',
      ':',
      '<',
      '>',
      'P',
      '=',
      '!',
      'A',
      'z',
      'L',
      'i',
    ],
    ...[
      '(?',
      '(?i)',
      '(?-i)',
      '(?i:',
      '(?P<g',
      '(?<h>',
      '[^',
      '[:alpha:]',
      '[:^digit:]',
      '\\d',
      '\\W',
      '\\S',
    ],
    ...[
      '\\b',
      '\\B',
      '\\A',
      '\\z',
      '\\p{L}',
      '\\pN',
      '\\P{Lu}',
      '\\x2d',
      '\\x{5F}',
      '\\055',
      '\\.',
      '\\Q',
      '\\E',
    ],
    ...['{2}', '{1,2}', '{0}', '{1,}'],
  ];
  let s = seed;
  const next = () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let p = '';
    const n = 1 + Math.floor(next() * 8);
    for (let j = 0; j < n; j++) p += tokens[Math.floor(next() * tokens.length)];
    out.push(p);
  }
  return out;
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

/** RE2/J's answer per pattern: "ERR <description>" or "OK <matching topics>". */
async function re2j(patterns: string[]): Promise<string[]> {
  const env = await kafkaToolsEnv();
  const child = execFile(env.java, ['-cp', join(env.libs, 're2j-1.8.jar'), ORACLE], {
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000,
  });
  const output = new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`oracle exited ${code}`))));
  });
  child.stdin!.end(`${[TOPICS.join(','), ...patterns].map(b64).join('\n')}\n`);
  return (await output).split('\n').slice(0, patterns.length);
}

function ours(pattern: string): string {
  try {
    const re = compileTopicRegex(pattern);
    return `OK ${TOPICS.filter((t) => re.matches(t)).join(',')}`;
  } catch (e) {
    if (e instanceof Re2SyntaxError) return `ERR ${e.description}`;
    throw e;
  }
}

describe('subscribedTopicRegex against RE2/J 1.8 (the jar of Kafka 4.1.1)', () => {
  it('the corpus and 6,000 seeded random patterns: the same refusals (description) and the same whole-name matches', async () => {
    const patterns = [...CORPUS, ...randomPatterns(848, 6000)];
    const theirs = await re2j(patterns);
    const differ = patterns
      .map((p, i) => ({ pattern: p, re2j: theirs[i], emulator: ours(p) }))
      .filter((d) => d.re2j !== d.emulator);
    expect(differ).toEqual([]);
    // The corpus is not trivially one-sided: RE2/J refuses some and matches something with others.
    const corpus = theirs.slice(0, CORPUS.length);
    expect(corpus.filter((r) => r.startsWith('ERR')).length).toBeGreaterThan(30);
    expect(corpus.filter((r) => r.startsWith('OK ') && r.length > 3).length).toBeGreaterThan(40);
  }, 180_000);
});

describe("kafkalab's Consumer with a topicPattern against the emulator", () => {
  let emulator: Emulator;
  const open = new Set<Consumer>();
  // The cluster's clock, stepped by the test: the regex resolutions and their 10 s batching run on it.
  const clock = new ManualClock(Date.now());

  beforeAll(async () => {
    emulator = await startEmulator({
      clock,
      topics: [
        { name: 'rx-orders', partitions: 2 },
        { name: 'rx-orders-eu', partitions: 1 },
        { name: 'RX-ORDERS', partitions: 1 },
      ],
      groupConsumerHeartbeatIntervalMs: 100,
    });
    emulator.hooks.observe('*', (e) => {
      if (e.api.name === 'ConsumerGroupHeartbeat') {
        const g = String((e.request as { groupId: string }).groupId);
        heartbeats.set(g, heartbeatsOf(g) + 1);
      }
      poke();
    });
  });

  afterAll(async () => {
    await Promise.all([...open].map((c) => c.close({ timeoutMs: 5_000 })));
    await emulator?.stop();
  });

  function member(groupId: string, topicPattern: string) {
    const m: { consumer: Consumer; error?: unknown } = {
      consumer: new Consumer({
        bootstrap: emulator.bootstrap,
        groupId,
        groupProtocol: 'consumer',
        autoOffsetReset: 'earliest',
        fetchMaxWaitMs: 100,
        listener: { onPartitionsAssigned: () => poke(), onPartitionsRevoked: () => poke() },
      }),
    };
    open.add(m.consumer);
    m.consumer.subscribe({ topicPattern });
    m.consumer.run({ eachMessage: () => {} }).catch((err) => {
      m.error = err;
      poke();
    });
    return m;
  }
  const heartbeats = new Map<string, number>();
  const heartbeatsOf = (g: string) => heartbeats.get(g) ?? 0;
  const assigned = (c: Consumer) =>
    c
      .assignment()
      .map((p) => `${p.topic}-${p.partition}`)
      .sort();

  it('RE2 syntax JavaScript lacks ((?i), [[:alpha:]], \\Q..\\E) resolves, matching whole names', async () => {
    // (?i) takes RX-ORDERS too; the whole name must match, so rx-orders-eu stays out.
    const m = member('rx-g1', '(?i)\\Qrx-\\E[[:alpha:]]+');
    await until('the pattern resolved', () => {
      clock.advance(0); // the resolution, scheduled by the join, runs
      if (m.error) throw m.error;
      return assigned(m.consumer).length === 3;
    });
    expect(assigned(m.consumer)).toEqual(['RX-ORDERS-0', 'rx-orders-0', 'rx-orders-1']);
  });

  it("a lookahead (JavaScript has it, RE2 not) fails the consumer with INVALID_REGULAR_EXPRESSION and RE2/J's description", async () => {
    const m = member('rx-g2', 'rx-(?!eu).*');
    await until('the run fails', () => m.error !== undefined);
    expect(m.error).toBeInstanceOf(KafkaProtocolError);
    expect(String(m.error)).toMatch(/INVALID_REGULAR_EXPRESSION/);
    expect(String(m.error)).toContain(
      'SubscribedTopicRegex `rx-(?!eu).*` is not a valid regular expression: invalid or unsupported Perl syntax.',
    );
  });

  it('a topic created later is picked up (the next resolution: topics were created since the last)', async () => {
    const m = member('rx-g3', 'rx-orders(-[a-z]{2})?');
    await until('the pattern resolved', () => {
      clock.advance(0);
      if (m.error) throw m.error;
      return assigned(m.consumer).length === 3;
    });
    const admin = new Admin({ bootstrap: emulator.bootstrap });
    try {
      await admin.createTopics({
        topics: [
          { topic: 'rx-orders-us', numPartitions: 1 },
          { topic: 'rx-orders-usa', numPartitions: 1 },
        ],
      });
    } finally {
      await admin.close();
    }
    const beatsBefore = heartbeatsOf('rx-g3');
    // Kafka resolves a group's regexes at most once per 10 s (REGEX_BATCHING_INTERVAL_MS): within
    // them nothing moves; past them the next heartbeat starts a resolution (topics were created).
    clock.advance(9_000);
    await until('a heartbeat within the 10 s', () => {
      clock.advance(0);
      return heartbeatsOf('rx-g3') > beatsBefore;
    });
    expect(assigned(m.consumer)).not.toContain('rx-orders-us-0');
    clock.advance(1_001);
    await until('rx-orders-us assigned', () => {
      clock.advance(0);
      if (m.error) throw m.error;
      return assigned(m.consumer).includes('rx-orders-us-0');
    });
    expect(assigned(m.consumer)).toEqual(['rx-orders-0', 'rx-orders-1', 'rx-orders-eu-0', 'rx-orders-us-0']);
  });
});
