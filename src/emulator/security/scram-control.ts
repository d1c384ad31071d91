/**
 * SCRAM users managed over the wire (KIP-554), as a KRaft cluster answers: AlterUserScramCredentials
 * as the controller's ScramControlManager.alterCredentials validates and applies it, and
 * DescribeUserScramCredentials as a broker's ScramImage.describe reads its metadata image.
 *
 * The client sends a salt and the salted password (Hi(password, salt, i)), never the password; the
 * broker derives and keeps the stored key and server key from it (../../protocol/sasl/scram.ts).
 */

import { javaHashMapOrder, javaStringHash } from '../../protocol/java-order.js';
import type { DescribeUserScramCredentialsResponse } from '../../protocol/messages/50-describe-user-scram-credentials.js';
import type {
  AlterUserScramCredentialsRequest,
  AlterUserScramCredentialsResponse,
} from '../../protocol/messages/51-alter-user-scram-credentials.js';
import {
  credentialFromSalted,
  SCRAM_MAX_ITERATIONS,
  SCRAM_MECHANISMS,
  type ScramMechanism,
  scramMechanismByType,
} from '../../protocol/sasl/scram.js';
import type { ScramCredentials } from './scram-credentials.js';

const NONE = 0;
const UNSUPPORTED_SASL_MECHANISM = 33;
const RESOURCE_NOT_FOUND = 91;
const DUPLICATE_RESOURCE = 92;
const UNACCEPTABLE_CREDENTIAL = 93;

type AlterResult = AlterUserScramCredentialsResponse['results'][number];
type DescribeResult = DescribeUserScramCredentialsResponse['results'][number];
interface ApiError {
  code: number;
  message: string;
}

const TWICE: ApiError = {
  code: DUPLICATE_RESOURCE,
  message: 'A user credential cannot be altered twice in the same request',
};

function validateNameAndMechanism(name: string, mechanism: ScramMechanism | undefined): ApiError | undefined {
  if (name === '') return { code: UNACCEPTABLE_CREDENTIAL, message: 'Username must not be empty' };
  if (!mechanism) return { code: UNSUPPORTED_SASL_MECHANISM, message: 'Unknown SCRAM mechanism' };
  return undefined;
}

/**
 * Applies the request all or nothing per user: a user named twice (in deletions, upsertions or
 * both) is refused with DUPLICATE_RESOURCE and nothing of theirs changes. Results come as Kafka's
 * three HashMaps hand them out: the deletions, then the upsertions, then the errors.
 */
export function alterScramCredentials(
  store: ScramCredentials,
  request: AlterUserScramCredentialsRequest,
): AlterResult[] {
  const deletions = new Map<string, ScramMechanism>();
  const upsertions = new Map<string, AlterUserScramCredentialsRequest['upsertions'][number]>();
  const errors = new Map<string, ApiError>();
  for (const d of request.deletions) {
    if (errors.has(d.name)) continue;
    if (deletions.delete(d.name)) {
      errors.set(d.name, TWICE);
      continue;
    }
    const mechanism = scramMechanismByType(d.mechanism);
    const error =
      validateNameAndMechanism(d.name, mechanism) ??
      (store.get(d.name, mechanism!.name) === undefined
        ? { code: RESOURCE_NOT_FOUND, message: 'Attempt to delete a user credential that does not exist' }
        : undefined);
    if (error) errors.set(d.name, error);
    else deletions.set(d.name, mechanism!);
  }
  for (const u of request.upsertions) {
    if (errors.has(u.name)) continue;
    // Already among the deletions or the upsertions: refused, and the earlier one dropped too.
    if (deletions.delete(u.name) || upsertions.delete(u.name)) {
      errors.set(u.name, TWICE);
      continue;
    }
    const mechanism = scramMechanismByType(u.mechanism);
    const error =
      validateNameAndMechanism(u.name, mechanism) ??
      (u.iterations < mechanism!.minIterations
        ? { code: UNACCEPTABLE_CREDENTIAL, message: 'Too few iterations' }
        : u.iterations > SCRAM_MAX_ITERATIONS
          ? { code: UNACCEPTABLE_CREDENTIAL, message: 'Too many iterations' }
          : undefined);
    if (error) errors.set(u.name, error);
    else upsertions.set(u.name, u);
  }
  const results: AlterResult[] = [];
  for (const name of javaHashMapOrder([...deletions.keys()], javaStringHash)) {
    store.delete(name, deletions.get(name)!.name);
    results.push({ user: name, errorCode: NONE, errorMessage: null });
  }
  for (const name of javaHashMapOrder([...upsertions.keys()], javaStringHash)) {
    const u = upsertions.get(name)!;
    const mechanism = scramMechanismByType(u.mechanism)!;
    const credential = credentialFromSalted(
      mechanism,
      Buffer.from(u.saltedPassword),
      Buffer.from(u.salt),
      u.iterations,
    );
    store.set(name, mechanism, credential);
    results.push({ user: name, errorCode: NONE, errorMessage: null });
  }
  for (const name of javaHashMapOrder([...errors.keys()], javaStringHash)) {
    const e = errors.get(name)!;
    results.push({ user: name, errorCode: e.code, errorMessage: e.message });
  }
  return results;
}

/**
 * The mechanisms and iteration counts of the users asked for (every user when none is named), never
 * a credential; a user asked for twice is DUPLICATE_RESOURCE, one without credentials
 * RESOURCE_NOT_FOUND, each with Kafka's message naming the user. Users in HashMap order.
 */
export function describeScramCredentials(
  store: ScramCredentials,
  users: readonly { name: string }[] | null,
): DescribeResult[] {
  const duplicated = new Map<string, boolean>();
  if (users === null || users.length === 0) for (const name of store.userNames()) duplicated.set(name, false);
  else for (const u of users) duplicated.set(u.name, duplicated.has(u.name));
  return javaHashMapOrder([...duplicated.keys()], javaStringHash).map((user) => {
    if (duplicated.get(user))
      return {
        user,
        errorCode: DUPLICATE_RESOURCE,
        errorMessage: `Cannot describe SCRAM credentials for the same user twice in a single request: ${user}`,
        credentialInfos: [],
      };
    // Kafka walks its mechanisms map (a HashMap keyed by an enum: no stable order); SHA-256 first here.
    const credentialInfos = Object.values(SCRAM_MECHANISMS).flatMap((m) => {
      const c = store.get(user, m.name);
      return c ? [{ mechanism: m.type, iterations: c.iterations }] : [];
    });
    if (credentialInfos.length === 0)
      return {
        user,
        errorCode: RESOURCE_NOT_FOUND,
        errorMessage: `Attempt to describe a user credential that does not exist: ${user}`,
        credentialInfos: [],
      };
    return { user, errorCode: NONE, errorMessage: null, credentialInfos };
  });
}
