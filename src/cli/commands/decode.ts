/**
 * `kafkalab decode [file]`: explain one Kafka frame byte by byte. A request names its own API and
 * version in its header; a response does not, so the caller names them (`--api`, `--version`) or
 * hands over the request it answers (`--request`), whose correlation id must match.
 */
import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { DecodeError, hexOffset } from '../../protocol/errors.js';
import { codecsFor } from '../../protocol/explain/codecs.js';
import { renderHexDump } from '../../protocol/explain/hex-dump.js';
import {
  type Explanation,
  explainRequest,
  explainResponse,
  markField,
} from '../../protocol/explain/index.js';
import { explanationToJsonText } from '../../protocol/explain/json.js';
import type { DecodedRequest } from '../../protocol/frame.js';
import { apiByKey, apiByName } from '../../protocol/messages/index.js';
import type { ApiSpec } from '../../protocol/schema/declare.js';
import { inVersions } from '../../protocol/schema/versions.js';
import { UsageError } from '../errors.js';
import { parseFrameInput } from '../frame-input.js';
import { runTraceReplay } from './replay.js';

export const FORMATS = ['listing', 'tree', 'json', 'hex'] as const;
export type DecodeFormat = (typeof FORMATS)[number];

export interface DecodeOptions {
  api?: string;
  version?: string;
  request?: string;
  format?: DecodeFormat;
  field?: string;
  /** commander's `--no-size` sets this to false. */
  size?: boolean;
  /** `--raw`: the input is raw bytes even if it looks like text. */
  raw?: boolean;
  /** `--trace FILE`: replay a recorded session (src/proxy/replay.ts) instead of one frame. */
  trace?: string;
  clientId?: string;
  connection?: string;
  frame?: string;
}

/** Where the command reads and writes: the process by default, buffers in tests. */
export interface CliIO {
  readFile(path: string): Promise<Buffer>;
  readStdin(): Promise<Buffer>;
  out(text: string): void;
  err(text: string): void;
}

export const processIO: CliIO = {
  readFile: (path) => readFile(path),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  },
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** Runs the command; returns the exit code. Never throws for bad input or bad usage. */
export async function runDecode(
  file: string | undefined,
  options: DecodeOptions,
  io: CliIO = processIO,
): Promise<number> {
  if (options.trace !== undefined) return runTraceReplay(options.trace, options, io);
  let bytes: Buffer | undefined;
  try {
    const format = options.format ?? 'listing';
    if (!FORMATS.includes(format))
      throw new UsageError(`unknown --format '${format}' (choose ${FORMATS.join(', ')})`);
    if (format === 'json' && options.field)
      throw new UsageError('--field marks bytes in a listing, tree or hex dump, not in json');
    const sizePrefixed = options.size !== false;
    const stdin = file === undefined || file === '-';
    bytes = parseFrameInput(stdin ? await io.readStdin() : await io.readFile(file), {
      raw: options.raw,
      source: stdin ? 'stdin' : file,
    });
    if (bytes.length === 0) throw new UsageError('no frame bytes in the input');
    const explained = await explain(bytes, options, sizePrefixed, io);
    io.out(render(explained, format, options.field) + '\n');
    return 0;
  } catch (err) {
    io.err(reportError(err, bytes));
    return 1;
  }
}

async function explain(
  bytes: Buffer,
  o: DecodeOptions,
  sizePrefixed: boolean,
  io: CliIO,
): Promise<Explanation> {
  if (o.request === undefined && o.api === undefined && o.version === undefined) {
    await codecsFor(requestApiOf(bytes, sizePrefixed));
    return explainRequest(bytes, { sizePrefixed });
  }
  let api: ApiSpec;
  let version: number;
  let expectedCorrelationId: number | undefined;
  if (o.request !== undefined) {
    if (o.api !== undefined || o.version !== undefined)
      throw new UsageError('give either --request or --api/--version, not both');
    const requestBytes = parseFrameInput(await io.readFile(o.request), { raw: o.raw, source: o.request });
    let request: Explanation<DecodedRequest>;
    try {
      request = explainRequest(requestBytes, { sizePrefixed });
    } catch (err) {
      if (err instanceof DecodeError)
        throw new UsageError(`the --request frame does not decode: ${err.message}`);
      throw err;
    }
    api = request.api;
    version = request.version;
    expectedCorrelationId = request.decoded.header.correlationId;
  } else {
    if (o.api === undefined || o.version === undefined) {
      throw new UsageError(
        'a response does not name its API: give --api NAME --version N, or --request FILE',
      );
    }
    const found = apiByName(o.api);
    if (!found) throw new UsageError(`unknown API '${o.api}'`);
    api = found;
    if (!/^\d+$/.test(o.version)) throw new UsageError(`--version must be a number, got '${o.version}'`);
    version = Number(o.version);
    if (!inVersions(version, api.response.validVersions)) {
      throw new UsageError(`${api.name} has no version ${version} (valid: ${api.response.validVersions})`);
    }
  }
  await codecsFor(api);
  const response = explainResponse(bytes, api, version, { sizePrefixed });
  const got = response.decoded.header.correlationId;
  if (expectedCorrelationId !== undefined && got !== expectedCorrelationId) {
    throw new UsageError(
      `correlation id ${got} of the response does not match ${expectedCorrelationId} of the request`,
    );
  }
  return response;
}

/** The API a request frame's header names, if the bytes get that far (decoding reports the rest). */
function requestApiOf(bytes: Buffer, sizePrefixed: boolean): ApiSpec | undefined {
  const at = sizePrefixed ? 4 : 0;
  return bytes.length >= at + 2 ? apiByKey(bytes.readInt16BE(at)) : undefined;
}

function render(e: Explanation, format: DecodeFormat, field: string | undefined): string {
  if (field !== undefined) {
    try {
      markField(e.spans, field);
    } catch (err) {
      throw new UsageError(err instanceof Error ? err.message : String(err));
    }
  }
  const title = `${e.api.name} ${e.direction} v${e.version} (API key ${e.api.apiKey}), ${e.bytes.length} bytes`;
  switch (format) {
    case 'json':
      return explanationToJsonText(e);
    case 'hex':
      return `${title}\n${e.hexDump(field)}`;
    case 'tree':
    case 'listing': {
      const body = format === 'tree' ? e.tree() : e.listing();
      return field === undefined ? `${title}\n${body}` : `${title}\n${body}\n\n${e.hexDump(field)}`;
    }
  }
}

/** One line naming the error; for a DecodeError, the hex dump with carets at the failing byte. */
export function reportError(err: unknown, bytes: Uint8Array | undefined): string {
  if (err instanceof DecodeError) {
    let text = `kafkalab: DecodeError: ${err.message}\n`;
    if (bytes && bytes.length > 0) {
      const at = err.offset;
      const label = `${err.path || 'frame'}: ${err.reason}${at >= bytes.length ? '' : ` (byte ${hexOffset(at)})`}`;
      text += `${renderHexDump(bytes, { offset: at, length: at >= bytes.length ? 0 : 1, label })}\n`;
    }
    return text;
  }
  if (err instanceof UsageError) return `kafkalab: ${err.message}\n`;
  if (err instanceof Error && 'code' in err && typeof (err as NodeJS.ErrnoException).code === 'string') {
    return `kafkalab: ${err.message}\n`; // file not found and the like: no stack
  }
  return `kafkalab: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}\n`;
}

export function decodeCommand(io: CliIO = processIO): Command {
  return new Command('decode')
    .description('Explain one Kafka frame byte by byte (hex text or raw bytes, from a file or stdin).')
    .argument(
      '[file]',
      'the frame; hex text (whitespace, colons, # comments ignored; anything else is refused) or raw bytes; - or none = stdin',
    )
    .option('--api <name>', 'for a response: the API it answers (name or key, e.g. Metadata or 3)')
    .option('--version <n>', 'for a response: the API version of the request it answers')
    .option(
      '--request <file>',
      'for a response: the request frame it answers (gives API and version; checks the correlation id)',
    )
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('listing'))
    .option('--field <path>', 'carets under this field in a hex dump, e.g. topics[0].name')
    .option('--no-size', 'the bytes lack the int32 size prefix')
    .option('--raw', 'the input is raw bytes, not hex text (raw input is also detected by itself)')
    .option('--trace <file>', 'replay a session recorded with --record (proxy or emulator); --api filters it')
    .option('--client-id <id>', 'with --trace: only exchanges of this client id')
    .option('--connection <n>', 'with --trace: only exchanges of this connection (conn#N)')
    .option(
      '--frame <n>',
      'with --trace: explain the Nth exchange in full (in --format); with filters, the Nth they keep',
    )
    .action(async (file: string | undefined, options: DecodeOptions) => {
      process.exitCode = await runDecode(file, options, io);
    });
}
