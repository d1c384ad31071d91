// Golden frames for AddOffsetsToTxn (API key 25): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { AddOffsetsToTxn } from '../../../src/protocol/messages/25-add-offsets-to-txn.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('AddOffsetsToTxn golden frames', () => {
  it('AddOffsetsToTxnRequest v4: the group whose offsets the transaction will commit', () => {
    // Bytes written by kafka-clients 4.1.1's AddOffsetsToTxnRequestData.
    const bytes = hexLayout(`
      037478                  transactionalId: COMPACT_STRING "tx"
      0000000000001000        producerId: INT64 4096
      0003                    producerEpoch: INT16 3
      0267                    groupId: COMPACT_STRING "g"
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      transactionalId: 'tx',
      producerId: 4096n,
      producerEpoch: 3,
      groupId: 'g',
    };
    const codec = codecFor(AddOffsetsToTxn.request, 4);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('AddOffsetsToTxnResponse v4: TRANSACTION_ABORTABLE (KIP-890)', () => {
    // Bytes written by kafka-clients 4.1.1's AddOffsetsToTxnResponseData.
    const bytes = hexLayout(`
      00000000                throttleTimeMs: INT32 0
      0078                    errorCode: INT16 120
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      throttleTimeMs: 0,
      errorCode: 120,
    };
    const codec = codecFor(AddOffsetsToTxn.response, 4);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
