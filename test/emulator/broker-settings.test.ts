// Group coordinator settings as broker configs: group.min/max.session.timeout.ms and group.max.size
// set through startEmulator({...}) and through `--override name=value` (parsed by brokerOverrides, the
// CLI's parser), seen on the wire by JoinGroup and DescribeConfigs. Expected codes: Kafka's
// INVALID_SESSION_TIMEOUT (26) and GROUP_MAX_SIZE_REACHED (81), broker-behaviour.md §1.10.
import { afterEach, describe, expect, it } from 'vitest';
import { BrokerPropertyError, brokerOverrides } from '../../src/emulator/broker-properties.js';
import { type Emulator, type EmulatorOptions, startEmulator } from '../../src/emulator/index.js';
import { groupsOf } from '../../src/emulator/state/groups.js';
import { JoinGroup } from '../../src/protocol/messages/11-join-group.js';
import { DescribeConfigs } from '../../src/protocol/messages/32-describe-configs.js';
import { WireClient } from './support/wire-client.js';

let emulator: Emulator | undefined;
const clients: WireClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await emulator?.stop();
  emulator = undefined;
});

async function start(options: EmulatorOptions = {}): Promise<WireClient> {
  emulator = await startEmulator({ port: 0, ...options });
  return connect();
}

async function connect(): Promise<WireClient> {
  const c = await WireClient.connect(emulator!.port);
  clients.push(c);
  return c;
}

/** JoinGroup v3: has a rebalance timeout and no MEMBER_ID_REQUIRED round trip (that is v4+). */
function join(c: WireClient, groupId: string, sessionTimeoutMs: number) {
  return c.request(JoinGroup, 3, {
    groupId,
    sessionTimeoutMs,
    rebalanceTimeoutMs: 10_000,
    memberId: '',
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: new Uint8Array([0, 1]) }],
  });
}

async function brokerConfigs(c: WireClient, names: string[]): Promise<Record<string, string | null>> {
  const res = await c.request(DescribeConfigs, 4, {
    resources: [{ resourceType: 4, resourceName: '0', configurationKeys: names }],
    includeSynonyms: false,
    includeDocumentation: false,
  });
  expect(res.results[0].errorCode).toBe(0);
  return Object.fromEntries(res.results[0].configs.map((e) => [e.name, e.value]));
}

describe('group.min.session.timeout.ms / group.max.session.timeout.ms', () => {
  it('refuses 5999 ms with the default minimum (6000) and accepts 6000', async () => {
    const c = await start();
    expect((await join(c, 'g-default', 5999)).errorCode).toBe(26);
    expect((await join(c, 'g-default', 6000)).errorCode).toBe(0);
  });

  it('accepts 1000 ms once the minimum is lowered to 1000, and refuses 999', async () => {
    const c = await start({ groupMinSessionTimeoutMs: 1000 });
    expect((await join(c, 'g-low', 999)).errorCode).toBe(26);
    expect((await join(c, 'g-low', 1000)).errorCode).toBe(0);
  });

  it('refuses a session timeout above a lowered maximum', async () => {
    const c = await start({ groupMaxSessionTimeoutMs: 30_000 });
    expect((await join(c, 'g-high', 30_001)).errorCode).toBe(26);
    expect((await join(c, 'g-high', 30_000)).errorCode).toBe(0);
  });
});

describe('group.max.size', () => {
  it('with 1, the second member gets GROUP_MAX_SIZE_REACHED and the first stays alone', async () => {
    const first = await start({ groupMaxSize: 1 });
    const j1 = await join(first, 'g-one', 10_000);
    expect(j1.errorCode).toBe(0);
    const second = await connect();
    const j2 = await join(second, 'g-one', 10_000);
    expect(j2.errorCode).toBe(81);
    expect(groupsOf(emulator!.cluster).stateOf('g-one')?.memberIds).toEqual([j1.memberId]);
  });
});

describe('DescribeConfigs (BROKER) reports the settings in effect', () => {
  it('Kafka defaults unless set', async () => {
    const c = await start();
    expect(
      await brokerConfigs(c, [
        'group.min.session.timeout.ms',
        'group.max.session.timeout.ms',
        'group.max.size',
        'group.initial.rebalance.delay.ms',
      ]),
    ).toEqual({
      'group.min.session.timeout.ms': '6000',
      'group.max.session.timeout.ms': '1800000',
      'group.max.size': '2147483647',
      // The emulator's own default: a test's first join should not wait 3 s (Kafka's 3000).
      'group.initial.rebalance.delay.ms': '0',
    });
  });

  it('the values given as --override pairs', async () => {
    const c = await start(
      brokerOverrides([
        'group.min.session.timeout.ms=500',
        'group.max.session.timeout.ms=60000',
        'group.max.size=3',
        'group.initial.rebalance.delay.ms=0',
      ]),
    );
    expect(
      await brokerConfigs(c, [
        'group.min.session.timeout.ms',
        'group.max.session.timeout.ms',
        'group.max.size',
      ]),
    ).toEqual({
      'group.min.session.timeout.ms': '500',
      'group.max.session.timeout.ms': '60000',
      'group.max.size': '3',
    });
    expect((await join(c, 'g-override', 500)).errorCode).toBe(0);
  });
});

describe('brokerOverrides (the --override parser)', () => {
  it('maps server.properties names onto the config, later pairs winning', () => {
    expect(
      brokerOverrides([
        'group.max.size=2',
        'auto.create.topics.enable=FALSE',
        'num.partitions=3',
        'group.max.size=4',
      ]),
    ).toEqual({ groupMaxSize: 4, autoCreateTopics: false, numPartitions: 3 });
  });

  it('takes LONG settings as bigint, up to Long.MAX_VALUE', () => {
    expect(
      brokerOverrides([
        'log.message.timestamp.after.max.ms=9223372036854775807',
        'log.message.timestamp.before.max.ms=0',
      ]),
    ).toEqual({ messageTimestampAfterMaxMs: 9_223_372_036_854_775_807n, messageTimestampBeforeMaxMs: 0n });
    expect(() => brokerOverrides(['log.message.timestamp.after.max.ms=9223372036854775808'])).toThrow(
      'Not a number of type LONG',
    );
  });

  it.each([
    ['group.max.size', 'unknown or unsupported broker setting "group.max.sizes"', 'group.max.sizes=1'],
    ['a pair', 'expected name=value', 'group.max.size'],
    ['a number', 'Not a number of type INT', 'group.max.size=one'],
    ['the INT range', 'Not a number of type INT', 'group.max.size=2147483648'],
    ['the minimum', 'Value must be at least 1', 'group.max.size=0'],
    ['a boolean', 'Expected value to be either true or false', 'auto.create.topics.enable=yes'],
  ])('refuses a bad pair (%s)', (_what, message, pair) => {
    expect(() => brokerOverrides([pair])).toThrow(BrokerPropertyError);
    expect(() => brokerOverrides([pair])).toThrow(message);
  });
});
