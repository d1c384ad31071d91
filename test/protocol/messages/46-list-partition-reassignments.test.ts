// Golden frames for ListPartitionReassignments (API key 46): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { ListPartitionReassignments } from '../../../src/protocol/messages/46-list-partition-reassignments.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('ListPartitionReassignments golden frames', () => {
  it('ListPartitionReassignmentsRequest v0: all reassignments (null topics)', () => {
    // Bytes written by kafka-clients 4.1.1's ListPartitionReassignmentsRequestData.
    const bytes = hexLayout(`
      0000ea60                timeoutMs: INT32 60000
      00                      topics: UNSIGNED_VARINT null
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      timeoutMs: 60000,
      topics: null,
    };
    const codec = codecFor(ListPartitionReassignments.request, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('ListPartitionReassignmentsResponse v0: one partition moving from 1,2 to 2,3', () => {
    // Bytes written by kafka-clients 4.1.1's ListPartitionReassignmentsResponseData.
    const bytes = hexLayout(`
      00000000                throttleTimeMs: INT32 0
      0000                    errorCode: INT16 0
      00                      errorMessage: COMPACT_NULLABLE_STRING null
      02                      topics.<count>: UNSIGNED_VARINT 1
      0274                    topics[0].name: COMPACT_STRING "t"
      02                      topics[0].partitions.<count>: UNSIGNED_VARINT 1
      00000000                topics[0].partitions[0].partitionIndex: INT32 0
      04                      topics[0].partitions[0].replicas.<count>: UNSIGNED_VARINT 3
      00000001                topics[0].partitions[0].replicas[0]: INT32 1
      00000002                topics[0].partitions[0].replicas[1]: INT32 2
      00000003                topics[0].partitions[0].replicas[2]: INT32 3
      02                      topics[0].partitions[0].addingReplicas.<count>: UNSIGNED_VARINT 1
      00000003                topics[0].partitions[0].addingReplicas[0]: INT32 3
      02                      topics[0].partitions[0].removingReplicas.<count>: UNSIGNED_VARINT 1
      00000001                topics[0].partitions[0].removingReplicas[0]: INT32 1
      00                      topics[0].partitions[0].<tags>: UNSIGNED_VARINT 0
      00                      topics[0].<tags>: UNSIGNED_VARINT 0
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      topics: [
        {
          name: 't',
          partitions: [
            {
              partitionIndex: 0,
              replicas: [1, 2, 3],
              addingReplicas: [3],
              removingReplicas: [1],
            },
          ],
        },
      ],
    };
    const codec = codecFor(ListPartitionReassignments.response, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
