// Golden frames for ElectLeaders (API key 43): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { ElectLeaders } from '../../../src/protocol/messages/43-elect-leaders.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('ElectLeaders golden frames', () => {
  it('ElectLeadersRequest v0: preferred leader election, v0 has no election type', () => {
    // Bytes written by kafka-clients 4.1.1's ElectLeadersRequestData.
    const bytes = hexLayout(`
      00000001                topicPartitions.<count>: INT32 1
      000174                  topicPartitions[0].topic: STRING "t"
      00000002                topicPartitions[0].partitions.<count>: INT32 2
      00000000                topicPartitions[0].partitions[0]: INT32 0
      00000001                topicPartitions[0].partitions[1]: INT32 1
      0000ea60                timeoutMs: INT32 60000
    `);
    const value = {
      topicPartitions: [
        {
          topic: 't',
          partitions: [0, 1],
        },
      ],
      timeoutMs: 60000,
      electionType: 0,
    };
    const codec = codecFor(ElectLeaders.request, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('ElectLeadersRequest v2: an unclean election for every partition (KIP-460)', () => {
    // Bytes written by kafka-clients 4.1.1's ElectLeadersRequestData.
    const bytes = hexLayout(`
      01                      electionType: INT8 1
      00                      topicPartitions: UNSIGNED_VARINT null
      00007530                timeoutMs: INT32 30000
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      electionType: 1,
      topicPartitions: null,
      timeoutMs: 30000,
    };
    const codec = codecFor(ElectLeaders.request, 2);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('ElectLeadersResponse v2: ELECTION_NOT_NEEDED for one partition', () => {
    // Bytes written by kafka-clients 4.1.1's ElectLeadersResponseData.
    const bytes = hexLayout(`
      00000000                throttleTimeMs: INT32 0
      0000                    errorCode: INT16 0
      02                      replicaElectionResults.<count>: UNSIGNED_VARINT 1
      0274                    replicaElectionResults[0].topic: COMPACT_STRING "t"
      02                      replicaElectionResults[0].partitionResult.<count>: UNSIGNED_VARINT 1
      00000000                replicaElectionResults[0].partitionResult[0].partitionId: INT32 0
      0054                    replicaElectionResults[0].partitionResult[0].errorCode: INT16 84
      00                      replicaElectionResults[0].partitionResult[0].errorMessage: COMPACT_NULLABLE_STRING null
      00                      replicaElectionResults[0].partitionResult[0].<tags>: UNSIGNED_VARINT 0
      00                      replicaElectionResults[0].<tags>: UNSIGNED_VARINT 0
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      throttleTimeMs: 0,
      errorCode: 0,
      replicaElectionResults: [
        {
          topic: 't',
          partitionResult: [
            {
              partitionId: 0,
              errorCode: 84,
              errorMessage: null,
            },
          ],
        },
      ],
    };
    const codec = codecFor(ElectLeaders.response, 2);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
