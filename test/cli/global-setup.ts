// Builds the CLI once per test run (tsc -p tsconfig.build.json → dist/), so that test/cli/bin.test.ts
// runs the very file the package's `bin` points at. Skipped when dist/ is newer than every source file.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CLI_MAIN, ROOT } from '../support/cli.js';

function newestSource(dir: string, depth = 0): number {
  let newest = 0;
  if (depth > 10) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path, depth + 1));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

export default async function setup(): Promise<void> {
  const sources = Math.max(
    newestSource(join(ROOT, 'src')),
    statSync(join(ROOT, 'tsconfig.build.json')).mtimeMs,
  );
  if (existsSync(CLI_MAIN) && statSync(CLI_MAIN).mtimeMs >= sources) return;
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    await promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
      cwd: ROOT,
      maxBuffer: 16 << 20,
    });
  } catch (err) {
    // tsc still emits JavaScript when some file has a type error; the CLI tests can run as long as
    // the entry point exists (the type errors are reported by `npm run typecheck`, not here).
    if (!existsSync(CLI_MAIN)) throw err;
    const out = (err as { stdout?: string }).stdout ?? '';
    process.stderr.write(
      `test/cli/global-setup: build reported errors, using what it emitted:\n${out.slice(0, 2000)}\n`,
    );
  }
}
