// Golden frames for OffsetDelete (API key 47): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { OffsetDelete } from '../../../src/protocol/messages/47-offset-delete.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('OffsetDelete golden frames', () => {
  it("OffsetDeleteRequest v0: a group's offset for one partition", () => {
    // Bytes written by kafka-clients 4.1.1's OffsetDeleteRequestData.
    const bytes = hexLayout(`
      000167                  groupId: STRING "g"
      00000001                topics.<count>: INT32 1
      000174                  topics[0].name: STRING "t"
      00000001                topics[0].partitions.<count>: INT32 1
      00000000                topics[0].partitions[0].partitionIndex: INT32 0
    `);
    const value = {
      groupId: 'g',
      topics: [
        {
          name: 't',
          partitions: [
            {
              partitionIndex: 0,
            },
          ],
        },
      ],
    };
    const codec = codecFor(OffsetDelete.request, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('OffsetDeleteResponse v0: GROUP_SUBSCRIBED_TO_TOPIC', () => {
    // Bytes written by kafka-clients 4.1.1's OffsetDeleteResponseData.
    const bytes = hexLayout(`
      0000                    errorCode: INT16 0
      00000000                throttleTimeMs: INT32 0
      00000001                topics.<count>: INT32 1
      000174                  topics[0].name: STRING "t"
      00000001                topics[0].partitions.<count>: INT32 1
      00000000                topics[0].partitions[0].partitionIndex: INT32 0
      0056                    topics[0].partitions[0].errorCode: INT16 86
    `);
    const value = {
      errorCode: 0,
      throttleTimeMs: 0,
      topics: [
        {
          name: 't',
          partitions: [
            {
              partitionIndex: 0,
              errorCode: 86,
            },
          ],
        },
      ],
    };
    const codec = codecFor(OffsetDelete.response, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
