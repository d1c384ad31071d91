// Golden frames for InitProducerId, worked out by hand from the protocol rules
// (/work/shared/notes/wire-format.md).
import { describe, expect, it } from 'vitest';
import { InitProducerId } from '../../../src/protocol/messages/22-init-producer-id.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('InitProducerId golden frames', () => {
  it('request v1 (classic): an idempotent producer; v3 fields decode to -1', () => {
    const bytes = hexLayout(`
      ffff                      transactionalId: NULLABLE_STRING -1 = null
      0000ea60                  transactionTimeoutMs: 60000
    `);
    const codec = codecFor(InitProducerId.request, 1);
    expect(codec.encode({ transactionalId: null, transactionTimeoutMs: 60000 })).toEqual(bytes);
    expect(codec.decode(bytes)).toEqual({
      transactionalId: null,
      transactionTimeoutMs: 60000,
      producerId: -1n,
      producerEpoch: -1,
    });
  });

  it('request v4 (flexible): a transactional producer resuming its id and epoch (KIP-360)', () => {
    const bytes = hexLayout(`
      03 7478                   transactionalId: COMPACT_NULLABLE_STRING "tx" (2 bytes +1)
      0000ea60                  transactionTimeoutMs: 60000
      000000000000002a          producerId: int64 42
      0005                      producerEpoch: 5
      00                        tag buffer
    `);
    const value = { transactionalId: 'tx', transactionTimeoutMs: 60000, producerId: 42n, producerEpoch: 5 };
    const codec = codecFor(InitProducerId.request, 4);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.decode(bytes)).toEqual(value);
  });

  it('response v1 (classic)', () => {
    const bytes = hexLayout(`
      00000000                  throttleTimeMs: 0
      0000                      errorCode: 0
      0000000000001000          producerId: 4096
      0000                      producerEpoch: 0
    `);
    const value = { throttleTimeMs: 0, errorCode: 0, producerId: 4096n, producerEpoch: 0 };
    const codec = codecFor(InitProducerId.response, 1);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.decode(bytes)).toEqual(value);
  });

  it('response v4 (flexible): PRODUCER_FENCED, id and epoch left at their -1 defaults', () => {
    const bytes = hexLayout(`
      0000000a                  throttleTimeMs: 10
      005a                      errorCode: 90 PRODUCER_FENCED (KIP-588)
      ffffffffffffffff          producerId: -1 (the declared default)
      0000                      producerEpoch: 0 (no declared default)
      00                        tag buffer
    `);
    const codec = codecFor(InitProducerId.response, 4);
    expect(codec.encode({ throttleTimeMs: 10, errorCode: 90 })).toEqual(bytes);
    expect(codec.decode(bytes)).toEqual({
      throttleTimeMs: 10,
      errorCode: 90,
      producerId: -1n,
      producerEpoch: 0,
    });
  });
});
