/**
 * The proxy speaks the emulator's output formats (src/emulator/exchange-output.ts): the same trace
 * line, the same explain listing and the same `--record` JSON line per exchange, so that one reader
 * (`kafkalab decode --trace`) replays either. A proxied exchange is turned into the emulator's
 * Exchange shape, and what only a proxy knows (listener, upstream, rewritten addresses and the
 * broker's original response) is added under one extra `"proxy"` key.
 */
import { exchangeJsonLine, explainExchange, traceLine } from '../emulator/exchange-output.js';
import { collectErrorCodes, type Exchange } from '../emulator/hooks.js';
import type { ApiSpec } from '../protocol/schema/declare.js';
import type { ProxyExchange } from './types.js';

type Finished = ProxyExchange & { outcome: Exchange['outcome'] };

function asExchange(x: Finished & { api: ApiSpec }): Exchange {
  return {
    connection: { id: x.conn, remote: x.client, clientId: x.clientId ?? '' },
    api: x.api,
    version: x.version,
    header: {
      requestApiKey: x.apiKey,
      requestApiVersion: x.version,
      correlationId: x.correlationId,
      clientId: x.clientId,
    },
    request: x.request.body ?? {},
    raw: x.request.raw,
    response: x.response ? { body: x.response.body, raw: x.response.raw } : undefined,
    responseVersion: x.response && x.response.version !== x.version ? x.response.version : undefined,
    outcome: x.outcome,
    errorCodes: x.response?.body ? collectErrorCodes(x.response.body) : [],
    receivedAt: x.receivedAt,
    latencyMs: x.response ? x.response.at - x.request.at : 0,
  };
}

/** What the proxy did besides forwarding, for the end of a trace line. */
function notes(x: ProxyExchange): string {
  const all = [...x.rewrites.map((r) => `rewrote ${r}`), ...x.capped, ...x.warnings];
  return all.length > 0 ? ` [${all.join('; ')}]` : '';
}

export function proxyTraceLine(x: Finished): string {
  if (x.api && x.request.body !== undefined)
    return traceLine(asExchange(x as Finished & { api: ApiSpec })) + notes(x);
  // Not decodable: the same layout from the header bytes alone.
  const size = x.response
    ? `${x.request.raw.length}B→${x.response.raw.length}B`
    : `${x.request.raw.length}B→${x.outcome}`;
  const latency = x.response ? ` ${(x.response.at - x.request.at).toFixed(2)}ms` : '';
  return `conn#${x.conn} client=${JSON.stringify(x.clientId ?? '')} ${x.api?.name ?? `apiKey=${x.apiKey}`} v${x.version} corr=${x.correlationId} ${size}${latency}${notes(x)}`;
}

export function proxyExplain(x: Finished): string {
  const head =
    x.rewrites.length > 0
      ? `(the response below is the one forwarded; the proxy ${x.rewrites.map((r) => `rewrote ${r}`).join(', ')})\n`
      : '';
  if (x.api && x.request.body !== undefined)
    return head + explainExchange(asExchange(x as Finished & { api: ApiSpec }));
  return `── conn#${x.conn} ${proxyTraceLine(x)}\n(not decodable; forwarded untouched)\n`;
}

/** One `--record` JSON line: the emulator's fields, plus `"proxy"`. */
export function proxyRecordLine(x: Finished): string {
  const proxy = JSON.stringify({
    listener: x.listener,
    upstream: x.upstream,
    nodeId: x.nodeId,
    rewrites: x.rewrites.length > 0 ? x.rewrites : undefined,
    capped: x.capped.length > 0 ? x.capped : undefined,
    originalResponseHex: x.response?.original?.toString('hex'),
    warnings: x.warnings.length > 0 ? x.warnings : undefined,
  });
  if (x.api && x.request.body !== undefined) {
    const line = exchangeJsonLine(asExchange(x as Finished & { api: ApiSpec }));
    return `${line.slice(0, -1)},"proxy":${proxy}}`;
  }
  // A request we could not decode: the same keys, no bodies.
  const fields = [
    `"connection":${x.conn}`,
    `"remote":${JSON.stringify(x.client)}`,
    `"clientId":${JSON.stringify(x.clientId)}`,
    `"apiKey":${x.apiKey}`,
    `"api":${JSON.stringify(x.api?.name ?? null)}`,
    `"version":${x.version}`,
    `"correlationId":${x.correlationId}`,
    `"receivedAt":${JSON.stringify(new Date(x.receivedAt).toISOString())}`,
    `"latencyMs":${x.response ? Number((x.response.at - x.request.at).toFixed(3)) : 0}`,
    `"outcome":${JSON.stringify(x.outcome)}`,
    `"errorCodes":[]`,
    `"request":{"hex":"${x.request.raw.toString('hex')}"}`,
  ];
  if (x.response)
    fields.push(`"response":{"version":${x.response.version},"hex":"${x.response.raw.toString('hex')}"}`);
  return `{${fields.join(',')},"proxy":${proxy}}`;
}
