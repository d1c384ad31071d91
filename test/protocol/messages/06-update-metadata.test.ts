// Golden frames for UpdateMetadata (API key 6): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { UpdateMetadata } from '../../../src/protocol/messages/06-update-metadata.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('UpdateMetadata golden frames', () => {
  it('UpdateMetadataRequest v0: v0: one host and port per broker', () => {
    // Bytes written by kafka-clients 3.9.1's UpdateMetadataRequestData.
    const bytes = hexLayout(`
      00000001                controllerId: INT32 1
      00000003                controllerEpoch: INT32 3
      00000001                ungroupedPartitionStates.<count>: INT32 1
      000174                  ungroupedPartitionStates[0].topicName: STRING "t"
      00000000                ungroupedPartitionStates[0].partitionIndex: INT32 0
      00000003                ungroupedPartitionStates[0].controllerEpoch: INT32 3
      00000001                ungroupedPartitionStates[0].leader: INT32 1
      00000002                ungroupedPartitionStates[0].leaderEpoch: INT32 2
      00000001                ungroupedPartitionStates[0].isr.<count>: INT32 1
      00000001                ungroupedPartitionStates[0].isr[0]: INT32 1
      00000005                ungroupedPartitionStates[0].zkVersion: INT32 5
      00000001                ungroupedPartitionStates[0].replicas.<count>: INT32 1
      00000001                ungroupedPartitionStates[0].replicas[0]: INT32 1
      00000001                liveBrokers.<count>: INT32 1
      00000001                liveBrokers[0].id: INT32 1
      00096c6f63616c686f7374  liveBrokers[0].v0Host: STRING "localhost"
      00002384                liveBrokers[0].v0Port: INT32 9092
    `);
    const value = {
      controllerId: 1,
      controllerEpoch: 3,
      ungroupedPartitionStates: [
        {
          topicName: 't',
          partitionIndex: 0,
          controllerEpoch: 3,
          leader: 1,
          leaderEpoch: 2,
          isr: [1],
          zkVersion: 5,
          replicas: [1],
          offlineReplicas: [],
        },
      ],
      liveBrokers: [
        {
          id: 1,
          v0Host: 'localhost',
          v0Port: 9092,
          endpoints: [],
          rack: '',
        },
      ],
      isKRaftController: false,
      type: 0,
      brokerEpoch: -1n,
      topicStates: [],
    };
    const codec = codecFor(UpdateMetadata.request, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('UpdateMetadataResponse v7: accepted', () => {
    // Bytes written by kafka-clients 3.9.1's UpdateMetadataResponseData.
    const bytes = hexLayout(`
      0000                    errorCode: INT16 0
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      errorCode: 0,
    };
    const codec = codecFor(UpdateMetadata.response, 7);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
