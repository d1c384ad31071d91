// Golden frames for FindCoordinator, worked out by hand from the protocol rules: v1 (classic, one
// key) and v4 (flexible, the batched form of KIP-699).
import { describe, expect, it } from 'vitest';
import { FindCoordinator } from '../../../src/protocol/messages/10-find-coordinator.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('FindCoordinator golden frames', () => {
  it('request v1 (classic)', () => {
    const bytes = hexLayout(`
      0001 67               key: STRING "g"
      00                    keyType: int8 0 = group
    `);
    const codec = codecFor(FindCoordinator.request, 1);
    expect(codec.encode({ key: 'g', keyType: 0 })).toEqual(bytes);
    expect(codec.decode(bytes)).toEqual({ key: 'g', keyType: 0, coordinatorKeys: [] });
  });

  it('request v4 (flexible, batched keys)', () => {
    const bytes = hexLayout(`
      01                    keyType: int8 1 = transaction
      02                    coordinatorKeys: COMPACT_ARRAY 1 element
        03 7478             COMPACT_STRING "tx"
      00                    tag buffer
    `);
    const value = { key: '', keyType: 1, coordinatorKeys: ['tx'] };
    const codec = codecFor(FindCoordinator.request, 4);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.decode(bytes)).toEqual(value);
  });

  it('request v0 cannot ask for a transaction coordinator (keyType is not ignorable)', () => {
    expect(() => codecFor(FindCoordinator.request, 0).encode({ key: 'tx', keyType: 1 })).toThrow(/keyType/);
  });

  it('response v1 (classic, an error)', () => {
    const bytes = hexLayout(`
      00000000              throttleTimeMs: 0
      000f                  errorCode: 15 COORDINATOR_NOT_AVAILABLE
      ffff                  errorMessage: NULLABLE_STRING -1 = null
      ffffffff              nodeId: -1
      0000                  host: STRING ""
      ffffffff              port: -1
    `);
    const value = {
      throttleTimeMs: 0,
      errorCode: 15,
      errorMessage: null,
      nodeId: -1,
      host: '',
      port: -1,
      coordinators: [],
    };
    const codec = codecFor(FindCoordinator.response, 1);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.decode(bytes)).toEqual(value);
  });

  it('response v4 (flexible, one coordinator per key)', () => {
    const bytes = hexLayout(`
      00000005              throttleTimeMs: 5
      02                    coordinators: COMPACT_ARRAY 1 element
        02 67               key: "g"
        00000001            nodeId: 1
        02 68               host: "h"
        00002384            port: 9092
        0000                errorCode: 0
        00                  errorMessage: COMPACT_NULLABLE_STRING 0 = null
        00                  Coordinator tag buffer
      00                    tag buffer
    `);
    const codec = codecFor(FindCoordinator.response, 4);
    const value = {
      throttleTimeMs: 5,
      // v0-3 fields take their defaults; errorMessage has none in Kafka's JSON, so "".
      errorCode: 0,
      errorMessage: '',
      nodeId: 0,
      host: '',
      port: 0,
      coordinators: [{ key: 'g', nodeId: 1, host: 'h', port: 9092, errorCode: 0, errorMessage: null }],
    };
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.decode(bytes)).toEqual(value);
  });
});
