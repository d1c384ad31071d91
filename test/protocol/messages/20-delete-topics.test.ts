// Golden frames for DeleteTopics, worked out by hand from the protocol rules
// (/work/shared/notes/wire-format.md). v6 swaps the list of names for name-or-id states (KIP-516).
import { describe, expect, it } from 'vitest';
import { EncodeError } from '../../../src/protocol/errors.js';
import { DeleteTopics } from '../../../src/protocol/messages/20-delete-topics.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout, uuidOf } from './hex-layout.js';

const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';

describe('DeleteTopics golden frames', () => {
  it('request v3 (classic): topics by name; the v6 topics array decodes empty', () => {
    const bytes = hexLayout(`
      00000002                  topicNames: ARRAY count 2
        0001 61                 STRING "a"
        0002 6263               STRING "bc"
      00001388                  timeoutMs: 5000
    `);
    const codec = codecFor(DeleteTopics.request, 3);
    expect(codec.encode({ topicNames: ['a', 'bc'], timeoutMs: 5000 })).toEqual(bytes);
    expect(codec.decode(bytes)).toEqual({ topics: [], topicNames: ['a', 'bc'], timeoutMs: 5000 });
  });

  it('request v6 (flexible): one topic by name, one by id with a null name', () => {
    const bytes = hexLayout(`
      03                                topics: COMPACT_ARRAY 2 elements (+1)
        02 61                           name: COMPACT_NULLABLE_STRING "a"
        00000000000000000000000000000000  topicId: zero uuid (none)
        00                              DeleteTopicState tag buffer
        00                              name: null
        0102030405060708090a0b0c0d0e0f10  topicId
        00                              tag buffer
      00001388                          timeoutMs: 5000
      00                                request tag buffer
    `);
    const value = {
      topics: [
        { name: 'a', topicId: ZERO_UUID },
        { name: null, topicId: uuidOf('0102030405060708090a0b0c0d0e0f10') },
      ],
      timeoutMs: 5000,
    };
    const codec = codecFor(DeleteTopics.request, 6);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.decode(bytes)).toEqual({ ...value, topicNames: [] });
  });

  it('request v5 refuses the v6-only topics array rather than dropping it', () => {
    // topics is not ignorable: a non-default value at a version that cannot carry it is an error.
    expect(() => codecFor(DeleteTopics.request, 5).encode({ topics: [{ name: 'a' }], timeoutMs: 1 })).toThrow(
      EncodeError,
    );
  });

  it('response v0 (classic)', () => {
    const bytes = hexLayout(`
      00000001                  responses: ARRAY count 1
        0001 61                 name: "a"
        0003                    errorCode: 3 UNKNOWN_TOPIC_OR_PARTITION
    `);
    const codec = codecFor(DeleteTopics.response, 0);
    expect(codec.encode({ responses: [{ name: 'a', errorCode: 3 }] })).toEqual(bytes);
    expect(codec.decode(bytes)).toEqual({
      throttleTimeMs: 0,
      responses: [{ name: 'a', topicId: ZERO_UUID, errorCode: 3, errorMessage: null }],
    });
  });

  it('response v6 (flexible): a null name and an error message', () => {
    const bytes = hexLayout(`
      00000000                          throttleTimeMs: 0
      02                                responses: 1 element
        00                              name: null (deleted by id)
        0102030405060708090a0b0c0d0e0f10  topicId
        0064                            errorCode: 100 UNKNOWN_TOPIC_ID
        04 6e6f21                       errorMessage: "no!" (3 bytes +1)
        00                              DeletableTopicResult tag buffer
      00                                response tag buffer
    `);
    const value = {
      throttleTimeMs: 0,
      responses: [
        {
          name: null,
          topicId: uuidOf('0102030405060708090a0b0c0d0e0f10'),
          errorCode: 100,
          errorMessage: 'no!',
        },
      ],
    };
    const codec = codecFor(DeleteTopics.response, 6);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.decode(bytes)).toEqual(value);
  });
});
