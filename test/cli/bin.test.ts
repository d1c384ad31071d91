// The built CLI as a user runs it: `node dist/cli/main.js decode …` (built by test/cli/global-setup.ts).
// Exit codes, stdout/stderr separation, stdin, and no stack traces on bad input.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CLI_MAIN, ROOT, runCli } from '../support/cli.js';

const fixture = (name: string) => join(ROOT, 'test', 'fixtures', name);

describe('kafkalab (built bin)', () => {
  it('prints its version and lists decode in its help', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [CLI_MAIN, '--help']);
    expect(stdout).toMatch(/decode \[options\] \[file\]/);
    expect((await runCli(['--version'])).stdout.trim()).toBe('0.1.0');
  });

  it('decodes the Metadata v12 request fixture (exit 0, nothing on stderr)', async () => {
    const r = await runCli(['decode', fixture('metadata-v12-request.hex')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('Metadata request v12 (API key 3), 69 bytes');
    expect(r.stdout).toMatch(
      /0x0028 {2}07 6f 72 64 65 72 73 +COMPACT_NULLABLE_STRING +topics\[0\]\.name +"orders"/,
    );
  });

  it('takes `--version N` after decode as the API version, not the program version', async () => {
    const r = await runCli([
      'decode',
      '--api',
      'ApiVersions',
      '--version',
      '4',
      '--format',
      'json',
      fixture('api-versions-v4-response.hex'),
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).body.finalizedFeaturesEpoch).toBe(42);
  });

  it('reads hex from stdin', async () => {
    const r = await runCli(
      ['decode', '--request', fixture('api-versions-v4-request.hex'), '--format', 'tree'],
      { stdin: readFileSync(fixture('api-versions-v4-response.hex')) },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('response header v0: ApiVersions always (KIP-511)');
  });

  it('fails on the corrupted fixture with exit 1, one error line and carets, no stack trace', async () => {
    const r = await runCli(['decode', fixture('metadata-v12-request-corrupt.hex')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n');
    expect(lines[0]).toBe(
      'kafkalab: DecodeError: string length 126 exceeds the 28 bytes left at 0x28 (topics[0].name)',
    );
    expect(lines.some((l) => /^ +\^\^$/.test(l))).toBe(true);
    expect(r.stderr).not.toMatch(/node:internal|\.js:\d+:\d+/);
  });

  it('rejects an unknown format and a missing file with exit 1', async () => {
    const bad = await runCli(['decode', '--format', 'yaml', fixture('metadata-v12-request.hex')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--format <format>' argument 'yaml' is invalid/);
    const missing = await runCli(['decode', join(ROOT, 'test', 'fixtures', 'no-such-file.hex')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^kafkalab: ENOENT: no such file or directory/);
    expect(missing.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });
});
