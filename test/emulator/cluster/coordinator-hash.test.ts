import { describe, expect, it } from 'vitest';
import { coordinatorPartition } from '../../../src/emulator/cluster/coordinators.js';
import { groupPartitionFor } from '../../../src/emulator/state/transactions/types.js';

// Kafka places a group by Utils.abs(groupId.hashCode()) % partitions, where Utils.abs(MIN_VALUE) is 0.
// "my-group" hashes to -1906497762 (negative): Kafka's partition of 50 is 12; masking the sign bit
// (hash & 0x7fffffff) would give 36. "polygenelubricants" hashes to Integer.MIN_VALUE: Kafka gives 0,
// a plain Math.abs in JavaScript would give 2147483648 % 50 = 48.
describe('coordinator partition hash (Utils.abs)', () => {
  const cases: Array<[string, number]> = [
    ['my-group', 12],
    ['polygenelubricants', 0],
    ['g1', 42],
  ];
  for (const [key, expected] of cases) {
    it(`${key} -> __consumer_offsets partition ${expected} of 50`, () => {
      expect(coordinatorPartition(key, 50)).toBe(expected);
      // The transaction coordinator's own helper (TxnOffsetCommit routing) agrees with FindCoordinator.
      expect(groupPartitionFor(key, 50)).toBe(expected);
    });
  }
});
