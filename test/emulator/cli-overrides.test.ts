// `kafkalab emulator --override name=value` from the built bin (kafka-server-start.sh's --override is
// the model): the group settings reach the running broker (DescribeConfigs and JoinGroup show them),
// and a bad pair stops the start with Kafka's wording of the problem.
import { afterEach, describe, expect, it } from 'vitest';
import { JoinGroup } from '../../src/protocol/messages/11-join-group.js';
import { DescribeConfigs } from '../../src/protocol/messages/32-describe-configs.js';
import { type SpawnedEmulator, spawnEmulator } from './support/spawn-emulator.js';
import { WireClient } from './support/wire-client.js';

let emulator: SpawnedEmulator | undefined;
const clients: WireClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await emulator?.stop('SIGKILL');
  emulator = undefined;
});

async function connect(port: number): Promise<WireClient> {
  const c = await WireClient.connect(port);
  clients.push(c);
  return c;
}

function join(c: WireClient, sessionTimeoutMs: number) {
  return c.request(JoinGroup, 3, {
    groupId: 'cli-group',
    sessionTimeoutMs,
    rebalanceTimeoutMs: 10_000,
    memberId: '',
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: new Uint8Array([0]) }],
  });
}

describe('kafkalab emulator --override (built bin)', () => {
  it('takes group.min.session.timeout.ms and group.max.size', async () => {
    emulator = await spawnEmulator([
      '--port',
      '0',
      '--override',
      'group.min.session.timeout.ms=1000',
      '--override',
      'group.max.size=1',
    ]);
    const c = await connect(emulator.port);
    const configs = await c.request(DescribeConfigs, 4, {
      resources: [
        {
          resourceType: 4,
          resourceName: '0',
          configurationKeys: ['group.min.session.timeout.ms', 'group.max.size'],
        },
      ],
      includeSynonyms: false,
      includeDocumentation: false,
    });
    expect(Object.fromEntries(configs.results[0].configs.map((e) => [e.name, e.value]))).toEqual({
      'group.min.session.timeout.ms': '1000',
      'group.max.size': '1',
    });
    // 1000 ms is below Kafka's default minimum of 6000: accepted only because of the override.
    expect((await join(c, 999)).errorCode).toBe(26);
    expect((await join(c, 1000)).errorCode).toBe(0);
    expect((await join(await connect(emulator.port), 1000)).errorCode).toBe(81);
  });

  it('refuses an unknown setting and a bad value before listening', async () => {
    await expect(spawnEmulator(['--port', '0', '--override', 'group.max.sise=1'])).rejects.toThrow(
      /unknown or unsupported broker setting "group\.max\.sise"/,
    );
    await expect(spawnEmulator(['--port', '0', '--override', 'group.max.size=0'])).rejects.toThrow(
      /Invalid value 0 for configuration group\.max\.size: Value must be at least 1/,
    );
  });
});
