/**
 * producer_byte_rate on Produce (issue 15, quotas): the answer carries throttleTimeMs as Kafka's
 * ClientQuotaManager computes it, and the connection is then muted for that long on the cluster's
 * clock (KIP-219: the answer goes out at once, nothing more is read until the throttle time has
 * passed). Time is a ManualClock stepped by the test; "not answered yet" is checked after a round
 * trip on another connection, never by waiting.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/emulator/clock.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { decodeResponseFrame } from '../../src/protocol/frame.js';
import { AlterClientQuotas, ApiVersions, Metadata, Produce } from '../../src/protocol/messages/index.js';
import { encodeRecordBatch } from '../../src/protocol/records/index.js';
import { WireClient } from './support/wire-client.js';

let emulator: Emulator | undefined;
const clients: WireClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await emulator?.stop();
  emulator = undefined;
});

async function connect(port: number): Promise<WireClient> {
  const c = await WireClient.connect(port);
  clients.push(c);
  return c;
}

function produceBody(clock: ManualClock, valueBytes: number) {
  return {
    transactionalId: null,
    acks: -1,
    timeoutMs: 5000,
    topicData: [
      {
        name: 'q',
        partitionData: [
          {
            index: 0,
            records: encodeRecordBatch({
              records: [{ value: Buffer.alloc(valueBytes, 7), timestamp: clock.now() }],
            } as never),
          },
        ],
      },
    ],
  } as never;
}

describe('Produce over producer_byte_rate', () => {
  it("answers with Kafka's throttle time and mutes the connection until the cluster clock passes it", async () => {
    const clock = new ManualClock(Date.now());
    emulator = await startEmulator({
      host: '127.0.0.1',
      port: 0,
      clock,
      topics: [{ name: 'q', partitions: 1 }],
    });
    const producer = await connect(emulator.port);
    const altered = await producer.request(AlterClientQuotas, 1, {
      entries: [
        {
          entity: [{ entityType: 'client-id', entityName: 'wire-test' }],
          ops: [{ key: 'producer_byte_rate', value: 1000, remove: false }],
        },
      ],
      validateOnly: false,
    });
    expect(altered.entries.map((e) => e.errorCode)).toEqual([0]);
    let requestBytes = 0;
    emulator.hooks.observe(0, (e) => {
      requestBytes = e.raw.length - 4;
    });

    const produced = await producer.request(Produce, 9, produceBody(clock, 20_000));
    expect(produced.responses[0].partitionResponses[0].errorCode).toBe(0);
    // One sample so far, so Kafka's Rate measures over (samples - 1) x window = 10 s: observed =
    // bytes / 10 s, and the throttle is (observed - 1000) / 1000 x 10 000 ms = bytes - 10 000.
    expect(requestBytes).toBeGreaterThan(20_000);
    expect(produced.throttleTimeMs).toBe(requestBytes - 10_000);

    // Muted: a request sent now is not read until the throttle time has passed on the cluster's clock.
    let answered = false;
    producer.send(ApiVersions, 3, { clientSoftwareName: 'wire', clientSoftwareVersion: '1' });
    const answer = producer.nextFrame().then((f) => {
      answered = true;
      return f;
    });
    clock.advance(produced.throttleTimeMs - 1);
    const other = await connect(emulator.port);
    await other.request(Metadata, 12, {
      topics: [],
      allowAutoTopicCreation: false,
      includeTopicAuthorizedOperations: false,
    });
    expect(answered).toBe(false);
    clock.advance(1);
    const versions = decodeResponseFrame(await answer, ApiVersions, 3);
    expect(versions.body.errorCode).toBe(0);

    // Under the quota again (the same bytes spread over more time): no throttle, no mute.
    clock.advance(60_000);
    const small = await producer.request(Produce, 9, produceBody(clock, 10));
    expect(small.throttleTimeMs).toBe(0);
  });

  it('leaves a producer without a quota unthrottled', async () => {
    const clock = new ManualClock(Date.now());
    emulator = await startEmulator({
      host: '127.0.0.1',
      port: 0,
      clock,
      topics: [{ name: 'q', partitions: 1 }],
    });
    const producer = await connect(emulator.port);
    const produced = await producer.request(Produce, 9, produceBody(clock, 20_000));
    expect(produced.throttleTimeMs).toBe(0);
    const next = await producer.request(Produce, 9, produceBody(clock, 10));
    expect(next.responses[0].partitionResponses[0].baseOffset).toBe(1n);
  });
});
