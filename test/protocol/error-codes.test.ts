// The error table against facts from Apache Kafka 4.1's Errors.java and the generated protocol guide
// table (kafka.apache.org/.../generated/protocol_errors.html): code, name, retriable.
import { describe, expect, it } from 'vitest';
import { describeErrorCode, ERROR_CODES, errorByCode, errorByName } from '../../src/protocol/error-codes.js';

describe('Kafka error codes', () => {
  it.each([
    [-1, 'UNKNOWN_SERVER_ERROR', false],
    [0, 'NONE', false],
    // OffsetOutOfRangeException extends InvalidOffsetException extends ApiException: not retriable.
    [1, 'OFFSET_OUT_OF_RANGE', false],
    [3, 'UNKNOWN_TOPIC_OR_PARTITION', true],
    [6, 'NOT_LEADER_OR_FOLLOWER', true],
    [15, 'COORDINATOR_NOT_AVAILABLE', true],
    [16, 'NOT_COORDINATOR', true],
    [25, 'UNKNOWN_MEMBER_ID', false],
    [27, 'REBALANCE_IN_PROGRESS', false],
    [35, 'UNSUPPORTED_VERSION', false],
    [36, 'TOPIC_ALREADY_EXISTS', false],
    [51, 'CONCURRENT_TRANSACTIONS', true],
    [79, 'MEMBER_ID_REQUIRED', false],
    [90, 'PRODUCER_FENCED', false],
    [100, 'UNKNOWN_TOPIC_ID', true],
    [110, 'FENCED_MEMBER_EPOCH', false],
    [129, 'REBOOTSTRAP_REQUIRED', false],
    [133, 'SHARE_SESSION_LIMIT_REACHED', true],
  ])('code %i is %s (retriable: %s)', (code, name, retriable) => {
    const byCode = errorByCode(code);
    expect(byCode?.name).toBe(name);
    expect(byCode?.retriable).toBe(retriable);
    expect(errorByName(name)).toBe(byCode);
    expect(byCode?.message.length).toBeGreaterThan(0);
  });

  it('is contiguous from -1 to 133 with unique names, in code order', () => {
    expect(ERROR_CODES.map((e) => e.code)).toEqual(Array.from({ length: 135 }, (_, i) => i - 1));
    expect(new Set(ERROR_CODES.map((e) => e.name)).size).toBe(ERROR_CODES.length);
    for (const e of ERROR_CODES) expect(e.name).toMatch(/^[A-Z][A-Z0-9_]*$/);
  });

  it('answers undefined for codes and names Kafka does not define', () => {
    expect(errorByCode(-2)).toBeUndefined();
    expect(errorByCode(134)).toBeUndefined();
    expect(errorByName('NOT_LEADER_FOR_PARTITION')).toBeUndefined();
  });

  it('forgives case and separators in names, and describes codes', () => {
    expect(errorByName('not-coordinator')?.code).toBe(16);
    expect(errorByName(' unknown topic or partition ')?.code).toBe(3);
    expect(describeErrorCode(35)).toBe('UNSUPPORTED_VERSION (35)');
    expect(describeErrorCode(999)).toBe('unknown error code 999');
  });
});
