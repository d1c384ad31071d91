/**
 * Client quotas: AlterClientQuotas (set, remove, validateOnly) and DescribeClientQuotas (exact,
 * default and any-of-type filters, strict) for client-id, user and user+client-id entities, with the
 * errors and messages Kafka 4.1 answers (ClientQuotaControlManager, ClientQuotasImage.describe).
 * Sources: KIP-546 (the APIs), KIP-55 (entities). A real broker applies a change from its metadata
 * log a moment after answering, so each describe after an alter first waits (uncompared) until the
 * change shows. Only named entities are used, and removed at the end: the broker is left as found.
 * Entities and their components are compared sorted (Kafka's order is a HashMap's).
 */

import { DescribeClientQuotas } from '../../src/protocol/messages/48-describe-client-quotas.js';
import { AlterClientQuotas } from '../../src/protocol/messages/49-alter-client-quotas.js';
import type { Scenario, ScenarioContext } from '../runner/types.js';

type Entity = [type: string, name: string | null][];
type Op = [key: string, value: number, remove?: boolean];

const entityOf = (e: Entity) => e.map(([entityType, entityName]) => ({ entityType, entityName }));

async function alter(ctx: ScenarioContext, label: string, entries: [Entity, Op[]][], validateOnly = false) {
  // The response's order is Kafka's HashMap's: compared as sorted results, not raw.
  const res = await ctx.exchange(null, AlterClientQuotas, {
    entries: entries.map(([e, ops]) => ({
      entity: entityOf(e),
      ops: ops.map(([key, value, remove]) => ({ key, value, remove: remove ?? false })),
    })),
    validateOnly,
  });
  ctx.checkpoint(
    `${label}.results`,
    res.entries
      .map(
        (x) =>
          `${x.entity
            .map((c) => `${c.entityType}=${c.entityName ?? '<default>'}`)
            .sort()
            .join(',')}: ${x.errorCode} ${x.errorMessage ?? ''}`,
      )
      .sort(),
  );
}

type Component = [type: string, matchType: number, match: string | null];

async function describeNow(
  ctx: ScenarioContext,
  components: Component[],
  strict: boolean,
  label: string | null,
) {
  const res = await ctx.exchange(label === null ? null : `${label}.raw`, DescribeClientQuotas, {
    components: components.map(([entityType, matchType, match]) => ({ entityType, matchType, match })),
    strict,
  });
  const entries =
    res.entries === null
      ? null
      : res.entries
          .map((e) => ({
            entity: e.entity
              .map((x) => `${x.entityType}=${x.entityName ?? '<default>'}`)
              .sort()
              .join(','),
            values: e.values.map((v) => `${v.key}=${v.value}`).sort(),
          }))
          .sort((a, b) => (a.entity < b.entity ? -1 : 1));
  return { errorCode: res.errorCode, errorMessage: res.errorMessage ?? null, entries };
}

export const clientQuotas: Scenario = {
  name: 'client-quotas',
  source: 'KIP-546, KIP-55; ClientQuotaControlManager.alterClientQuotas, ClientQuotasImage.describe',
  description: 'AlterClientQuotas and DescribeClientQuotas: set, remove, validateOnly, filters, errors',
  async run(ctx) {
    const client = ctx.name('quota-client');
    const user = ctx.name('quota-user');
    const byClient: Component[] = [['client-id', 0, client]];
    const byUser: Component[] = [['user', 0, user]];
    const settle = (what: string, components: Component[], strict: boolean, done: (n: number) => boolean) =>
      ctx.until(what, async () => {
        const d = await describeNow(ctx, components, strict, null);
        return done(d.entries?.length ?? -1) ? true : undefined;
      });

    await alter(ctx, 'alter-set', [
      [
        [['client-id', client]],
        [
          ['producer_byte_rate', 1024],
          ['consumer_byte_rate', 2048],
        ],
      ],
      [[['user', user]], [['request_percentage', 12.5]]],
      [
        [
          ['user', user],
          ['client-id', client],
        ],
        [['controller_mutation_rate', 3]],
      ],
    ]);
    await settle('the three entities to show', [['user', 2, null]], false, (n) => n >= 2);
    await settle('the client entity to show', byClient, true, (n) => n === 1);
    ctx.checkpoint('describe-client-strict', await describeNow(ctx, byClient, true, null));
    ctx.checkpoint('describe-user', await describeNow(ctx, byUser, false, null));
    ctx.checkpoint('describe-user-strict', await describeNow(ctx, byUser, true, null));
    ctx.checkpoint(
      'describe-user-and-any-client',
      await describeNow(
        ctx,
        [
          ['user', 0, user],
          ['client-id', 2, null],
        ],
        true,
        null,
      ),
    );

    await alter(ctx, 'alter-validate-only', [[[['client-id', client]], [['producer_byte_rate', 1]]]], true);
    await alter(ctx, 'alter-errors', [
      [[['client-id', `${client}-a`]], [['producer_byte_rate', 1.5]]],
      [[['client-id', `${client}-b`]], [['no_such_quota', 1]]],
      [[['client-id', `${client}-c`]], [['consumer_byte_rate', 0]]],
      [
        [['client-id', `${client}-d`]],
        [
          ['consumer_byte_rate', 1],
          ['consumer_byte_rate', 2],
        ],
      ],
      [[['group', 'g']], [['consumer_byte_rate', 1]]],
      [[], [['consumer_byte_rate', 1]]],
      [
        [
          ['ip', '127.0.0.1'],
          ['user', user],
        ],
        [['connection_creation_rate', 1]],
      ],
      [[['client-id', '']], [['consumer_byte_rate', 1]]],
    ]);
    ctx.checkpoint(
      'describe-errors',
      await Promise.all(
        (
          [
            [[['topic', 2, null]], false],
            [[['client-id', 0, null]], false],
            [[['client-id', 1, 'x']], false],
            [[['client-id', 2, 'x']], false],
            [[['client-id', 7, null]], false],
            [
              [
                ['client-id', 2, null],
                ['client-id', 2, null],
              ],
              false,
            ],
            [
              [
                ['ip', 2, null],
                ['user', 2, null],
              ],
              false,
            ],
          ] as [Component[], boolean][]
        ).map(([c, strict]) => describeNow(ctx, c, strict, null)),
      ),
    );

    await alter(ctx, 'alter-remove', [
      [[['client-id', client]], [['producer_byte_rate', 0, true]]],
      [
        [['user', user]],
        [
          ['request_percentage', 0, true],
          ['consumer_byte_rate', 0, true],
        ],
      ],
    ]);
    await settle('the user entity to go', byUser, true, (n) => n === 0);
    await settle('producer_byte_rate to go', byClient, true, (n) => n === 1);
    ctx.checkpoint('describe-after-remove', await describeNow(ctx, byClient, false, null));
    // Leave the broker as found.
    await alter(ctx, 'alter-cleanup', [
      [[['client-id', client]], [['consumer_byte_rate', 0, true]]],
      [
        [
          ['user', user],
          ['client-id', client],
        ],
        [['controller_mutation_rate', 0, true]],
      ],
    ]);
  },
};
