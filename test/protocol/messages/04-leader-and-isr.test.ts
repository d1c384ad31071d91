// Golden frames for LeaderAndIsr (API key 4): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { LeaderAndIsr } from '../../../src/protocol/messages/04-leader-and-isr.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('LeaderAndIsr golden frames', () => {
  it('LeaderAndIsrRequest v2: partitions grouped by topic, with the broker epoch (KIP-380)', () => {
    // Bytes written by kafka-clients 3.9.1's LeaderAndIsrRequestData.
    const bytes = hexLayout(`
      00000001                controllerId: INT32 1
      00000003                controllerEpoch: INT32 3
      0000000000000028        brokerEpoch: INT64 40
      00000001                topicStates.<count>: INT32 1
      000174                  topicStates[0].topicName: STRING "t"
      00000001                topicStates[0].partitionStates.<count>: INT32 1
      00000000                topicStates[0].partitionStates[0].partitionIndex: INT32 0
      00000003                topicStates[0].partitionStates[0].controllerEpoch: INT32 3
      00000001                topicStates[0].partitionStates[0].leader: INT32 1
      00000002                topicStates[0].partitionStates[0].leaderEpoch: INT32 2
      00000002                topicStates[0].partitionStates[0].isr.<count>: INT32 2
      00000001                topicStates[0].partitionStates[0].isr[0]: INT32 1
      00000002                topicStates[0].partitionStates[0].isr[1]: INT32 2
      00000005                topicStates[0].partitionStates[0].partitionEpoch: INT32 5
      00000002                topicStates[0].partitionStates[0].replicas.<count>: INT32 2
      00000001                topicStates[0].partitionStates[0].replicas[0]: INT32 1
      00000002                topicStates[0].partitionStates[0].replicas[1]: INT32 2
      00                      topicStates[0].partitionStates[0].isNew: BOOLEAN false
      00000001                liveLeaders.<count>: INT32 1
      00000001                liveLeaders[0].brokerId: INT32 1
      00096c6f63616c686f7374  liveLeaders[0].hostName: STRING "localhost"
      00002384                liveLeaders[0].port: INT32 9092
    `);
    const value = {
      controllerId: 1,
      controllerEpoch: 3,
      brokerEpoch: 40n,
      topicStates: [
        {
          topicName: 't',
          partitionStates: [
            {
              partitionIndex: 0,
              controllerEpoch: 3,
              leader: 1,
              leaderEpoch: 2,
              isr: [1, 2],
              partitionEpoch: 5,
              replicas: [1, 2],
              isNew: false,
              topicName: '',
              addingReplicas: [],
              removingReplicas: [],
              leaderRecoveryState: 0,
            },
          ],
          topicId: 'AAAAAAAAAAAAAAAAAAAAAA',
        },
      ],
      liveLeaders: [
        {
          brokerId: 1,
          hostName: 'localhost',
          port: 9092,
        },
      ],
      isKRaftController: false,
      type: 0,
      ungroupedPartitionStates: [],
    };
    const codec = codecFor(LeaderAndIsr.request, 2);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('LeaderAndIsrResponse v5: errors grouped by topic id (KIP-516)', () => {
    // Bytes written by kafka-clients 3.9.1's LeaderAndIsrResponseData.
    const bytes = hexLayout(`
      0000                              errorCode: INT16 0
      02                                topics.<count>: UNSIGNED_VARINT 1
      0102030405060708090a0b0c0d0e0f10  topics[0].topicId: UUID "AQIDBAUGBwgJCgsMDQ4PEA"
      02                                topics[0].partitionErrors.<count>: UNSIGNED_VARINT 1
      00000000                          topics[0].partitionErrors[0].partitionIndex: INT32 0
      0000                              topics[0].partitionErrors[0].errorCode: INT16 0
      00                                topics[0].partitionErrors[0].<tags>: UNSIGNED_VARINT 0
      00                                topics[0].<tags>: UNSIGNED_VARINT 0
      00                                <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      errorCode: 0,
      topics: [
        {
          topicId: 'AQIDBAUGBwgJCgsMDQ4PEA',
          partitionErrors: [
            {
              partitionIndex: 0,
              errorCode: 0,
              topicName: '',
            },
          ],
        },
      ],
      partitionErrors: [],
    };
    const codec = codecFor(LeaderAndIsr.response, 5);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
