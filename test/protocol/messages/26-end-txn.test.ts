// Golden frames for EndTxn (API key 26): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { EndTxn } from '../../../src/protocol/messages/26-end-txn.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('EndTxn golden frames', () => {
  it('EndTxnRequest v0: a commit (classic)', () => {
    // Bytes written by kafka-clients 4.1.1's EndTxnRequestData.
    const bytes = hexLayout(`
      00027478                transactionalId: STRING "tx"
      0000000000001000        producerId: INT64 4096
      0003                    producerEpoch: INT16 3
      01                      committed: BOOLEAN true
    `);
    const value = {
      transactionalId: 'tx',
      producerId: 4096n,
      producerEpoch: 3,
      committed: true,
    };
    const codec = codecFor(EndTxn.request, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('EndTxnResponse v5: transactions V2: the bumped epoch comes back (KIP-890 part 2)', () => {
    // Bytes written by kafka-clients 4.1.1's EndTxnResponseData.
    const bytes = hexLayout(`
      00000000                throttleTimeMs: INT32 0
      0000                    errorCode: INT16 0
      0000000000001000        producerId: INT64 4096
      0004                    producerEpoch: INT16 4
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      throttleTimeMs: 0,
      errorCode: 0,
      producerId: 4096n,
      producerEpoch: 4,
    };
    const codec = codecFor(EndTxn.response, 5);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
