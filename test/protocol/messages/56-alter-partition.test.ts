// Golden frames for AlterPartition (API key 56): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { AlterPartition } from '../../../src/protocol/messages/56-alter-partition.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('AlterPartition golden frames', () => {
  it('AlterPartitionRequest v1: by topic name, as 3.9.1 still sends it', () => {
    // Bytes written by kafka-clients 3.9.1's AlterPartitionRequestData.
    const bytes = hexLayout(`
      00000001                brokerId: INT32 1
      000000000000000a        brokerEpoch: INT64 10
      02                      topics.<count>: UNSIGNED_VARINT 1
      0274                    topics[0].topicName: COMPACT_STRING "t"
      02                      topics[0].partitions.<count>: UNSIGNED_VARINT 1
      00000000                topics[0].partitions[0].partitionIndex: INT32 0
      00000003                topics[0].partitions[0].leaderEpoch: INT32 3
      03                      topics[0].partitions[0].newIsr.<count>: UNSIGNED_VARINT 2
      00000001                topics[0].partitions[0].newIsr[0]: INT32 1
      00000002                topics[0].partitions[0].newIsr[1]: INT32 2
      00                      topics[0].partitions[0].leaderRecoveryState: INT8 0
      00000007                topics[0].partitions[0].partitionEpoch: INT32 7
      00                      topics[0].partitions[0].<tags>: UNSIGNED_VARINT 0
      00                      topics[0].<tags>: UNSIGNED_VARINT 0
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      brokerId: 1,
      brokerEpoch: 10n,
      topics: [
        {
          topicName: 't',
          partitions: [
            {
              partitionIndex: 0,
              leaderEpoch: 3,
              newIsr: [1, 2],
              leaderRecoveryState: 0,
              partitionEpoch: 7,
              newIsrWithEpochs: [],
            },
          ],
          topicId: 'AAAAAAAAAAAAAAAAAAAAAA',
        },
      ],
    };
    const codec = codecFor(AlterPartition.request, 1);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('AlterPartitionRequest v3: ISR members with their broker epochs (KIP-903)', () => {
    // Bytes written by kafka-clients 4.1.1's AlterPartitionRequestData.
    const bytes = hexLayout(`
      00000001                          brokerId: INT32 1
      000000000000000a                  brokerEpoch: INT64 10
      02                                topics.<count>: UNSIGNED_VARINT 1
      0102030405060708090a0b0c0d0e0f10  topics[0].topicId: UUID "AQIDBAUGBwgJCgsMDQ4PEA"
      02                                topics[0].partitions.<count>: UNSIGNED_VARINT 1
      00000000                          topics[0].partitions[0].partitionIndex: INT32 0
      00000003                          topics[0].partitions[0].leaderEpoch: INT32 3
      03                                topics[0].partitions[0].newIsrWithEpochs.<count>: UNSIGNED_VARINT 2
      00000001                          topics[0].partitions[0].newIsrWithEpochs[0].brokerId: INT32 1
      000000000000000a                  topics[0].partitions[0].newIsrWithEpochs[0].brokerEpoch: INT64 10
      00                                topics[0].partitions[0].newIsrWithEpochs[0].<tags>: UNSIGNED_VARINT 0
      00000002                          topics[0].partitions[0].newIsrWithEpochs[1].brokerId: INT32 2
      000000000000000c                  topics[0].partitions[0].newIsrWithEpochs[1].brokerEpoch: INT64 12
      00                                topics[0].partitions[0].newIsrWithEpochs[1].<tags>: UNSIGNED_VARINT 0
      00                                topics[0].partitions[0].leaderRecoveryState: INT8 0
      00000007                          topics[0].partitions[0].partitionEpoch: INT32 7
      00                                topics[0].partitions[0].<tags>: UNSIGNED_VARINT 0
      00                                topics[0].<tags>: UNSIGNED_VARINT 0
      00                                <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      brokerId: 1,
      brokerEpoch: 10n,
      topics: [
        {
          topicId: 'AQIDBAUGBwgJCgsMDQ4PEA',
          partitions: [
            {
              partitionIndex: 0,
              leaderEpoch: 3,
              newIsrWithEpochs: [
                {
                  brokerId: 1,
                  brokerEpoch: 10n,
                },
                {
                  brokerId: 2,
                  brokerEpoch: 12n,
                },
              ],
              leaderRecoveryState: 0,
              partitionEpoch: 7,
              newIsr: [],
            },
          ],
          topicName: '',
        },
      ],
    };
    const codec = codecFor(AlterPartition.request, 3);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('AlterPartitionResponse v3: the committed ISR and partition epoch', () => {
    // Bytes written by kafka-clients 4.1.1's AlterPartitionResponseData.
    const bytes = hexLayout(`
      00000000                          throttleTimeMs: INT32 0
      0000                              errorCode: INT16 0
      02                                topics.<count>: UNSIGNED_VARINT 1
      0102030405060708090a0b0c0d0e0f10  topics[0].topicId: UUID "AQIDBAUGBwgJCgsMDQ4PEA"
      02                                topics[0].partitions.<count>: UNSIGNED_VARINT 1
      00000000                          topics[0].partitions[0].partitionIndex: INT32 0
      0000                              topics[0].partitions[0].errorCode: INT16 0
      00000001                          topics[0].partitions[0].leaderId: INT32 1
      00000003                          topics[0].partitions[0].leaderEpoch: INT32 3
      03                                topics[0].partitions[0].isr.<count>: UNSIGNED_VARINT 2
      00000001                          topics[0].partitions[0].isr[0]: INT32 1
      00000002                          topics[0].partitions[0].isr[1]: INT32 2
      00                                topics[0].partitions[0].leaderRecoveryState: INT8 0
      00000008                          topics[0].partitions[0].partitionEpoch: INT32 8
      00                                topics[0].partitions[0].<tags>: UNSIGNED_VARINT 0
      00                                topics[0].<tags>: UNSIGNED_VARINT 0
      00                                <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      throttleTimeMs: 0,
      errorCode: 0,
      topics: [
        {
          topicId: 'AQIDBAUGBwgJCgsMDQ4PEA',
          partitions: [
            {
              partitionIndex: 0,
              errorCode: 0,
              leaderId: 1,
              leaderEpoch: 3,
              isr: [1, 2],
              leaderRecoveryState: 0,
              partitionEpoch: 8,
            },
          ],
          topicName: '',
        },
      ],
    };
    const codec = codecFor(AlterPartition.response, 3);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
