/**
 * SCRAM users managed over the wire (KIP-554): AlterUserScramCredentials upserts and deletes with
 * every refusal Kafka 4.1 gives (an empty name, an unknown mechanism, too few / too many iterations,
 * a user named twice, deleting what does not exist) and DescribeUserScramCredentials of named users,
 * a user twice, one without credentials, and of every user. Sources: ScramControlManager.
 * alterCredentials, ScramImage.describe. A real broker applies a change from its metadata log a
 * moment after answering, so each describe after an alter first waits (uncompared) until the
 * change shows. Results are compared sorted (Kafka's order is a HashMap's); the users are removed at
 * the end, so the broker is left as found.
 */
import { randomBytes } from 'node:crypto';
import { DescribeUserScramCredentials } from '../../src/protocol/messages/50-describe-user-scram-credentials.js';
import { AlterUserScramCredentials } from '../../src/protocol/messages/51-alter-user-scram-credentials.js';
import { SCRAM_MECHANISMS, saltedPassword } from '../../src/protocol/sasl/scram.js';
import type { Scenario, ScenarioContext } from '../runner/types.js';

const SHA256 = 1;
const SHA512 = 2;

function upsert(name: string, mechanism: number, iterations: number) {
  const m = mechanism === SHA512 ? SCRAM_MECHANISMS['SCRAM-SHA-512'] : SCRAM_MECHANISMS['SCRAM-SHA-256'];
  const salt = randomBytes(16);
  // A refused count is not hashed at all (the answer does not depend on the salted password).
  const rounds = Math.min(Math.max(iterations, 1), 16384);
  return { name, mechanism, iterations, salt, saltedPassword: saltedPassword(m, 'pw', salt, rounds) };
}

async function alter(
  ctx: ScenarioContext,
  label: string,
  deletions: { name: string; mechanism: number }[],
  upsertions: ReturnType<typeof upsert>[],
) {
  const res = await ctx.exchange(null, AlterUserScramCredentials, { deletions, upsertions });
  ctx.checkpoint(label, res.results.map((r) => `${r.user}: ${r.errorCode} ${r.errorMessage ?? ''}`).sort());
}

async function describe(ctx: ScenarioContext, users: string[] | null) {
  const res = await ctx.exchange(null, DescribeUserScramCredentials, {
    users: users === null ? null : users.map((name) => ({ name })),
  });
  return {
    errorCode: res.errorCode,
    errorMessage: res.errorMessage ?? null,
    results: res.results
      .map((r) => ({
        user: r.user,
        error: `${r.errorCode} ${r.errorMessage ?? ''}`,
        credentials: r.credentialInfos.map((c) => `${c.mechanism}:${c.iterations}`).sort(),
      }))
      .sort((a, b) => (a.user < b.user ? -1 : 1)),
  };
}

export const scramCredentials: Scenario = {
  name: 'scram-credentials',
  source: 'KIP-554; ScramControlManager.alterCredentials, ScramImage.describe',
  description: 'AlterUserScramCredentials / DescribeUserScramCredentials: upsert, delete, every refusal',
  async run(ctx) {
    const alice = ctx.name('scram-alice');
    const bob = ctx.name('scram-bob');
    const carol = ctx.name('scram-carol');
    const settle = (what: string, done: (d: Awaited<ReturnType<typeof describe>>) => boolean) =>
      ctx.until(what, async () => (done(await describe(ctx, [alice, bob])) ? true : undefined));

    await alter(ctx, 'upsert', [], [upsert(alice, SHA256, 8192), upsert(bob, SHA512, 4096)]);
    await settle('alice and bob to show', (d) => d.results.every((r) => r.credentials.length === 1));
    await alter(ctx, 'upsert second mechanism', [], [upsert(alice, SHA512, 10000)]);
    await settle(
      'alice to have two',
      (d) => d.results.find((r) => r.user === alice)?.credentials.length === 2,
    );
    ctx.checkpoint('describe named', await describe(ctx, [alice, bob]));
    ctx.checkpoint('describe twice and unknown', await describe(ctx, [alice, carol, alice]));
    // Every user: only ours are compared (a real broker may hold others).
    const all = await describe(ctx, null);
    ctx.checkpoint('describe all (ours)', {
      ...all,
      results: all.results.filter((r) => [alice, bob, carol].includes(r.user)),
    });

    await alter(
      ctx,
      'refusals',
      [
        { name: carol, mechanism: SHA256 },
        { name: '', mechanism: SHA256 },
        { name: `${carol}-x`, mechanism: 7 },
      ],
      [
        upsert(`${carol}-few`, SHA256, 100),
        upsert(`${carol}-many`, SHA512, 20000),
        upsert(`${carol}-mech`, 0, 4096),
        upsert(`${carol}-twice`, SHA256, 4096),
        upsert(`${carol}-twice`, SHA512, 4096),
        upsert('', SHA256, 4096),
      ],
    );
    // Named in deletions and upsertions: refused, and its deletion not made either.
    await alter(
      ctx,
      'delete and upsert one user',
      [{ name: bob, mechanism: SHA512 }],
      [upsert(bob, SHA256, 4096)],
    );
    ctx.checkpoint('describe after refusals', await describe(ctx, [bob, `${carol}-twice`, `${carol}-few`]));

    await alter(ctx, 'delete', [{ name: alice, mechanism: SHA256 }], []);
    await settle(
      'alice to keep one',
      (d) => d.results.find((r) => r.user === alice)?.credentials.length === 1,
    );
    ctx.checkpoint('describe after delete', await describe(ctx, [alice]));
    // Leave the broker as found.
    await alter(
      ctx,
      'cleanup',
      [
        { name: alice, mechanism: SHA512 },
        { name: bob, mechanism: SHA512 },
      ],
      [],
    );
    await settle('both to go', (d) => d.results.every((r) => r.credentials.length === 0));
  },
};
