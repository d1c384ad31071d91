// close() is bounded (KafkaConsumer.close(Duration)): called from a handler just before the broker
// goes away, the commit on revoke and LeaveGroup would otherwise retry every nested request against
// a closed port (109 s measured) and keep the process alive meanwhile.
import { describe, expect, it } from 'vitest';
import { Consumer } from '../../src/client/consumer/index.js';
import { produce, startTestEmulator } from './consumer-support.js';

describe('Consumer.close() with the broker gone', () => {
  it('settles by its timeout and closes its connections', async () => {
    const emulator = await startTestEmulator([{ name: 'close-1p', partitions: 1 }]);
    await produce(emulator, 'close-1p', [{ value: 'only', partition: 0 }]);
    const consumer = new Consumer({
      bootstrap: emulator.bootstrap,
      groupId: 'close-g',
      autoOffsetReset: 'earliest',
    });
    consumer.subscribe(['close-1p']);
    let closing: Promise<void> | undefined;
    const seen: string[] = [];
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachMessage: (r) => {
            seen.push(r.value!.toString());
            closing = consumer.close({ timeoutMs: 1_000 });
            resolve();
          },
        })
        .catch(reject);
    });
    await emulator.stop();
    await expect(closing).resolves.toBeUndefined();
    expect(seen).toEqual(['only']);
    // Closed means closed: a later call gets the same settled promise.
    await expect(consumer.close()).resolves.toBeUndefined();
  }, 20_000);
});
