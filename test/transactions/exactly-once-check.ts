/** The exactly-once run's verdict, shared by the emulator and real-Kafka test files. */
import { expect } from 'vitest';
import type { ExactlyOnceResult } from './exactly-once-run.js';

/**
 * `liveHandover`: also require a partition to have moved between two live instances (the classic
 * range assignor does it when the replacement joins; KIP-848's sticky assignor hands the replacement
 * the dead member's partition and moves nothing else).
 */
export function checkExactlyOnce(
  result: ExactlyOnceResult,
  expected: string[][],
  victim: string,
  options: { liveHandover: boolean } = { liveHandover: true },
): void {
  // The whole instance log: which instance committed a record twice is in its early lines.
  const context = result.log.join('\n');
  const all = result.committed.flat();
  const seen = new Map<string, number>();
  for (const v of all) seen.set(v, (seen.get(v) ?? 0) + 1);
  const twice = [...seen].filter(([, n]) => n > 1).map(([v]) => v);
  const missing = expected.flat().filter((v) => !seen.has(v));
  expect(twice, `records in the committed output more than once\n${context}`).toEqual([]);
  expect(missing, `input records missing from the committed output\n${context}`).toEqual([]);
  // Each partition's records in input order: one owner at a time, each transaction in order.
  expect(result.committed).toEqual(expected);
  // The kill happened inside a transaction with records in the log: read_uncommitted sees them too.
  expect(result.inOpenTransaction).toBeGreaterThan(0);
  expect(result.uncommittedCount).toBeGreaterThanOrEqual(all.length + result.inOpenTransaction);
  // The killed instance's partition went to another instance, and a partition went from one live
  // instance to another (KIP-447: the new owner starts where the old owner's last transaction ended).
  expect(
    result.handovers.some((h) => h.includes(`${victim} ->`)),
    result.handovers.join('\n'),
  ).toBe(true);
  if (options.liveHandover)
    expect(
      result.handovers.some((h) => !h.includes(victim)),
      result.handovers.join('\n'),
    ).toBe(true);
}
