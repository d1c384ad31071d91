/**
 * franz-go's kfake — a fake Kafka cluster written independently of Kafka and kafkalab — with several
 * brokers, built from test/support/kfake (its own go.mod; the modules come from the Go module proxy,
 * which .ci/run warms up) and cached in the OS temp dir under a hash of its sources.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ChildCluster, startChildCluster } from './child-cluster.js';
import { runProcess } from './cli.js';

const SOURCE = join(import.meta.dirname, 'kfake');

/** `go` on PATH, else the Go that this project's machines install at /usr/local/go. */
function goCommand(): string {
  const onPath = (process.env.PATH ?? '').split(':').some((d) => d && existsSync(join(d, 'go')));
  if (onPath) return 'go';
  if (existsSync('/usr/local/go/bin/go')) return '/usr/local/go/bin/go';
  throw new Error(
    'no Go toolchain for the Go programs (kfake, bench/kgo): install golang (apt-get install golang), as .ci/run does',
  );
}

/**
 * Builds a Go program of this project (a directory with its own go.mod: test/support/kfake,
 * bench/kgo) once per source version, cached in the OS temp dir under a hash of its sources;
 * returns the binary's path.
 */
export async function buildGoProgram(source: string, name: string): Promise<string> {
  const hash = createHash('sha256');
  const files = (await readdir(source)).filter((f) => f.endsWith('.go') || f === 'go.mod' || f === 'go.sum');
  for (const f of files.sort()) hash.update(f).update(await readFile(join(source, f)));
  const binary = join(tmpdir(), `kafkalab-${name}-${hash.digest('hex').slice(0, 16)}`);
  if (existsSync(binary)) return binary;
  // Build beside the final name and rename: two test files building at once never see half a binary.
  const partial = `${binary}.${process.pid}.partial`;
  const r = await runProcess(goCommand(), ['build', '-o', partial, '.'], {
    cwd: source,
    env: { ...process.env, GOFLAGS: '-mod=mod -buildvcs=false' },
    timeoutMs: 600_000,
  });
  if (r.exitCode !== 0)
    throw new Error(
      `go build of ${source} failed (${r.timedOut ? 'timed out' : `exit ${r.exitCode}`}):\n${r.stderr}`,
    );
  await rename(partial, binary);
  return binary;
}

/** Builds test/support/kfake once per source version; returns the binary's path. */
export function buildKfake(): Promise<string> {
  return buildGoProgram(SOURCE, 'kfake');
}

export async function startKfake(o: { brokers?: number } = {}): Promise<ChildCluster> {
  const binary = await buildKfake();
  return startChildCluster({
    name: 'kfake cluster',
    command: binary,
    args: ['-brokers', String(o.brokers ?? 3)],
  });
}
