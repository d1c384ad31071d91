/**
 * The security side of `kafkalab emulator`: `--user name:password[:MECHANISM]` (an emulator flag:
 * Kafka creates SCRAM users with kafka-storage/kafka-configs and PLAIN users in a JAAS file), the
 * ready lines of a secured emulator (`listening on SASL_SSL://127.0.0.1:PORT (node 0)`, Kafka's
 * listener notation), and the throwaway certificates written where a client can read their CA.
 * Listeners, TLS and SASL settings themselves come by their Kafka names through --override.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError } from 'commander';
import type { Emulator } from '../emulator/start-emulator.js';

export const USER_HELP =
  'a SASL user, name:password for every enabled mechanism or name:password:MECHANISM for one ' +
  '(PLAIN, SCRAM-SHA-256, SCRAM-SHA-512) (repeatable; the same as --override sasl.users=...)';

export function userSpec(value: string, previous: string[] = []): string[] {
  const colon = value.indexOf(':');
  if (colon <= 0 || colon === value.length - 1)
    throw new InvalidArgumentError(`bad user "${value}", expected name:password[:MECHANISM]`);
  if (value.includes(','))
    throw new InvalidArgumentError(`bad user "${value}": a name or password cannot hold a comma`);
  return [...previous, value];
}

/** `--user` flags folded into the sasl.users setting (after any --override sasl.users=...). */
export function withUsers<T extends { security?: Record<string, string> }>(
  config: T,
  users: readonly string[],
): T {
  const security = config.security;
  if (users.length === 0) return config;
  if (!security?.listeners)
    throw new InvalidArgumentError(
      '--user needs a SASL listener, e.g. --override listeners=SASL_PLAINTEXT://127.0.0.1:9092 --override sasl.enabled.mechanisms=SCRAM-SHA-512',
    );
  const given = security['sasl.users'];
  return {
    ...config,
    security: { ...security, 'sasl.users': [...(given ? [given] : []), ...users].join(',') },
  };
}

/** Writes the throwaway certificates (if any) to a temporary directory; returns it, or undefined. */
export async function writeThrowawayCertificates(emulator: Emulator): Promise<string | undefined> {
  if (!emulator.certificates) return undefined;
  const { writeTestCertificates } = await import('../emulator/security/certs.js');
  const dir = mkdtempSync(join(tmpdir(), 'kafkalab-certs-'));
  writeTestCertificates(dir, emulator.certificates);
  return dir;
}

export function removeDir(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

/** One ready line per listener of each broker: `NAME://host:port` when listeners were configured. */
export function readyLines(emulator: Emulator, named: boolean): string[] {
  if (!named)
    return emulator.cluster.brokers.map(
      (b, i) => `kafkalab emulator listening on ${emulator.listeners[i]} (node ${b.nodeId})`,
    );
  return emulator.endpoints.map(
    (e) =>
      `kafkalab emulator listening on ${e.listener}://${e.bound.host}:${e.bound.port} (node ${e.nodeId})`,
  );
}
