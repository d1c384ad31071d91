/**
 * `kafkalab configs --entity-type users`: SCRAM credentials as kafka-configs.sh sets and shows them
 * with --bootstrap-server (ConfigCommand, KIP-554): a config named after a mechanism is a credential,
 *
 *     --alter --entity-type users --entity-name alice --add-config 'SCRAM-SHA-256=[iterations=8192,password=alice-secret]'
 *     --alter --entity-type users --entity-name alice --delete-config SCRAM-SHA-512
 *     --describe --entity-type users [--entity-name alice]
 *       SCRAM credential configs for user-principal 'alice' are SCRAM-SHA-256=iterations=8192
 *
 * Quota configs of users stay in configs-quotas.ts; one --alter may not mix the two, as in Kafka.
 */
import {
  alterUserScramCredentials,
  DEFAULT_SCRAM_ITERATIONS,
  describeUserScramCredentials,
  type ScramAlteration,
} from '../../client/admin-scram.js';
import type { Cluster } from '../../client/cluster.js';
import { KafkaProtocolError } from '../../client/errors.js';
import { SCRAM_MECHANISMS, type ScramMechanismName } from '../../protocol/sasl/scram.js';
import { UsageError } from '../errors.js';
import type { Output } from './topics.js';

export function isScramConfig(key: string): key is ScramMechanismName {
  return Object.hasOwn(SCRAM_MECHANISMS, key);
}

/** `[iterations=N,]password=P` (the brackets already taken off by parseAddConfig), as ConfigCommand reads it. */
function credentialOf(
  mechanism: ScramMechanismName,
  value: string,
): { iterations: number; password: string } {
  const m = /^(?:iterations=(-?[0-9]*),)?password=(.*)$/s.exec(value);
  if (!m) throw new UsageError(`Invalid credential property ${mechanism}=${value}`);
  const iterations =
    m[1] !== undefined && m[1] !== '' && m[1] !== '-1' ? Number(m[1]) : DEFAULT_SCRAM_ITERATIONS;
  const min = SCRAM_MECHANISMS[mechanism].minIterations;
  if (iterations < min)
    throw new UsageError(
      `Iterations ${iterations} is less than the minimum ${min} required for ${mechanism}`,
    );
  return { iterations, password: m[2]! };
}

/**
 * Sets and removes one user's credentials; the broker's refusal is thrown as its error. `user` null
 * is --entity-default, which SCRAM credentials do not have.
 */
export async function alterScram(
  cluster: Cluster,
  user: string | null,
  adds: Record<string, string>,
  deletes: string[],
  out: Output,
): Promise<void> {
  if (user === null)
    throw new UsageError(
      'The use of --entity-default or --user-defaults is not allowed with User SCRAM Credentials using --bootstrap-server.',
    );
  const alterations: ScramAlteration[] = [
    ...deletes.filter(isScramConfig).map((mechanism) => ({ user, mechanism, delete: true as const })),
    ...Object.entries(adds)
      .filter(([k]) => isScramConfig(k))
      .map(([mechanism, value]) => ({
        user,
        mechanism: mechanism as ScramMechanismName,
        ...credentialOf(mechanism as ScramMechanismName, value),
      })),
  ];
  for (const r of await alterUserScramCredentials(cluster, alterations)) {
    if (r.errorCode !== 0)
      throw new KafkaProtocolError(r.errorCode, { api: 'AlterUserScramCredentials' }, r.errorMessage);
  }
  out.write(`Completed updating config for user ${user}.\n`);
}

/** One line per user with credentials (a named user without any prints nothing, as kafka-configs). */
export async function describeScram(cluster: Cluster, user: string | undefined, out: Output): Promise<void> {
  for (const d of await describeUserScramCredentials(cluster, user === undefined ? [] : [user])) {
    // ResourceNotFound: no credentials, so not among the users Java's DescribeUserScramCredentialsResult lists.
    if (d.errorCode === 91) continue;
    if (d.errorCode !== 0) {
      out.write(
        `Error retrieving SCRAM credential configs for user-principal '${d.user}': ${new KafkaProtocolError(d.errorCode, { api: 'DescribeUserScramCredentials' }, d.errorMessage).message}\n`,
      );
      continue;
    }
    const text = d.credentials.map((c) => `${c.mechanism}=iterations=${c.iterations}`).join(', ');
    out.write(`SCRAM credential configs for user-principal '${d.user}' are ${text}\n`);
  }
}
