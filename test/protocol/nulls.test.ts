// A null where the version allows none is malformed input, wherever it sits: Kafka's generated
// readers throw "non-nullable field … was serialized as null". Found by the emulator's live fuzzer:
// a -1 length inside DeleteTopics v0-5 topicNames (an array of non-nullable strings) used to
// decode as null.
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../src/protocol/errors.js';
import { DeleteTopics, Metadata } from '../../src/protocol/messages/index.js';
import { codecFor } from '../../src/protocol/schema/codec.js';

describe('nulls where the version allows none', () => {
  it('rejects a null string inside a string array (DeleteTopics v1 topicNames)', () => {
    // topicNames: ARRAY count 1, then STRING length -1; then timeoutMs
    const bytes = Buffer.from('00000001' + 'ffff' + '00007530', 'hex');
    const err = (() => {
      try {
        codecFor(DeleteTopics.request, 1).decode(bytes);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(DecodeError);
    expect((err as DecodeError).message).toBe(
      'non-nullable field was serialized as null at 0x4 (topicNames[0])',
    );
  });

  it('still reads a null where it is allowed (Metadata v1 topics = all topics)', () => {
    const value = codecFor(Metadata.request, 1).decode(Buffer.from('ffffffff', 'hex'));
    expect(value.topics).toBeNull();
  });

  it('rejects a null array where the version allows none (Metadata v0 topics)', () => {
    expect(() => codecFor(Metadata.request, 0).decode(Buffer.from('ffffffff', 'hex'))).toThrow(
      'non-nullable field was serialized as null at 0x0 (topics)',
    );
  });
});
