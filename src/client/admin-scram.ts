/**
 * SCRAM users over the wire (KIP-554): DescribeUserScramCredentials and AlterUserScramCredentials at
 * any broker (a KRaft broker forwards the alteration to the controller). As Java's Admin does, the
 * password never leaves the client: an upsertion carries a fresh random salt and the salted password
 * Hi(password, salt, iterations), from which the broker derives its stored and server keys.
 */
import { randomBytes } from 'node:crypto';
import {
  AlterUserScramCredentials,
  type AlterUserScramCredentialsRequest,
  DescribeUserScramCredentials,
} from '../protocol/messages/index.js';
import {
  SCRAM_MAX_ITERATIONS,
  SCRAM_MECHANISMS,
  type ScramMechanismName,
  saltedPassword,
  scramMechanismByType,
} from '../protocol/sasl/scram.js';
import type { Cluster } from './cluster.js';
import { KafkaClientError, KafkaProtocolError } from './errors.js';

export interface ScramCredentialInfo {
  mechanism: ScramMechanismName;
  iterations: number;
}

/** One user's answer: their credentials, or the broker's error for them. */
export interface UserScramDescription {
  user: string;
  credentials: ScramCredentialInfo[];
  /** 0, or e.g. RESOURCE_NOT_FOUND (91) for a user without credentials; with the broker's message. */
  errorCode: number;
  errorMessage: string | null;
}

export type ScramAlteration =
  | { user: string; mechanism: ScramMechanismName; iterations?: number; password: string }
  | { user: string; mechanism: ScramMechanismName; delete: true };

/** Kafka's default when kafka-configs is given no iterations. */
export const DEFAULT_SCRAM_ITERATIONS = 4096;

/** The SCRAM credentials of these users (every user with one when `users` is omitted). */
export async function describeUserScramCredentials(
  cluster: Cluster,
  users?: readonly string[],
): Promise<UserScramDescription[]> {
  const res = await cluster.withRetries(async () => {
    const conn = await cluster.anyConnection();
    return conn.request(DescribeUserScramCredentials, {
      users: users === undefined ? null : users.map((name) => ({ name })),
    });
  });
  if (res.errorCode !== 0)
    throw new KafkaProtocolError(
      res.errorCode,
      { api: 'DescribeUserScramCredentials' },
      res.errorMessage ?? null,
    );
  return res.results.map((r) => ({
    user: r.user,
    errorCode: r.errorCode,
    errorMessage: r.errorMessage ?? null,
    credentials: r.credentialInfos.flatMap((c) => {
      const m = scramMechanismByType(c.mechanism);
      return m ? [{ mechanism: m.name, iterations: c.iterations }] : [];
    }),
  }));
}

/** Adds, replaces or removes credentials; one result per user named, the broker's errors included. */
export async function alterUserScramCredentials(
  cluster: Cluster,
  alterations: readonly ScramAlteration[],
): Promise<{ user: string; errorCode: number; errorMessage: string | null }[]> {
  const deletions: AlterUserScramCredentialsRequest['deletions'] = [];
  const upsertions: AlterUserScramCredentialsRequest['upsertions'] = [];
  for (const a of alterations) {
    const m = SCRAM_MECHANISMS[a.mechanism];
    if (!m) throw new KafkaClientError(`unknown SCRAM mechanism ${a.mechanism}`, { retriable: false });
    if ('delete' in a) {
      deletions.push({ name: a.user, mechanism: m.type });
      continue;
    }
    const iterations = a.iterations ?? DEFAULT_SCRAM_ITERATIONS;
    const salt = randomBytes(32);
    upsertions.push({
      name: a.user,
      mechanism: m.type,
      iterations,
      salt,
      // The broker judges the count (too few / too many is its error to give); a count it will refuse
      // anyway is not worth hashing for: 2^31 rounds of PBKDF2 would hold this process for an hour.
      saltedPassword: saltedPassword(
        m,
        a.password,
        salt,
        Math.min(Math.max(1, iterations), SCRAM_MAX_ITERATIONS),
      ),
    });
  }
  const res = await cluster.withRetries(async () => {
    const conn = await cluster.anyConnection();
    return conn.request(AlterUserScramCredentials, { deletions, upsertions });
  });
  return res.results.map((r) => ({
    user: r.user,
    errorCode: r.errorCode,
    errorMessage: r.errorMessage ?? null,
  }));
}
