/**
 * Runs every command of docs/tutorial.md and docs/tutorial.ko.md (and of each chapter in docs/chapters/,
 * NAME.md with its translation NAME.ko.md) against fresh emulators and checks
 * the output printed in the tutorial, so that the tutorials cannot go stale.
 *
 * How a tutorial is read (the convention a tutorial author follows):
 *
 * - ```console            Every line starting with `$ ` is a command, run as written by bash in a
 *                         scratch directory laid out like a project that depends on kafkalab
 *                         (node_modules/kafkalab → this checkout, node_modules/.bin/kafkalab → the
 *                         built dist/cli/main.js), so `npx kafkalab …` finds the local bin as it would
 *                         there. A bare `kafkalab` is not on PATH, as it is not for a user. The lines
 *                         after it, up to the next `$ ` or the end of the block, are its output:
 *                         stdout and stderr as a terminal shows them (one stream, in the order
 *                         written). A command's exit code is not checked; its output is.
 * - ```console emulator   One `$ npx kafkalab emulator … --port N …` command, started in the background
 *                         and left running until the tutorial ends. N is a placeholder: the test
 *                         passes 0 wherever N stands in that command (--port N, a listener's :N),
 *                         reads the port from its first listening line and, from then on, replaces N (as a whole word) in every
 *                         command and every expected line with the real port. The block's other lines must appear in
 *                         the emulator's output, in order (as for emulator-output below).
 * - ```text emulator-output N  Lines that the emulator started with `--port N` must have printed by
 *                         now, in this order, not necessarily adjacent (an excerpt of its --trace or
 *                         --explain output). Without N: the most recently started emulator.
 * - Any other fence (```console no-run, ```sh, ```text …) is only shown, never run: commands for a real
 *   broker, or for a learner's second terminal.
 *
 * Matching an expected line against an actual one: tabs count as spaces, runs of spaces as one space,
 * and trailing spaces are ignored; `…` matches any characters (none included) within the line, for
 * what changes from run to run (ids, timings, ports the emulator picked). A line that is only `…`
 * matches any number of lines, none included. Everything else must be equal.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_MAIN, ROOT } from '../support/cli.js';
import { lineMatches, outputMatches, WILDCARD } from './doc-output.js';

const COMMAND_TIMEOUT_MS = 180_000;
const OUTPUT_WAIT_MS = 10_000;

interface Command {
  command: string;
  expected: string[];
  /** 1-based line of the `$ ` line in the markdown. */
  line: number;
}

type Block =
  | { kind: 'run'; line: number; commands: Command[] }
  | { kind: 'emulator'; line: number; command: Command }
  | { kind: 'emulator-output'; line: number; expected: string[]; port?: string };

function parseTutorial(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)(?:[ \t]+(\S+))?(?:[ \t]+(\d+))?[ \t]*$/.exec(lines[i]);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```[ \t]*$/.test(lines[i]); i++) body.push(lines[i]);
    if (i >= lines.length) throw new Error(`unclosed fence opened on line ${start + 1}`);
    const [lang, tag] = [open[1], open[2]];
    if (lang === 'console' && (tag === undefined || tag === 'emulator')) {
      const commands: Command[] = [];
      body.forEach((l, k) => {
        if (l.startsWith('$ ')) commands.push({ command: l.slice(2), expected: [], line: start + 2 + k });
        else if (commands.length > 0) commands[commands.length - 1].expected.push(l);
        else throw new Error(`line ${start + 2 + k}: output before the first $ command`);
      });
      if (tag === 'emulator') {
        if (commands.length !== 1 || !/^npx kafkalab emulator .*--port \d+/.test(commands[0].command))
          throw new Error(
            `line ${start + 1}: a console emulator block holds one "npx kafkalab emulator … --port N"`,
          );
        blocks.push({ kind: 'emulator', line: start + 1, command: commands[0] });
      } else blocks.push({ kind: 'run', line: start + 1, commands });
    } else if (lang === 'text' && tag === 'emulator-output') {
      blocks.push({ kind: 'emulator-output', line: start + 1, expected: body, port: open[3] });
    }
  }
  return blocks;
}

/** Every expected line appears in `actual`, in order, not necessarily adjacent. */
function appearsInOrder(expected: string[], actual: string[]): boolean {
  let j = 0;
  for (const e of expected) {
    if (e.trim() === WILDCARD || e.trim() === '') continue;
    while (j < actual.length && !lineMatches(e, actual[j])) j++;
    if (j === actual.length) return false;
    j++;
  }
  return true;
}

interface RunningEmulator {
  child: ChildProcess;
  output: string;
  waiters: Set<() => void>;
}

class TutorialRun {
  private dir = '';
  private readonly ports = new Map<string, string>();
  private readonly emulators: RunningEmulator[] = [];
  private readonly byPlaceholder = new Map<string, RunningEmulator>();

  async setUp(): Promise<void> {
    this.dir = await mkdtemp(join(tmpdir(), 'kafkalab-tutorial-'));
    // What `npm install kafkalab` leaves in a project: the package, and its bin linked in .bin
    // (a shim here, so that the bin runs with this Node whatever dist/'s file mode is).
    await mkdir(join(this.dir, 'node_modules', '.bin'), { recursive: true });
    await symlink(ROOT, join(this.dir, 'node_modules', 'kafkalab'));
    const shim = join(this.dir, 'node_modules', '.bin', 'kafkalab');
    await writeFile(shim, `#!/bin/sh\nexec "${process.execPath}" "${CLI_MAIN}" "$@"\n`);
    await chmod(shim, 0o755);
  }

  async tearDown(): Promise<void> {
    await Promise.all(
      this.emulators.map(
        (e) =>
          new Promise<void>((resolve) => {
            if (e.child.exitCode !== null || e.child.signalCode !== null) return resolve();
            // npx → sh → node: signal the whole process group the test started, as Ctrl-C does.
            const signal = (s: NodeJS.Signals) => {
              try {
                process.kill(-e.child.pid!, s);
              } catch {
                // the group is gone already
              }
            };
            const timer = setTimeout(() => signal('SIGKILL'), 10_000);
            e.child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            signal('SIGTERM');
          }),
      ),
    );
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }

  /** `9092` → `41234` (whole words) for every placeholder port seen so far. */
  substitute(text: string): string {
    let out = text;
    for (const [placeholder, port] of this.ports)
      out = out.replace(new RegExp(`\\b${placeholder}\\b`, 'g'), port);
    return out;
  }

  /** In its own process group (detached), so that teardown can stop npx and what it started. */
  private spawnBash(command: string): ChildProcess {
    return spawn('bash', ['-c', command], {
      cwd: this.dir,
      env: { ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
  }

  async run(c: Command): Promise<string[]> {
    // One stream for stdout and stderr, as in a terminal: what is written first is shown first.
    const child = this.spawnBash(`exec 2>&1\n${this.substitute(c.command)}`);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => {
      stdout += d;
    });
    child.stderr!.on('data', (d) => {
      stderr += d;
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        process.kill(-child.pid!, 'SIGKILL');
        reject(new Error(`line ${c.line}: "${c.command}" did not finish within ${COMMAND_TIMEOUT_MS} ms`));
      }, COMMAND_TIMEOUT_MS);
      child.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    return (stdout + stderr).replace(/\n$/, '').split('\n');
  }

  async startEmulator(c: Command): Promise<void> {
    const placeholder = /--port (\d+)/.exec(c.command)![1];
    // The placeholder port anywhere in the command (--port N, or a listener's :N in
    // `--override listeners=SASL_SSL://127.0.0.1:N`) becomes 0: a free port, read back below.
    const command = this.substitute(c.command).replace(new RegExp(`\\b${placeholder}\\b`, 'g'), '0');
    const child = this.spawnBash(`exec ${command}`);
    const e: RunningEmulator = { child, output: '', waiters: new Set() };
    const onData = (d: Buffer) => {
      e.output += d;
      for (const w of e.waiters) w();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    this.emulators.push(e);
    // `127.0.0.1:PORT`, or `NAME://127.0.0.1:PORT` for an emulator with named listeners.
    const ready = /^kafkalab emulator listening on (?:[A-Z_]+:\/\/)?127\.0\.0\.1:(\d+) /m;
    await this.waitFor(e, () => ready.test(e.output), `line ${c.line}: the emulator did not start`);
    this.ports.set(placeholder, ready.exec(e.output)![1]);
    this.byPlaceholder.set(placeholder, e);
  }

  /** Waits (bounded) until the emulator of `placeholder` (or the latest one) has printed `expected` in order. */
  async emulatorPrinted(expected: string[], line: number, placeholder?: string): Promise<void> {
    const e = placeholder === undefined ? this.emulators.at(-1) : this.byPlaceholder.get(placeholder);
    if (!e)
      throw new Error(
        `line ${line}: no emulator was started${placeholder ? ` with --port ${placeholder}` : ''}`,
      );
    const want = expected.map((l) => this.substitute(l));
    await this.waitFor(
      e,
      () => appearsInOrder(want, e.output.split('\n')),
      `line ${line}: the emulator's output lacks, in this order:\n${want.join('\n')}\n--- it printed ---\n${e.output.slice(-6000)}`,
    );
  }

  /** Re-checks on every chunk the emulator prints: no polling, bounded by OUTPUT_WAIT_MS. */
  private waitFor(e: RunningEmulator, done: () => boolean, failure: string): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const finish = (err?: Error) => {
        clearTimeout(timer);
        e.waiters.delete(check);
        e.child.off('exit', onExit);
        if (err) reject(err);
        else resolve();
      };
      const check = () => {
        if (done()) finish();
      };
      const onExit = () => finish(done() ? undefined : new Error(`${failure}\n(the emulator exited)`));
      const timer = setTimeout(() => finish(new Error(failure)), OUTPUT_WAIT_MS);
      e.waiters.add(check);
      e.child.once('exit', onExit);
    });
  }
}

// The main tutorial, then one chapter per later feature (docs/chapters/NAME.md beside NAME.ko.md),
// each run against emulators of its own. Paths are relative to docs/.
const CHAPTERS = (await readdir(join(ROOT, 'docs', 'chapters')).catch(() => []))
  .filter((f) => f.endsWith('.md') && !f.endsWith('.ko.md'))
  .sort()
  .map((f) => `chapters/${f}`);
const PAIRS: [string, string][] = [
  ['tutorial.md', 'tutorial.ko.md'],
  ...CHAPTERS.map((en): [string, string] => [en, en.replace(/\.md$/, '.ko.md')]),
];
const TUTORIALS = PAIRS.flat();
const parsed = new Map<string, Block[]>();
for (const name of TUTORIALS) {
  parsed.set(name, parseTutorial(await readFile(join(ROOT, 'docs', name), 'utf8')));
}

const commandsOf = (blocks: Block[]) =>
  blocks.flatMap((b) =>
    b.kind === 'run' ? b.commands.map((c) => c.command) : b.kind === 'emulator' ? [b.command.command] : [],
  );

describe('the tutorials', () => {
  it('both tutorials run the same commands, and there are enough to be a tutorial', () => {
    const [en, ko] = ['tutorial.md', 'tutorial.ko.md'].map((n) => commandsOf(parsed.get(n)!));
    expect(ko).toEqual(en);
    expect(en.length).toBeGreaterThanOrEqual(12);
    expect(
      parsed.get('tutorial.md')!.filter((b) => b.kind === 'emulator-output').length,
    ).toBeGreaterThanOrEqual(4);
  });

  it('every chapter has its Korean translation running the same commands, and is more than a page', () => {
    for (const [en, ko] of PAIRS) {
      expect(commandsOf(parsed.get(ko)!), `docs/${ko}`).toEqual(commandsOf(parsed.get(en)!));
      expect(commandsOf(parsed.get(en)!).length, `docs/${en}`).toBeGreaterThanOrEqual(4);
    }
  });

  it('every command is `npx kafkalab …`: npm links no bare kafkalab onto PATH', () => {
    for (const name of TUTORIALS) {
      const bare = commandsOf(parsed.get(name)!).filter((c) => /(^|[|;&]\s*)kafkalab\b/.test(c));
      expect(bare, `docs/${name}`).toEqual([]);
    }
  });

  it('the matcher: wildcards within a line and across lines, whitespace, order', () => {
    expect(
      lineMatches(
        'Topic: test\tTopicId: …\tPartitionCount: 2',
        'Topic: test  TopicId: AbC\tPartitionCount: 2',
      ),
    ).toBe(true);
    expect(lineMatches('Topic: test …', 'Topic: tests x')).toBe(false);
    expect(lineMatches('a.b', 'axb')).toBe(false);
    expect(outputMatches(['first', '…', 'last'], ['first', 'x', 'y', 'last'])).toBe(true);
    expect(outputMatches(['first', '…', 'last'], ['first', 'last'])).toBe(true);
    expect(outputMatches(['first', 'last'], ['first', 'middle', 'last'])).toBe(false);
    expect(outputMatches(['only'], ['only', '', ''])).toBe(true);
    expect(appearsInOrder(['b', 'd'], ['a', 'b', 'c', 'd'])).toBe(true);
    expect(appearsInOrder(['d', 'b'], ['a', 'b', 'c', 'd'])).toBe(false);
  });
});

for (const name of TUTORIALS) {
  describe(`docs/${name}, command by command against fresh emulators (built bin)`, () => {
    const tutorial = new TutorialRun();
    beforeAll(() => tutorial.setUp());
    afterAll(() => tutorial.tearDown(), 30_000);

    for (const block of parsed.get(name)!) {
      if (block.kind === 'emulator') {
        it(`line ${block.line}: $ ${block.command.command}`, async () => {
          await tutorial.startEmulator(block.command);
          await tutorial.emulatorPrinted(block.command.expected, block.line);
        });
      } else if (block.kind === 'emulator-output') {
        it(`line ${block.line}: the emulator printed ${JSON.stringify(block.expected[0] ?? '')}…`, async () => {
          await tutorial.emulatorPrinted(block.expected, block.line, block.port);
        });
      } else {
        for (const c of block.commands) {
          it(
            `line ${c.line}: $ ${c.command}`,
            async () => {
              const actual = await tutorial.run(c);
              const expected = c.expected.map((l) => tutorial.substitute(l));
              if (!outputMatches(expected, actual)) {
                // The whole of both, so that updating the tutorial is a copy away.
                expect(actual.join('\n')).toBe(expected.join('\n'));
              }
            },
            COMMAND_TIMEOUT_MS + 10_000,
          );
        }
      }
    }
  });
}
