// --override log defaults (state/static-log-configs.ts), without a JVM: log.retention.hours and
// log.roll.hours given at start are STATIC_BROKER_CONFIG and what a topic inherits; a bad value is
// refused with Kafka's message; a dynamic log.retention.ms turns the broker's shown log.retention.hours
// back to Kafka's default (DynamicBrokerConfig.overrideProps), as Kafka 4.1.1 shows it
// (test/real-kafka/retention-conformance-static.test.ts compares it with the real broker).
import { afterEach, describe, expect, it } from 'vitest';
import { Admin } from '../../src/client/admin.js';
import { BrokerPropertyError, brokerOverrides } from '../../src/emulator/broker-properties.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';

let emulator: Emulator | undefined;
let admin: Admin | undefined;

afterEach(async () => {
  await admin?.close();
  await emulator?.stop();
  emulator = admin = undefined;
});

describe('static log defaults by --override', () => {
  it('are parsed with Kafka types and ranges', () => {
    expect(brokerOverrides(['log.retention.hours= 1', 'log.roll.ms=5000'])).toEqual({
      staticLogConfigs: { 'log.retention.hours': '1', 'log.roll.ms': '5000' },
    });
    expect(() => brokerOverrides(['log.roll.hours=0'])).toThrow(
      new BrokerPropertyError('Invalid value 0 for configuration log.roll.hours: Value must be at least 1'),
    );
    expect(() => brokerOverrides(['log.retention.hours=x'])).toThrow(
      'Invalid value x for configuration log.retention.hours: Not a number of type INT',
    );
  });

  it('are described as static, inherited by topics, and shadowed by a dynamic .ms', async () => {
    emulator = await startEmulator({
      port: 0,
      ...brokerOverrides(['log.retention.hours=1', 'log.roll.hours=2']),
    });
    admin = new Admin({ bootstrap: emulator.bootstrap });
    await admin.createTopics({ topics: [{ topic: 't', numPartitions: 1 }] });
    const value = async (type: 'topic' | 'broker', name: string, key: string) => {
      const [r] = await admin!.describeConfigs({
        resources: [{ type, name, keys: [key] }],
        includeSynonyms: true,
      });
      const c = r.configs[0];
      return `${c.value} ${c.source} ${c.synonyms.map((s) => `${s.source}:${s.value}`).join(',')}`;
    };
    expect(await value('topic', 't', 'retention.ms')).toBe('3600000 5 ');
    expect(await value('topic', 't', 'segment.ms')).toBe('7200000 5 ');
    expect(await value('broker', '0', 'log.retention.hours')).toBe('1 4 4:1,5:168');
    await admin.incrementalAlterConfigs({
      resources: [
        { type: 'broker', name: '', ops: [{ name: 'log.retention.ms', op: 'set', value: '5000' }] },
      ],
    });
    expect(await value('topic', 't', 'retention.ms')).toBe('5000 3 3:5000,4:1,5:168');
    expect(await value('broker', '0', 'log.retention.hours')).toBe('168 4 4:1,5:168');
  });
});
