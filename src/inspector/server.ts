/**
 * The inspector's HTTP server (Node's `http`, nothing else): the page, a JSON API over the exchange
 * hub, and Server-Sent Events for live exchanges. It listens on 127.0.0.1 only, and answers only
 * requests made to that address by its own page: a request whose Host is not this server (DNS
 * rebinding) or whose Origin / Sec-Fetch-Site says another site sent it is refused with 403, so a
 * web page open in the same browser cannot read a learner's traffic.
 *
 *   GET /                     the page          GET /api/info            what is being inspected
 *   GET /app.js, /style.css   its assets        GET /api/exchanges       every kept summary
 *   GET /api/events           live summaries    GET /api/exchanges/:id   both frames decoded
 *   GET /api/exchanges/:id/export.hex|.txt|.json  one exchange as hex, as the listing, as JSON
 *   GET /api/state            the broker's state (emulator only)
 *   GET /api/tutorial/:api    the tutorial chapter that shows an API (?lang=ko)
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { TraceEntry } from '../trace/entry.js';
import { summarize } from '../trace/entry.js';
import { frameListing, frameViewJson, viewRequest, viewResponse } from '../trace/frame-view.js';
import type { ExchangeHub } from './hub.js';
import { PAGE_CSS, PAGE_HTML } from './shell.js';
import { tutorialSection } from './tutorial.js';

export interface InspectorOptions {
  hub: ExchangeHub;
  /** What the page says it shows: `live` (an emulator) or `file` (a recording). */
  source: { kind: 'live' | 'file'; name: string };
  /** Default 0: a free port. */
  port?: number;
  /** Where the compiled page script (app.js) lives; default: beside this module, in page/. */
  pageDir?: string;
  /** A read-only snapshot of broker state (the emulator's state view); absent for a file or the proxy. */
  state?: () => unknown;
  /** Where docs/tutorial*.md are (default: the repository's docs/). */
  docsDir?: string;
}

export interface Inspector {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Loopback only: the inspector shows raw traffic and has no authentication. */
export const INSPECTOR_HOST = '127.0.0.1';

export async function startInspector(o: InspectorOptions): Promise<Inspector> {
  const pageDir = o.pageDir ?? fileURLToPath(new URL('./page/', import.meta.url));
  let script: Promise<Buffer> | undefined;
  const pageScript = () => {
    script ??= readFile(`${pageDir.replace(/\/?$/, '/')}app.js`);
    return script;
  };
  const open = new Set<ServerResponse>();
  let port = 0;
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, 'text/plain', `inspector: ${message(err)}\n`);
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const refused = refusal(req, port);
    if (refused) return send(res, 403, 'text/plain', `inspector: refused: ${refused}\n`);
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, 'text/plain', 'inspector: only GET\n', { Allow: 'GET, HEAD' });
    const path = new URL(req.url ?? '/', `http://${INSPECTOR_HOST}`).pathname;
    if (path === '/' || path === '/index.html') return send(res, 200, 'text/html; charset=utf-8', PAGE_HTML);
    if (path === '/style.css') return send(res, 200, 'text/css; charset=utf-8', PAGE_CSS);
    // Browsers ask for one; the page has none.
    if (path === '/favicon.ico') return send(res, 204, 'image/x-icon', '');
    if (path === '/app.js') return send(res, 200, 'text/javascript; charset=utf-8', await pageScript());
    if (path === '/api/info')
      return json(
        res,
        JSON.stringify({
          source: o.source,
          count: o.hub.size,
          evicted: o.hub.evicted,
          historyLimit: o.hub.historyLimit,
          state: o.state !== undefined,
        }),
      );
    if (path === '/api/state') {
      if (!o.state) return send(res, 404, 'application/json', '{"error":"no broker state here"}');
      return json(
        res,
        JSON.stringify(o.state(), (_k, v) => (typeof v === 'bigint' ? v.toString() : v)),
      );
    }
    const t = /^\/api\/tutorial\/([A-Za-z]+)$/.exec(path);
    if (t) {
      const lang = new URL(req.url ?? '/', `http://${INSPECTOR_HOST}`).searchParams.get('lang');
      const section = await tutorialSection(t[1], lang === 'ko' ? 'ko' : 'en', o.docsDir);
      return send(res, 'error' in section ? 404 : 200, 'application/json', JSON.stringify(section));
    }
    const x = /^\/api\/exchanges\/(\d+)\/export\.(hex|txt|json)$/.exec(path);
    if (x) return exportOne(res, Number(x[1]), x[2] as 'hex' | 'txt' | 'json');
    if (path === '/api/exchanges') return json(res, o.hub.listJson());
    if (path === '/api/events') return events(req, res);
    const m = /^\/api\/exchanges\/(\d+)$/.exec(path);
    if (m) return detail(res, Number(m[1]));
    send(res, 404, 'text/plain', `inspector: no ${path}\n`);
  }

  async function views(entry: TraceEntry) {
    const request = await viewRequest(entry.request, entry.apiKey);
    const response = entry.response
      ? await viewResponse(entry.response, entry.apiKey, entry.responseVersion ?? entry.version)
      : undefined;
    return { request, response };
  }

  /** One exchange to save: both frames as hex, as the listing, or as JSON (Kafka's form and the bytes). */
  async function exportOne(res: ServerResponse, id: number, format: 'hex' | 'txt' | 'json'): Promise<void> {
    const entry = o.hub.get(id);
    if (!entry) return send(res, 404, 'text/plain', `inspector: no exchange ${id}\n`);
    const { request, response } = await views(entry);
    const s = summarize(id, entry);
    const title = `${s.api ?? `apiKey=${s.apiKey}`} v${s.version} conn#${s.connection} correlation id ${s.correlationId}`;
    const file = { 'Content-Disposition': `attachment; filename="exchange-${id}.${format}"` };
    if (format === 'hex') {
      // The shown bytes: credentials are zeroed in them as in the page.
      const lines = [`# ${title}`, `request ${request.bytes.toString('hex')}`];
      if (response) lines.push(`response ${response.bytes.toString('hex')}`);
      return send(res, 200, 'text/plain; charset=utf-8', `${lines.join('\n')}\n`, file);
    }
    if (format === 'txt') {
      const text = `── ${title}\n${frameListing(request)}${response ? `\n${frameListing(response)}` : `\n(no response: ${s.outcome})\n`}`;
      return send(res, 200, 'text/plain; charset=utf-8', text, file);
    }
    const frame = (f: typeof request) =>
      `{"version":${f.view.version},"hex":"${f.view.hex}","json":${f.jsonText}${f.view.error ? `,"error":${JSON.stringify(f.view.error)}` : ''}}`;
    const text = `{"summary":${JSON.stringify(s)},"request":${frame(request)}${response ? `,"response":${frame(response)}` : ''}}\n`;
    return send(res, 200, 'application/json; charset=utf-8', text, file);
  }

  async function detail(res: ServerResponse, id: number): Promise<void> {
    const entry = o.hub.get(id);
    if (!entry) return send(res, 404, 'application/json', JSON.stringify({ error: `no exchange ${id}` }));
    const { request, response } = await views(entry);
    json(
      res,
      `{"summary":${JSON.stringify(summarize(id, entry))},"request":${frameViewJson(request)}` +
        (response ? `,"response":${frameViewJson(response)}` : '') +
        '}',
    );
  }

  function events(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    res.write(`retry: 2000\n\n`);
    const subscriber = o.hub.subscribe({
      write: (text) => res.write(text),
      onDrain: (fn) => res.once('drain', fn),
    });
    open.add(res);
    req.on('close', () => {
      o.hub.unsubscribe(subscriber);
      open.delete(res);
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, INSPECTOR_HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://${INSPECTOR_HOST}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of open) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Why a request is refused, or undefined when it comes from this inspector's own page (or a tool). */
export function refusal(req: IncomingMessage, port: number): string | undefined {
  const own = [`${INSPECTOR_HOST}:${port}`, `localhost:${port}`];
  const host = req.headers.host?.toLowerCase();
  if (host === undefined || !own.includes(host))
    return `Host ${JSON.stringify(host ?? '')} is not this inspector`;
  const origin = req.headers.origin;
  if (origin !== undefined && !own.some((h) => origin.toLowerCase() === `http://${h}`))
    return `cross-origin request from ${origin}`;
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none')
    return `cross-site request (Sec-Fetch-Site: ${site})`;
  return undefined;
}

/** The page runs only its own script and style; nobody may frame it. */
const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string | Buffer,
  extra: Record<string, string> = {},
): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    ...extra,
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

function json(res: ServerResponse, text: string): void {
  send(res, 200, 'application/json; charset=utf-8', text);
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
