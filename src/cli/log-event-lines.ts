/**
 * The emulator's output line for what a retention check or a cleaner pass did to a log
 * (state/log/log-manager.ts LogEvent) — the news Kafka's broker writes to server.log at INFO,
 * in kafkalab's words. Segments are named by their file (Kafka's 20-digit base offset), as
 * `ls` shows them in a --data-dir.
 */
import { segmentFileName } from '../emulator/persistence/log-files.js';
import type { LogEvent, SegmentRange } from '../emulator/state/log/log-manager.js';

function segment(s: SegmentRange): string {
  const held = s.nextOffset > s.baseOffset ? `offsets ${s.baseOffset}-${s.nextOffset - 1}` : 'empty';
  return `${segmentFileName(s.baseOffset)} (${held})`;
}

export function logEventLine(e: LogEvent): string {
  const log = `kafkalab emulator: log ${e.topic}-${e.partition}:`;
  if (e.kind === 'cleaned')
    return `${log} cleaned (cleanup.policy compact): ${e.recordsBefore} records before, ${e.recordsAfter} after`;
  const why =
    e.reason === 'log-start-offset'
      ? `below the log start offset ${e.limit}`
      : `${e.reason}=${e.limit} breached`;
  return `${log} deleted ${e.segments.map(segment).join(', ')}: ${why}; log start offset now ${e.logStartOffset}`;
}
