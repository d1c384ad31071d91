/**
 * The README's examples, run: the code samples ("In code:", the first ```ts block, and every later one) as a project that
 * depends on kafkalab runs it (node_modules/kafkalab → this checkout, imports through the package's
 * `exports`, i.e. the built dist/), its output checked against the `// …` comment on its console.log
 * line; and every `kafkalab decode` of the tour and of the shown sessions, on the file it names, with
 * the shown output matched as in the tutorial test (test/docs/doc-output.ts).
 */
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_MAIN, ROOT, runProcess } from '../support/cli.js';
import { outputMatches } from './doc-output.js';

const readme = await readFile(join(ROOT, 'README.md'), 'utf8');

interface Fence {
  lang: string;
  body: string[];
  line: number;
}

function fences(markdown: string): Fence[] {
  const lines = markdown.split('\n');
  const out: Fence[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)/.exec(lines[i]);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i]);
    out.push({ lang: open[1], body, line: start + 1 });
  }
  return out;
}

const all = fences(readme);
const samples = all.filter((f) => f.lang === 'ts');
const sample = samples[0];

/** `npx kafkalab decode …` commands of the tour (sh blocks) and `$ npx kafkalab decode …` sessions. */
const tourDecodes = all
  .filter((f) => f.lang === 'sh')
  .flatMap((f) => f.body)
  .map((l) => /^npx kafkalab (decode .*?)\s*(?:#.*)?$/.exec(l)?.[1])
  .filter((c): c is string => c !== undefined);
const sessions = all
  .filter((f) => f.lang === '' && f.body[0]?.startsWith('$ npx kafkalab decode '))
  .map((f) => ({
    command: f.body[0].slice('$ npx kafkalab '.length),
    expected: f.body.slice(1),
    line: f.line,
  }));

const splitArgs = (command: string) => command.split(/\s+/).filter(Boolean);

describe('README.md', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kafkalab-readme-'));
    await mkdir(join(dir, 'node_modules'));
    await symlink(ROOT, join(dir, 'node_modules', 'kafkalab'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('has a code sample that produces and consumes, and it prints what its comment says', async () => {
    expect(sample, 'a ```ts block').toBeDefined();
    const code = sample!.body.join('\n');
    expect(code).toMatch(/new Producer\(/);
    expect(code).toMatch(/\.send\(/);
    expect(code).toMatch(/new Consumer\(/);
    expect(code).toMatch(/\.run\(/);
    await runSample(code, 'sample.mjs');
  }, 90_000);

  for (const later of samples.slice(1)) {
    it(`runs the code sample at line ${later.line} and it prints what its comments say`, async () => {
      await runSample(later.body.join('\n'), `sample-${later.line}.mjs`);
    }, 90_000);
  }

  /** Imports all used, every console.log saying its output in a comment, and printing it. */
  async function runSample(code: string, file: string) {
    // Every imported name is used.
    for (const m of code.matchAll(/^import \{([^}]*)\}/gm)) {
      for (const name of m[1].split(',').map((n) => n.trim())) {
        expect(code.split(name).length - 1, `${name} is imported and used`).toBeGreaterThan(1);
      }
    }
    const expected = code
      .split('\n')
      .filter((l) => l.includes('console.log('))
      .map((l) => /\/\/ (.*)$/.exec(l)?.[1]);
    expect(
      expected.every((e) => e !== undefined),
      'each console.log line says its output',
    ).toBe(true);
    // The sample is TypeScript without type annotations: it runs as an ES module as it stands.
    await writeFile(join(dir, file), code);
    const r = await runProcess(process.execPath, [join(dir, file)], { cwd: dir, timeoutMs: 60_000 });
    expect(r.timedOut, `the sample exits by itself; stderr: ${r.stderr}`).toBe(false);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toEqual(expected);
  }

  it('decodes files the repository has, in the tour', async () => {
    expect(tourDecodes.length).toBeGreaterThan(0);
    for (const command of tourDecodes) {
      const r = await runProcess(process.execPath, [CLI_MAIN, ...splitArgs(command)], {
        cwd: ROOT,
        timeoutMs: 30_000,
      });
      expect(r.stderr, command).toBe('');
      expect(r.exitCode, command).toBe(0);
    }
  });

  it('shows decode sessions that match what decode prints', async () => {
    expect(sessions.length).toBeGreaterThanOrEqual(2);
    for (const s of sessions) {
      const r = await runProcess(process.execPath, [CLI_MAIN, ...splitArgs(s.command)], {
        cwd: ROOT,
        timeoutMs: 30_000,
      });
      const actual = (r.stdout + r.stderr).replace(/\n$/, '').split('\n');
      if (!outputMatches(s.expected, actual)) {
        expect(actual.join('\n'), `README line ${s.line}: $ npx kafkalab ${s.command}`).toBe(
          s.expected.join('\n'),
        );
      }
    }
  });
});
