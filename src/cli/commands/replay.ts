/**
 * `kafkalab decode --trace FILE`: replay a session recorded by `kafkalab proxy --record` or
 * `kafkalab emulator --record`. Option checking and output only; the replay lives in src/proxy/replay.ts.
 */
import { apiByName } from '../../protocol/messages/index.js';
import { ensureCodecs } from '../../protocol/records/compression/index.js';
import { renderReplay, TraceFileError } from '../../proxy/replay.js';
import { UsageError } from '../errors.js';
import type { CliIO, DecodeOptions } from './decode.js';

export async function runTraceReplay(file: string, o: DecodeOptions, io: CliIO): Promise<number> {
  try {
    if (o.version !== undefined || o.request !== undefined)
      throw new UsageError('--version and --request are for one frame, not for --trace');
    if (o.field !== undefined)
      throw new UsageError('--field marks one frame; use --frame N and decode it alone');
    const api = o.api === undefined ? undefined : apiByName(o.api);
    if (o.api !== undefined && !api) throw new UsageError(`unknown API '${o.api}'`);
    const connection = o.connection === undefined ? undefined : positive('--connection', o.connection);
    const frame = o.frame === undefined ? undefined : positive('--frame', o.frame);
    const text = (file === '-' ? await io.readStdin() : await io.readFile(file)).toString('utf8');
    // One exchange in full explains its record batches, which may be zstd (an async codec).
    if (frame !== undefined) await ensureCodecs();
    io.out(`${renderReplay(text, { api, clientId: o.clientId, connection, frame, format: o.format })}\n`);
    return 0;
  } catch (err) {
    if (err instanceof UsageError || err instanceof TraceFileError || err instanceof RangeError) {
      io.err(`kafkalab: ${err instanceof TraceFileError ? `${file}: ` : ''}${err.message}\n`);
    } else if (err instanceof Error && 'code' in err) {
      io.err(`kafkalab: ${err.message}\n`);
    } else {
      io.err(`kafkalab: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}\n`);
    }
    return 1;
  }
}

function positive(name: string, value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new UsageError(`${name} must be a positive integer, got '${value}'`);
  return Number(value);
}
