// Golden frames for AlterPartitionReassignments (API key 45): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { AlterPartitionReassignments } from '../../../src/protocol/messages/45-alter-partition-reassignments.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('AlterPartitionReassignments golden frames', () => {
  it('AlterPartitionReassignmentsRequest v1: one move, one cancel (null replicas); the replica count must stay (KIP-860)', () => {
    // Bytes written by kafka-clients 4.1.1's AlterPartitionReassignmentsRequestData.
    const bytes = hexLayout(`
      0000ea60                timeoutMs: INT32 60000
      00                      allowReplicationFactorChange: BOOLEAN false
      02                      topics.<count>: UNSIGNED_VARINT 1
      0274                    topics[0].name: COMPACT_STRING "t"
      03                      topics[0].partitions.<count>: UNSIGNED_VARINT 2
      00000000                topics[0].partitions[0].partitionIndex: INT32 0
      04                      topics[0].partitions[0].replicas.<count>: UNSIGNED_VARINT 3
      00000001                topics[0].partitions[0].replicas[0]: INT32 1
      00000002                topics[0].partitions[0].replicas[1]: INT32 2
      00000003                topics[0].partitions[0].replicas[2]: INT32 3
      00                      topics[0].partitions[0].<tags>: UNSIGNED_VARINT 0
      00000001                topics[0].partitions[1].partitionIndex: INT32 1
      00                      topics[0].partitions[1].replicas: UNSIGNED_VARINT null
      00                      topics[0].partitions[1].<tags>: UNSIGNED_VARINT 0
      00                      topics[0].<tags>: UNSIGNED_VARINT 0
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      timeoutMs: 60000,
      allowReplicationFactorChange: false,
      topics: [
        {
          name: 't',
          partitions: [
            {
              partitionIndex: 0,
              replicas: [1, 2, 3],
            },
            {
              partitionIndex: 1,
              replicas: null,
            },
          ],
        },
      ],
    };
    const codec = codecFor(AlterPartitionReassignments.request, 1);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('AlterPartitionReassignmentsResponse v0: NO_REASSIGNMENT_IN_PROGRESS for the cancel', () => {
    // Bytes written by kafka-clients 4.1.1's AlterPartitionReassignmentsResponseData.
    const bytes = hexLayout(`
      00000000                throttleTimeMs: INT32 0
      0000                    errorCode: INT16 0
      00                      errorMessage: COMPACT_NULLABLE_STRING null
      02                      responses.<count>: UNSIGNED_VARINT 1
      0274                    responses[0].name: COMPACT_STRING "t"
      02                      responses[0].partitions.<count>: UNSIGNED_VARINT 1
      00000001                responses[0].partitions[0].partitionIndex: INT32 1
      0055                    responses[0].partitions[0].errorCode: INT16 85
      00                      responses[0].partitions[0].errorMessage: COMPACT_NULLABLE_STRING null
      00                      responses[0].partitions[0].<tags>: UNSIGNED_VARINT 0
      00                      responses[0].<tags>: UNSIGNED_VARINT 0
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      responses: [
        {
          name: 't',
          partitions: [
            {
              partitionIndex: 1,
              errorCode: 85,
              errorMessage: null,
            },
          ],
        },
      ],
      allowReplicationFactorChange: true,
    };
    const codec = codecFor(AlterPartitionReassignments.response, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
