/**
 * Replays a recorded session (`--record FILE` of the emulator or the proxy: one JSON line per
 * exchange, src/emulator/exchange-output.ts): every exchange in the order its request arrived, with
 * its time into the session, filters, and one exchange explained in full on request.
 *
 * A line already pairs a request with its response; the replay checks that pairing from the bytes:
 * the request header's correlation id and the response header's must equal the line's
 * `correlationId`, within the line's connection. Bodies are decoded from the frames' hex, never
 * taken from the JSON (whose int64s a plain JSON parser would round).
 */

import { traceLine } from '../emulator/exchange-output.js';
import { collectErrorCodes, type Exchange } from '../emulator/hooks.js';
import { DecodeError } from '../protocol/errors.js';
import { type Explanation, explainRequest, explainResponse } from '../protocol/explain/index.js';
import { explanationToJsonText } from '../protocol/explain/json.js';
import { type DecodedRequest, decodeRequestFrame, decodeResponseFrame } from '../protocol/frame.js';
import { apiByKey } from '../protocol/messages/index.js';
import type { ApiSpec } from '../protocol/schema/declare.js';

/** A line of a trace file that is not a recorded exchange. */
export class TraceFileError extends Error {
  override name = 'TraceFileError';
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

export interface RecordedExchange {
  /** 1-based position in request order: what `--frame N` names. */
  index: number;
  /** 1-based line of the file. */
  line: number;
  connection: number;
  remote: string;
  clientId: string | null;
  apiKey: number;
  api?: ApiSpec;
  version: number;
  correlationId: number;
  /** Epoch milliseconds. */
  receivedAt: number;
  latencyMs: number;
  outcome: string;
  request: Buffer;
  response?: { version: number; raw: Buffer };
  /** Extra facts a proxy recorded (listener, upstream, rewrites). */
  proxy?: {
    listener?: string;
    upstream?: string;
    nodeId?: number;
    rewrites?: string[];
    capped?: string[];
    warnings?: string[];
  };
}

const HEX = /^(?:[0-9a-f]{2})*$/i;

/** Parses a trace file; malformed lines are a TraceFileError naming the line. Blank lines are skipped. */
export function parseTraceFile(text: string): RecordedExchange[] {
  const out: Omit<RecordedExchange, 'index'>[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].trim();
    if (raw === '') continue;
    const n = i + 1;
    let o: any;
    try {
      o = JSON.parse(raw);
    } catch (err) {
      throw new TraceFileError(n, `not JSON: ${(err as Error).message}`);
    }
    if (o === null || typeof o !== 'object' || Array.isArray(o))
      throw new TraceFileError(n, 'expected a JSON object');
    for (const key of ['connection', 'apiKey', 'version', 'correlationId']) {
      if (!Number.isInteger(o[key])) throw new TraceFileError(n, `"${key}" must be an integer`);
    }
    const receivedAt = Date.parse(o.receivedAt);
    if (typeof o.receivedAt !== 'string' || Number.isNaN(receivedAt))
      throw new TraceFileError(n, '"receivedAt" must be an ISO 8601 time');
    if (typeof o.request?.hex !== 'string' || !HEX.test(o.request.hex))
      throw new TraceFileError(n, '"request.hex" must be hex text');
    let response: RecordedExchange['response'];
    if (o.response !== undefined) {
      if (typeof o.response?.hex !== 'string' || !HEX.test(o.response.hex))
        throw new TraceFileError(n, '"response.hex" must be hex text');
      if (!Number.isInteger(o.response.version))
        throw new TraceFileError(n, '"response.version" must be an integer');
      response = { version: o.response.version, raw: Buffer.from(o.response.hex, 'hex') };
    }
    out.push({
      line: n,
      connection: o.connection,
      remote: typeof o.remote === 'string' ? o.remote : '',
      clientId: typeof o.clientId === 'string' ? o.clientId : null,
      apiKey: o.apiKey,
      api: apiByKey(o.apiKey),
      version: o.version,
      correlationId: o.correlationId,
      receivedAt,
      latencyMs: typeof o.latencyMs === 'number' ? o.latencyMs : 0,
      outcome: typeof o.outcome === 'string' ? o.outcome : response ? 'response' : 'no-response',
      request: Buffer.from(o.request.hex, 'hex'),
      response,
      proxy: o.proxy !== null && typeof o.proxy === 'object' ? o.proxy : undefined,
    });
  }
  // Recorders write a line when an exchange ends; replay in the order requests arrived.
  out.sort((a, b) => a.receivedAt - b.receivedAt || a.line - b.line);
  return out.map((x, i) => ({ ...x, index: i + 1 }));
}

export interface ReplayFilter {
  /** API name or key. */
  api?: ApiSpec;
  clientId?: string;
  connection?: number;
}

export function filterExchanges(xs: readonly RecordedExchange[], f: ReplayFilter): RecordedExchange[] {
  return xs.filter(
    (x) =>
      (f.api === undefined || x.apiKey === f.api.apiKey) &&
      (f.clientId === undefined || x.clientId === f.clientId) &&
      (f.connection === undefined || x.connection === f.connection),
  );
}

/** What decoding the frames of one recorded exchange gave, and what does not add up. */
export interface DecodedExchange {
  request?: DecodedRequest;
  responseBody?: unknown;
  problems: string[];
}

export function decodeExchange(x: RecordedExchange): DecodedExchange {
  const problems: string[] = [];
  let request: DecodedRequest | undefined;
  let responseBody: unknown;
  try {
    request = decodeRequestFrame(x.request);
    if (request.header.correlationId !== x.correlationId)
      problems.push(
        `request header says corr=${request.header.correlationId}, the line says ${x.correlationId}`,
      );
  } catch (err) {
    if (!(err instanceof DecodeError)) throw err;
    problems.push(`request does not decode: ${err.message}`);
  }
  if (x.response) {
    const corr = x.response.raw.length >= 8 ? x.response.raw.readInt32BE(4) : undefined;
    if (corr !== x.correlationId)
      problems.push(
        `response corr=${corr} does not answer request corr=${x.correlationId} on conn#${x.connection}`,
      );
    if (x.api) {
      try {
        responseBody = decodeResponseFrame(x.response.raw, x.api, x.response.version).body;
      } catch (err) {
        if (!(err instanceof DecodeError)) throw err;
        problems.push(`response does not decode: ${err.message}`);
      }
    }
  }
  return { request, responseBody, problems };
}

/** `#3 +0.412s conn#1 client="kafkajs" Metadata v12 corr=1 45B→98B 0.71ms [notes]`. */
export function replayLine(x: RecordedExchange, sessionStart: number): string {
  const d = decodeExchange(x);
  const offset = `+${((x.receivedAt - sessionStart) / 1000).toFixed(3)}s`;
  let line: string;
  if (x.api && d.request) {
    const e: Exchange = {
      connection: { id: x.connection, remote: x.remote, clientId: x.clientId ?? '' },
      api: x.api,
      version: x.version,
      header: d.request.header,
      request: d.request.body,
      raw: x.request,
      response: x.response ? { body: d.responseBody, raw: x.response.raw } : undefined,
      outcome: (x.outcome as Exchange['outcome']) ?? 'response',
      errorCodes: d.responseBody ? collectErrorCodes(d.responseBody) : [],
      receivedAt: x.receivedAt,
      latencyMs: x.latencyMs,
    };
    line = traceLine(e);
  } else {
    const size = x.response
      ? `${x.request.length}B→${x.response.raw.length}B`
      : `${x.request.length}B→${x.outcome}`;
    line = `conn#${x.connection} client=${JSON.stringify(x.clientId ?? '')} ${x.api?.name ?? `apiKey=${x.apiKey}`} v${x.version} corr=${x.correlationId} ${size} ${x.latencyMs.toFixed(2)}ms`;
  }
  const notes = [
    ...(x.proxy?.rewrites ?? []).map((r) => `rewrote ${r}`),
    ...(x.proxy?.capped ?? []),
    ...(x.proxy?.warnings ?? []),
    ...d.problems,
  ];
  return `#${x.index} ${offset} ${line}${notes.length ? ` [${notes.join('; ')}]` : ''}`;
}

export type FrameFormat = 'listing' | 'tree' | 'json' | 'hex';

/** One exchange in full: both frames, in the format asked. */
export function explainRecorded(x: RecordedExchange, format: FrameFormat, sessionStart: number): string {
  const parts = [replayLine(x, sessionStart)];
  if (x.proxy?.upstream) parts.push(`  via proxy ${x.proxy.listener ?? '?'} → ${x.proxy.upstream}`);
  const section = (title: string, explain: () => Explanation) => {
    parts.push('', title);
    try {
      parts.push(renderFrame(explain(), format));
    } catch (err) {
      parts.push(`(cannot explain: ${err instanceof Error ? err.message : String(err)})`);
    }
  };
  section(`── request, ${x.request.length} bytes`, () => explainRequest(x.request));
  if (x.response && x.api) {
    const { api } = x;
    const { raw, version } = x.response;
    section(`── response v${version}, ${raw.length} bytes, ${x.latencyMs.toFixed(2)} ms later`, () =>
      explainResponse(raw, api, version),
    );
  } else if (!x.response) {
    parts.push('', `── no response (${x.outcome})`);
  }
  return parts.join('\n');
}

function renderFrame(e: Explanation, format: FrameFormat): string {
  switch (format) {
    case 'tree':
      return e.tree();
    case 'hex':
      return e.hexDump();
    case 'json':
      return explanationToJsonText(e);
    default:
      return e.listing();
  }
}

/** `12 exchanges on 3 connections over 1.204 s`. */
export function replaySummary(all: readonly RecordedExchange[], shown: number): string {
  if (all.length === 0) return 'no exchanges recorded';
  const connections = new Set(all.map((x) => x.connection)).size;
  const first = all[0].receivedAt;
  let last = first;
  for (const x of all) last = Math.max(last, x.receivedAt + x.latencyMs);
  const filtered = shown === all.length ? '' : `; ${shown} shown`;
  return `${all.length} exchange${all.length === 1 ? '' : 's'} on ${connections} connection${connections === 1 ? '' : 's'} over ${((last - first) / 1000).toFixed(3)} s${filtered}`;
}

export interface ReplayOptions extends ReplayFilter {
  /**
   * Explain one exchange in full instead of listing: the Nth of those the filters keep (with no
   * filter that is `#N`, its place in the whole file).
   */
  frame?: number;
  format?: FrameFormat;
}

/** The whole replay as text: one line per exchange and a summary, or one exchange in full. */
export function renderReplay(text: string, o: ReplayOptions = {}): string {
  const all = parseTraceFile(text);
  const start = all.length > 0 ? all[0].receivedAt : 0;
  const shown = filterExchanges(all, o);
  const filtered = shown.length !== all.length || isFiltering(o);
  if (o.frame !== undefined) {
    const x = shown[o.frame - 1];
    if (!x) {
      throw new RangeError(
        filtered
          ? `no exchange ${o.frame} among the ${shown.length} the filters keep (--frame counts within them; the file holds ${all.length})`
          : `no exchange #${o.frame}: the file holds ${all.length}`,
      );
    }
    const text = explainRecorded(x, o.format ?? 'listing', start);
    return filtered ? `exchange ${o.frame} of the ${shown.length} the filters keep:\n${text}` : text;
  }
  return [...shown.map((x) => replayLine(x, start)), replaySummary(all, shown.length)].join('\n');
}

function isFiltering(f: ReplayFilter): boolean {
  return f.api !== undefined || f.clientId !== undefined || f.connection !== undefined;
}
