// `npm run prepare` (after `npm ci`, and whenever npm installs this checkout as a package):
// with --build, builds dist/ unless it is already newer than every source file, then links the bin.
//
// Why skip a fresh build: in a clone, `npx kafkalab` finds the root package's own `kafkalab` bin,
// so npm (10.x/11) installs the checkout into its npx cache as a link and runs `prepare` there —
// a full `tsc` (6.6 s on an idle 2-core machine) on the first `npx kafkalab` after every `npm ci`.
// With dist/ fresh, that first run costs what any other does.
//
// Why link: npm links the bins of dependencies, never the root package's own, so after the build we
// link ours into node_modules/.bin ourselves (scripts and tools that look there find it).
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'dist', 'cli', 'main.js');
const link = join(root, 'node_modules', '.bin', 'kafkalab');

function newestMtime(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

if (process.argv.includes('--build')) {
  const sources = Math.max(
    newestMtime(join(root, 'src')),
    ...['tsconfig.build.json', 'tsconfig.json', 'package.json'].map((f) => statSync(join(root, f)).mtimeMs),
  );
  if (existsSync(target) && statSync(target).mtimeMs >= sources) {
    console.log('kafkalab: dist/ is newer than the sources; build skipped (npm run build forces one)');
  } else {
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  }
}
chmodSync(target, 0o755);
mkdirSync(dirname(link), { recursive: true });
rmSync(link, { force: true });
symlinkSync(relative(dirname(link), target), link);
