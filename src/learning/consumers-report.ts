/** The experiment's table: one line per consumer count, medians with the spread across runs. */
import type { ConsumersExperimentResult } from './consumers-experiment.js';

export function formatMs(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  // Short runs (the emulator, small counts) need the decimal to say anything.
  return ms >= 100 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`;
}

/** `1+1+0`: partitions per consumer, largest first (which member got which is the assignor's choice). */
export function splitOf(partitionsEach: readonly number[]): string {
  return [...partitionsEach].sort((a, b) => b - a).join('+');
}

export function renderConsumersTable(r: ConsumersExperimentResult): string {
  const header = [
    'CONSUMERS',
    'PARTITIONS EACH',
    'TIME (MEDIAN)',
    'MESSAGES/S',
    'SPREAD (MIN-MAX)',
    'JOIN (MEDIAN)',
  ];
  const rows = r.results.map((c) => {
    // Every run should split the same way; show each distinct split so a surprise is visible.
    const splits = [...new Set(c.runs.map((run) => splitOf(run.partitionsEach)))];
    return [
      String(c.consumers),
      splits.join(' | '),
      formatMs(c.elapsed.median),
      String(Math.round(c.messagesPerSecond)),
      `${formatMs(c.elapsed.min)} - ${formatMs(c.elapsed.max)}`,
      formatMs(c.join.median),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 || i === 3 ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const runs = r.results[0]?.runs.length ?? 0;
  return (
    `${r.messages} messages of ${r.messageBytes} bytes in ${r.topic} (${r.partitions} partition${r.partitions === 1 ? '' : 's'}), ` +
    `produced in ${formatMs(r.produceMs)}; ${runs} run${runs === 1 ? '' : 's'} per consumer count, each in a fresh group; the clock starts once the group is complete.\n\n` +
    `${[line(header), ...rows.map(line)].join('\n')}\n`
  );
}
