/**
 * The broker's SCRAM credentials: per user and mechanism a salt, stored key, server key and iteration
 * count — never a password (RFC 5802 §2.2, as Kafka keeps them in its metadata log). Created from
 * `sasl.users` at start and changed by AlterUserScramCredentials; read by SCRAM logins and
 * DescribeUserScramCredentials.
 */
import {
  credentialFromPassword,
  type ScramCredential,
  type ScramMechanism,
  type ScramMechanismName,
} from '../../protocol/sasl/scram.js';
import type { Cluster, StateDomain } from '../cluster.js';

export class ScramCredentials implements StateDomain {
  /** Nothing to stop: no timers (present so the class is a StateDomain). */
  stop(): void {}

  private readonly users = new Map<string, Map<ScramMechanismName, ScramCredential>>();

  get(user: string, mechanism: ScramMechanismName): ScramCredential | undefined {
    return this.users.get(user)?.get(mechanism);
  }

  set(user: string, mechanism: ScramMechanism, credential: ScramCredential): void {
    let forUser = this.users.get(user);
    if (!forUser) {
      forUser = new Map();
      this.users.set(user, forUser);
    }
    forUser.set(mechanism.name, credential);
  }

  addPassword(user: string, mechanism: ScramMechanism, password: string, iterations = 4096): void {
    this.set(user, mechanism, credentialFromPassword(mechanism, password, iterations));
  }

  /** False when there was nothing to delete. */
  delete(user: string, mechanism: ScramMechanismName): boolean {
    const forUser = this.users.get(user);
    if (!forUser?.delete(mechanism)) return false;
    if (forUser.size === 0) this.users.delete(user);
    return true;
  }

  /** Every user with at least one credential, sorted. */
  userNames(): string[] {
    return [...this.users.keys()].sort();
  }

  /** Mechanism and iterations of each credential of a user (what DescribeUserScramCredentials shows). */
  describe(user: string): { mechanism: ScramMechanismName; iterations: number }[] {
    return [...(this.users.get(user) ?? new Map<ScramMechanismName, ScramCredential>())].map(
      ([mechanism, c]) => ({
        mechanism,
        iterations: c.iterations,
      }),
    );
  }
}

export function scramCredentialsOf(cluster: Cluster): ScramCredentials {
  return cluster.domain('scram-credentials', () => new ScramCredentials());
}
