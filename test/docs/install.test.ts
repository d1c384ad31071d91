// What a new user's `npm ci` says, and the Node version said once: package.json `engines` and the
// README's "On a fresh machine" name the same floor, and installing the project's tree under the
// running Node prints no EBADENGINE (the benchmark peer whose dependencies want Node >= 22.19 lives in
// bench/package.json, its own tree). `npm ci --dry-run` reads the lockfile only: nothing is installed.
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runProcess } from '../support/cli.js';

const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'));

describe('installing', () => {
  it('names one Node floor: engines and the README agree', async () => {
    const floor = /^>=(\d+)\.(\d+)\.0$/.exec(pkg.engines.node);
    expect(floor, `engines.node ${pkg.engines.node}`).not.toBeNull();
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(`Node ${floor![1]}.${floor![2]} or newer`);
    const [major, minor] = process.versions.node.split('.').map(Number);
    expect(major > Number(floor![1]) || (major === Number(floor![1]) && minor >= Number(floor![2]))).toBe(
      true,
    );
  });

  it('npm ci warns of no unsupported engine under this Node', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kafkalab-install-'));
    try {
      await copyFile(join(ROOT, 'package.json'), join(dir, 'package.json'));
      await copyFile(join(ROOT, 'package-lock.json'), join(dir, 'package-lock.json'));
      const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
      const r = await runProcess(npm, ['ci', '--dry-run', '--ignore-scripts', '--no-audit', '--no-fund'], {
        cwd: dir,
        timeoutMs: 120_000,
      });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout + r.stderr).not.toMatch(/EBADENGINE/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 150_000);

  it('keeps the benchmark peer in its own tree', async () => {
    expect(pkg.devDependencies['@platformatic/kafka']).toBeUndefined();
    const bench = JSON.parse(await readFile(join(ROOT, 'bench', 'package.json'), 'utf8'));
    expect(bench.type).toBe(pkg.type); // bench/*.ts keep the root's module format
    expect(bench.devDependencies['@platformatic/kafka']).toBeDefined();
    const lock = JSON.parse(await readFile(join(ROOT, 'bench', 'package-lock.json'), 'utf8'));
    expect(lock.packages['node_modules/@platformatic/kafka'].version).toBe(
      bench.devDependencies['@platformatic/kafka'],
    );
  });
});
