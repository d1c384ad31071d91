// Golden frames for StopReplica (API key 5): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { StopReplica } from '../../../src/protocol/messages/05-stop-replica.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('StopReplica golden frames', () => {
  it('StopReplicaRequest v3: stop and delete one partition, with its leader epoch (KIP-570)', () => {
    // Bytes written by kafka-clients 3.9.1's StopReplicaRequestData.
    const bytes = hexLayout(`
      00000001                controllerId: INT32 1
      00000003                controllerEpoch: INT32 3
      0000000000000028        brokerEpoch: INT64 40
      02                      topicStates.<count>: UNSIGNED_VARINT 1
      0274                    topicStates[0].topicName: COMPACT_STRING "t"
      02                      topicStates[0].partitionStates.<count>: UNSIGNED_VARINT 1
      00000000                topicStates[0].partitionStates[0].partitionIndex: INT32 0
      00000002                topicStates[0].partitionStates[0].leaderEpoch: INT32 2
      01                      topicStates[0].partitionStates[0].deletePartition: BOOLEAN true
      00                      topicStates[0].partitionStates[0].<tags>: UNSIGNED_VARINT 0
      00                      topicStates[0].<tags>: UNSIGNED_VARINT 0
      00                      <tags>: UNSIGNED_VARINT 0
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
              leaderEpoch: 2,
              deletePartition: true,
            },
          ],
        },
      ],
      isKRaftController: false,
      deletePartitions: false,
      ungroupedPartitions: [],
      topics: [],
    };
    const codec = codecFor(StopReplica.request, 3);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('StopReplicaResponse v0: done (classic)', () => {
    // Bytes written by kafka-clients 3.9.1's StopReplicaResponseData.
    const bytes = hexLayout(`
      0000                    errorCode: INT16 0
      00000001                partitionErrors.<count>: INT32 1
      000174                  partitionErrors[0].topicName: STRING "t"
      00000000                partitionErrors[0].partitionIndex: INT32 0
      0000                    partitionErrors[0].errorCode: INT16 0
    `);
    const value = {
      errorCode: 0,
      partitionErrors: [
        {
          topicName: 't',
          partitionIndex: 0,
          errorCode: 0,
        },
      ],
    };
    const codec = codecFor(StopReplica.response, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
