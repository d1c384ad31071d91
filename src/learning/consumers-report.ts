/** The experiment's table: one line per consumer count, medians with the spread across runs. */
import type { ConsumersExperimentResult } from './consumers-experiment.js';
import { MEMBERSHIP_APIS, type RebalanceRun } from './consumers-rebalance.js';

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
  // Comparing protocols: one more column in front, the rest as with one protocol.
  const compare = r.protocols.length > 1;
  const header = [
    ...(compare ? ['PROTOCOL'] : []),
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
      ...(compare ? [c.protocol] : []),
      String(c.consumers),
      splits.join(' | '),
      formatMs(c.elapsed.median),
      String(Math.round(c.messagesPerSecond)),
      `${formatMs(c.elapsed.min)} - ${formatMs(c.elapsed.max)}`,
      formatMs(c.join.median),
    ];
  });
  const shift = compare ? 1 : 0;
  const line = columns(header, rows, [shift, shift + 3]);
  const runs = r.results[0]?.runs.length ?? 0;
  return (
    `${r.messages} messages of ${r.messageBytes} bytes in ${r.topic} (${r.partitions} partition${r.partitions === 1 ? '' : 's'}), ` +
    `produced in ${formatMs(r.produceMs)}; ${runs} run${runs === 1 ? '' : 's'} per consumer count, each in a fresh group; the clock starts once the group is complete.\n\n` +
    `${[line(header), ...rows.map(line)].join('\n')}\n`
  );
}

/** Pads each column to its widest cell, two spaces apart; the `right` columns (numbers) align right. */
function columns(header: string[], rows: string[][], right: number[] = []): (cells: string[]) => string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  return (cells) =>
    cells
      .map((c, i) => (right.includes(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
}

/** `JoinGroup 4, SyncGroup 3, Heartbeat 2`: membership requests in the protocol's own order. */
export function requestsOf(requests: Record<string, number>): string {
  const seen = MEMBERSHIP_APIS.filter((api) => (requests[api] ?? 0) > 0);
  return seen.length === 0 ? 'none' : seen.map((api) => `${api} ${requests[api]}`).join(', ');
}

/**
 * The join-while-reading runs, one line each: how long the group took to read everything again,
 * how long nobody read at all (stop-the-world), who stopped, what paused, what the group said.
 */
export function renderRebalanceTable(runs: readonly RebalanceRun[]): string {
  if (runs.length === 0) return '';
  const header = [
    'PROTOCOL',
    'RUN',
    'REBALANCE',
    'ALL STOPPED',
    'MEMBERS STOPPED',
    'PARTITIONS PAUSED',
    'LONGEST PAUSE',
    'GROUP REQUESTS',
  ];
  const runOf = new Map<string, number>();
  const rows = runs.map((run) => {
    const n = (runOf.get(run.protocol) ?? 0) + 1;
    runOf.set(run.protocol, n);
    const f = run.figures;
    return [
      run.protocol,
      String(n),
      formatMs(f.rebalanceMs),
      formatMs(f.allStoppedMs),
      `${f.membersStopped} of ${f.membersBefore}`,
      `${f.partitionsPaused} of ${f.partitions}`,
      formatMs(f.longestPartitionPauseMs),
      requestsOf(f.requests),
    ];
  });
  const line = columns(header, rows, [1]);
  const before = runs[0].figures.membersBefore;
  return (
    `\nOne more consumer joins ${before} that are reading (a producer writes to every partition every 20 ms). ` +
    'REBALANCE: from the join until every partition that paused is read again; ALL STOPPED: the longest time ' +
    'no member owned a partition; LONGEST PAUSE: the longest time one partition had no owner; ' +
    'GROUP REQUESTS: membership requests answered meanwhile.\n\n' +
    `${[line(header), ...rows.map(line)].join('\n')}\n`
  );
}
