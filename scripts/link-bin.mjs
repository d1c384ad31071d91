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
//
// Why bench peers here: @platformatic/kafka (a peer the benchmarks compare against) depends on
// packages whose engines say Node >= 22.19, and in the project's own tree npm warned EBADENGINE on
// every `npm ci` under the Node 20 the project supports. They run on Node 20, so they live in their
// own tree, bench/package.json → bench/node_modules (found first from bench/*.ts), installed here
// once when missing: `npm ci` still leaves everything `npm test` and `npm run bench:*` need.
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
const benchPeers = join(root, 'bench', 'package.json');
if (process.argv.includes('--build') && existsSync(benchPeers)) {
  if (!existsSync(join(root, 'bench', 'node_modules', '@platformatic', 'kafka'))) {
    console.log('kafkalab: installing the benchmark peers of bench/package.json into bench/node_modules');
    const npm = process.env.npm_execpath;
    const args = ['ci', '--prefix', 'bench', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'];
    if (npm) execFileSync(process.execPath, [npm, ...args], { cwd: root, stdio: 'inherit' });
    else execFileSync('npm', args, { cwd: root, stdio: 'inherit' });
  }
}
chmodSync(target, 0o755);
mkdirSync(dirname(link), { recursive: true });
rmSync(link, { force: true });
symlinkSync(relative(dirname(link), target), link);
