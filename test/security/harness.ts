/**
 * A secured emulator for the tests in this folder: startEmulator({ security }) with Kafka's settings
 * by name (as `--override` takes them), the trace kept so a test can read why a login failed, and
 * the throwaway CA (made at start when an SSL listener has no keystore) written to a file for clients
 * that take a path (kcat's ssl.ca.location, Kafka's ssl.truststore.location).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Emulator, type EmulatorOptions, startEmulator } from '../../src/emulator/index.js';

export interface SecureEmulator {
  emulator: Emulator;
  /** The first listener's advertised address. */
  bootstrap: string;
  trace: string[];
  /** The throwaway CA's PEM file ('' when no listener speaks TLS). */
  caFile: string;
  stop(): Promise<void>;
}

export async function startSecureEmulator(
  security: Record<string, string>,
  options: Omit<EmulatorOptions, 'security'> = {},
): Promise<SecureEmulator> {
  const trace: string[] = [];
  const emulator = await startEmulator({ port: 0, trace: (l) => trace.push(l), ...options, security });
  let dir: string | undefined;
  let caFile = '';
  if (emulator.certificates) {
    dir = mkdtempSync(join(tmpdir(), 'kafkalab-security-test-'));
    caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, emulator.certificates.ca.cert);
  }
  return {
    emulator,
    bootstrap: emulator.bootstrap,
    trace,
    caFile,
    async stop() {
      await emulator.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
