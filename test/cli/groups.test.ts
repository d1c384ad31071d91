// `kafkalab groups` against the emulator and Kafka's own kafka-consumer-groups (ConsumerGroupCommand
// from the 4.1.1 jars) against a real Kafka 4.1.1 broker: the same groups set up the same way
// (test/cli/groups-session.ts), the same ~60 commands (--list with --state/--type filters, --describe
// --offsets/--members/--state with --verbose and --all-groups, --reset-offsets with every
// specification dry-run and --execute, --delete-offsets, --delete, and the option errors), and the
// same text on stdout — column for column, padding and row order included. Member ids and the
// coordinator's address differ between brokers and are normalised away; Kafka's log lines (WARN
// New offset ...) are compared without their timestamp.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { runCli } from '../support/cli.js';
import { runKafkaTool } from '../support/kafka-tools.js';
import { type RealKafka, startRealKafka } from '../support/real-kafka.js';
import { type GroupsFixture, sessionCommands, setupGroups } from './groups-session.js';

const java = process.env.JAVA ?? (process.env.JAVA_HOME ? `${process.env.JAVA_HOME}/bin/java` : 'java');
const hasJava = spawnSync(java, ['-version'], { stdio: 'ignore', timeout: 30_000 }).status === 0;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}
type Runner = (args: string[]) => Promise<Run>;

const ours =
  (bootstrap: string): Runner =>
  async (args) => {
    const argv = ['groups', '--bootstrap-server', bootstrap, '--timeout', '10000', ...args];
    const r = await runCli(argv, { timeoutMs: 60_000 });
    // Another test run rebuilding dist/ (test/cli/global-setup.ts) can catch the bin mid-write: the
    // run then fails to load, before any of kafkalab's code. Once more is enough.
    if (/^(SyntaxError|Error \[ERR_|file:\/\/)/m.test(r.stderr)) return runCli(argv, { timeoutMs: 60_000 });
    return r;
  };

const kafkas =
  (bootstrap: string): Runner =>
  async (args) => {
    const r = await runKafkaTool(
      'kafka-consumer-groups',
      ['--bootstrap-server', bootstrap, '--timeout', '10000', ...args],
      {
        timeoutMs: 60_000,
      },
    );
    return { code: r.exitCode, stdout: r.stdout, stderr: r.stderr };
  };

/** What a command's run is compared on. */
interface Seen {
  stdout: string;
  /** The first line of a usage error, the state notices, Kafka's WARN lines without their log prefix. */
  stderr: string[];
}

function normalise(r: Run, f: GroupsFixture): Seen {
  const ids = (s: string) => {
    let out = s;
    // Same length, so that the columns' padding still compares.
    for (const id of f.memberIds()) out = out.split(id).join('M'.repeat(id.length));
    return out.replace(/127\.0\.0\.1:\d+ {2}\((\d+)\) */g, 'COORDINATOR($1) ');
  };
  const stderr: string[] = [];
  for (const raw of r.stderr.split('\n')) {
    const l = raw.replace(/^kafkalab: /, '');
    const warn = /WARN (New offset .*?)(?: \(org\.apache\.kafka[^)]*\))?$/.exec(l);
    if (warn) stderr.push(`WARN ${warn[1]}`);
    // Java lists the valid states from a HashSet of enum constants: an order that changes per JVM.
    else if (/^Invalid state list/.test(l))
      stderr.push(l.replace(/(are: )(.*)$/, (_, a, b) => a + b.split(', ').sort().join(', ')));
    else if (
      /^(Consumer group|Warning: Consumer group|WARN: No action|Invalid |Option [^ ]|One of the reset|Command must)/.test(
        l,
      )
    )
      stderr.push(l);
  }
  return { stdout: ids(r.stdout), stderr };
}

async function session(run: Runner, f: GroupsFixture): Promise<Record<string, Seen>> {
  const out: Record<string, Seen> = {};
  for (const [name, args] of sessionCommands(f)) out[name] = normalise(await run(args), f);
  return out;
}

/**
 * Where Kafka's own tool sees the emulator differently: the emulator serves DescribeGroups up to v5,
 * which answers an unknown group as Dead (the tool: "Consumer group 'x' does not exist."), where
 * Kafka 4.1.1 answers v6's GROUP_ID_NOT_FOUND (the tool: "... GroupIdNotFoundException: Group x not
 * found."). kafkalab's own command prints the latter on both.
 */
const TOOL_ON_EMULATOR_DIFFERS = new Set<string>(['describeMissing', 'stateMissing']);

let emulators: Emulator[] = [];
let kafka: RealKafka | undefined;

const newEmulator = async () => {
  // Kafka's 5 s consumer-group heartbeat would make the KIP-848 member slow to get its partition.
  const e = await startEmulator({ port: 0, groupConsumerHeartbeatIntervalMs: 250 });
  emulators.push(e);
  return `127.0.0.1:${e.port}`;
};

beforeAll(async () => {
  if (hasJava) kafka = await startRealKafka();
}, 300_000);

afterAll(async () => {
  for (const e of emulators) await e.stop();
  emulators = [];
  await kafka?.stop();
}, 60_000);

describe.runIf(hasJava)('kafkalab groups vs kafka-consumer-groups', () => {
  let toolOnKafka: Record<string, Seen>;

  it('kafka-consumer-groups on Kafka 4.1.1, then kafkalab groups on the emulator: the same output', async () => {
    const real = await setupGroups(kafka!.bootstrap, 'P');
    try {
      toolOnKafka = await session(kafkas(kafka!.bootstrap), real);
    } finally {
      await real.close();
    }
    const bootstrap = await newEmulator();
    const emu = await setupGroups(bootstrap, 'P');
    let oursOnEmulator: Record<string, Seen>;
    try {
      oursOnEmulator = await session(ours(bootstrap), emu);
    } finally {
      await emu.close();
    }
    // A few values pinned, so that a change of fixture that empties the tables cannot pass unseen.
    expect(toolOnKafka.describeEmpty.stdout).toContain(
      'P-empty         P-t2            0          3               6               3 ',
    );
    expect(toolOnKafka.membersConsumerVerbose.stdout).toMatch(/ 1 {15}P-t2:0 {15}1 {15}P-t2:0 {14}\n$/);
    expect(toolOnKafka.resetExecute.stdout).toContain(
      'P-empty                        P-t1                           2          1 ',
    );
    for (const name of Object.keys(toolOnKafka)) {
      expect.soft(oursOnEmulator[name], name).toEqual(toolOnKafka[name]);
    }
  }, 600_000);

  it('kafka-consumer-groups itself against the emulator answers as against Kafka 4.1.1 (--reset-offsets --execute included)', async () => {
    const bootstrap = await newEmulator();
    const emu = await setupGroups(bootstrap, 'P');
    let toolOnEmulator: Record<string, Seen>;
    try {
      toolOnEmulator = await session(kafkas(bootstrap), emu);
    } finally {
      await emu.close();
    }
    expect(toolOnEmulator.afterReset.stdout).toContain(
      'P-empty         P-t1            0          1               4               3 ',
    );
    for (const name of Object.keys(toolOnKafka)) {
      if (TOOL_ON_EMULATOR_DIFFERS.has(name)) continue;
      expect.soft(toolOnEmulator[name], name).toEqual(toolOnKafka[name]);
    }
  }, 600_000);

  it('kafkalab groups on Kafka 4.1.1 prints what it prints on the emulator', async () => {
    const real = await setupGroups(kafka!.bootstrap, 'Q');
    let oursOnKafka: Record<string, Seen>;
    try {
      oursOnKafka = await session(ours(kafka!.bootstrap), real);
    } finally {
      await real.close();
    }
    const bootstrap = await newEmulator();
    const emu = await setupGroups(bootstrap, 'Q');
    let oursOnEmulator: Record<string, Seen>;
    try {
      oursOnEmulator = await session(ours(bootstrap), emu);
    } finally {
      await emu.close();
    }
    for (const name of Object.keys(oursOnKafka)) {
      expect.soft(oursOnEmulator[name], name).toEqual(oursOnKafka[name]);
    }
  }, 600_000);
});
