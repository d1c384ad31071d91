/**
 * The inspector's server without a browser: it listens on 127.0.0.1 only, refuses requests another
 * site or another host name makes (Origin, Sec-Fetch-Site, Host — DNS rebinding), serves both frames
 * of an exchange decoded by src/protocol (the byte ranges are the explainer's spans), and keeps its
 * Server-Sent Events queue bounded when a page reads slower than exchanges arrive: the hub's `add()`
 * never waits, the surplus is dropped and counted, and the page is told how many in order.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type EventSink, ExchangeHub, Subscriber, type SummarySource } from '../../src/inspector/hub.js';
import { type Inspector, startInspector } from '../../src/inspector/server.js';
import { explainRequest, findSpan } from '../../src/protocol/explain/index.js';
import { encodeRequestFrame } from '../../src/protocol/frame.js';
import { apiByName } from '../../src/protocol/messages/index.js';
import { summaryJson, type TraceEntry } from '../../src/trace/entry.js';

const open: Inspector[] = [];
afterEach(async () => {
  for (const i of open.splice(0)) await i.close();
});

async function serve(hub = new ExchangeHub()): Promise<Inspector> {
  const inspector = await startInspector({
    hub,
    source: { kind: 'live', name: 'test' },
    pageDir: '/nonexistent',
  });
  open.push(inspector);
  return inspector;
}

function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const metadata = apiByName('Metadata')!;

function metadataEntry(correlationId: number, clientId = 'test-client'): TraceEntry {
  const frame = encodeRequestFrame({
    api: metadata,
    version: 12,
    correlationId,
    clientId,
    body: {
      topics: [{ topicId: 'AAAAAAAAAAAAAAAAAAAAAA', name: `topic-${correlationId}` }],
      allowAutoTopicCreation: true,
    },
  } as any);
  return {
    connection: 1,
    remote: '127.0.0.1:50000',
    clientId,
    apiKey: metadata.apiKey,
    api: metadata.name,
    version: 12,
    correlationId,
    receivedAt: Date.now(),
    latencyMs: 0.5,
    outcome: 'no-response',
    errorCodes: [],
    request: frame,
  };
}

describe('inspector server', () => {
  it('listens on 127.0.0.1 and a free port', async () => {
    const inspector = await serve();
    expect(inspector.url).toBe(`http://127.0.0.1:${inspector.port}/`);
    expect(inspector.port).toBeGreaterThan(0);
    // Nothing answers on another interface's address: only loopback is bound.
    const info = await get(inspector.port, '/api/info');
    expect(info.status).toBe(200);
    expect(JSON.parse(info.body).source).toEqual({ kind: 'live', name: 'test' });
  });

  it('refuses cross-origin and cross-site requests and foreign Host names, serves its own page', async () => {
    const inspector = await serve();
    const p = inspector.port;
    const own = `http://127.0.0.1:${p}`;
    expect((await get(p, '/api/exchanges')).status).toBe(200);
    expect((await get(p, '/api/exchanges', { Origin: own, 'Sec-Fetch-Site': 'same-origin' })).status).toBe(
      200,
    );
    expect((await get(p, '/', { Host: `localhost:${p}` })).status).toBe(200);

    const evil = await get(p, '/api/exchanges', { Origin: 'http://evil.example' });
    expect(evil.status).toBe(403);
    expect(evil.body).toContain('cross-origin request from http://evil.example');
    // Another port of the same host is another origin.
    expect((await get(p, '/api/events', { Origin: `http://127.0.0.1:${p + 1}` })).status).toBe(403);
    // A <script src> from another site sends no Origin, but Chromium names the site.
    expect((await get(p, '/api/exchanges', { 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    // DNS rebinding: a foreign name resolved to 127.0.0.1 arrives with its own Host.
    const rebound = await get(p, '/api/exchanges', { Host: `attacker.example:${p}` });
    expect(rebound.status).toBe(403);
    expect(rebound.body).toContain('is not this inspector');
    expect((await get(p, '/api/exchanges', {}, 'POST')).status).toBe(405);
  });

  it('serves both frames decoded, with the byte ranges of the explainer', async () => {
    const hub = new ExchangeHub();
    const entry = metadataEntry(7);
    const id = hub.add(entry);
    const inspector = await serve(hub);
    const r = await get(inspector.port, `/api/exchanges/${id}`);
    expect(r.status).toBe(200);
    const d = JSON.parse(r.body);
    expect(d.summary).toMatchObject({
      id,
      api: 'Metadata',
      version: 12,
      correlationId: 7,
      clientId: 'test-client',
    });
    const flat: any[] = [];
    const walk = (ns: any[]) => {
      for (const n of ns) {
        flat.push(n);
        if (n.children) walk(n.children);
      }
    };
    walk(d.request.nodes);
    const expected = findSpan(explainRequest(entry.request).spans, 'topics[0].name')!;
    const node = flat.find((n) => n.path === 'topics[0].name' && n.kind === 'value');
    expect({ offset: node.offset, length: node.length }).toEqual({
      offset: expected.offset,
      length: expected.length,
    });
    expect(node.value).toBe('"topic-7"');
    expect(d.request.hex).toBe(entry.request.toString('hex'));
    expect(d.request.json.body.topics[0].name).toBe('topic-7');
    expect(d.response).toBeUndefined();
    expect((await get(inspector.port, '/api/exchanges/999')).status).toBe(404);
  });

  it('never shows SASL credentials: SaslAuthenticate authBytes are zeroed in tree, hex and JSON', async () => {
    const sasl = apiByName('SaslAuthenticate')!;
    const secret = 'hunter2-secret';
    const frame = encodeRequestFrame({
      api: sasl,
      version: 2,
      correlationId: 3,
      clientId: 'c',
      body: { authBytes: Buffer.from(`\0alice\0${secret}`) },
    } as any);
    const hub = new ExchangeHub();
    const id = hub.add({
      ...metadataEntry(3),
      apiKey: sasl.apiKey,
      api: sasl.name,
      version: 2,
      request: frame,
    });
    const inspector = await serve(hub);
    const text = (await get(inspector.port, `/api/exchanges/${id}`)).body;
    expect(frame.toString('hex')).toContain(Buffer.from(secret).toString('hex'));
    expect(text).not.toContain(Buffer.from(secret).toString('hex'));
    expect(text).not.toContain(Buffer.from(secret).toString('base64').slice(0, 12));
    expect(text).not.toContain(secret);
    expect(text).not.toContain('alice');
    const d = JSON.parse(text);
    const node = d.request.nodes
      .flatMap((n: any) => [n, ...(n.children ?? [])])
      .find((n: any) => n.path === 'authBytes' && n.kind === 'value');
    expect(node.value).toMatch(/redacted/);
    // Same size and place: only the credential bytes are blanked.
    expect(d.request.hex.length).toBe(frame.length * 2);
  });

  it('names the byte where a corrupted frame stopped decoding and keeps the spans before it', async () => {
    const hub = new ExchangeHub();
    const good = metadataEntry(8);
    // Cut inside the topic name: the frame size still claims the whole body.
    const cut = Buffer.from(good.request.subarray(0, good.request.length - 6));
    cut.writeInt32BE(cut.length - 4, 0);
    const id = hub.add({ ...good, request: cut });
    const inspector = await serve(hub);
    const d = JSON.parse((await get(inspector.port, `/api/exchanges/${id}`)).body);
    expect(d.request.error.message).toMatch(
      /string length 7 exceeds the 5 bytes left at 0x[0-9a-f]+ \(topics\[0\]\.name\)/,
    );
    expect(d.request.error.path).toMatch(/^topics\[0\]/);
    expect(d.request.error.offset).toBeGreaterThan(0);
    expect(d.request.error.offset).toBeLessThanOrEqual(cut.length);
    expect(d.request.nodes.length).toBeGreaterThan(0);
    expect(d.request.json).toBeNull();
  });

  it('keeps a slow page’s event queue bounded: add() never waits, the surplus is dropped and counted', async () => {
    const hub = new ExchangeHub({ queueLimit: 100, historyLimit: 100 });
    const inspector = await serve(hub);
    const sent = 40_000;
    const events: { event: string; data: any }[] = [];
    let response!: IncomingMessage;
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: inspector.port, path: '/api/events' }, (res) => {
        response = res;
        resolve();
      });
      req.on('error', reject);
      req.end();
    });
    // The page stops reading: nothing is consumed until resume().
    response.pause();
    await until(() => hub.subscriberCount === 1);
    const subscriber = (hub as any).subscribers.values().next().value as Subscriber;
    let maxQueued = 0;
    const started = performance.now();
    for (let i = 0; i < sent; i++) {
      hub.add(metadataEntry(i, `client-${i % 7}-${'x'.repeat(200)}`));
      maxQueued = Math.max(maxQueued, subscriber.queued);
    }
    const addMs = performance.now() - started;
    // Bounded: the limit plus one drop mark, however far behind the page is.
    expect(maxQueued).toBeLessThanOrEqual(101);
    expect(subscriber.droppedTotal).toBeGreaterThan(0);
    // The history is bounded too.
    expect(hub.list().length).toBe(100);
    expect(hub.evicted).toBe(sent - 100);
    // 40,000 adds with a blocked reader stay cheap (a generous bound for a loaded 2-core machine).
    expect(addMs).toBeLessThan(10_000);

    // The page reads again: every exchange is either delivered or counted as dropped, in order.
    let buffer = '';
    let delivered = 0;
    let dropped = 0;
    response.setEncoding('utf8');
    await new Promise<void>((resolve) => {
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (\w+)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event === 'exchanges' && data) {
            // The exchanges of one turn come as one event; each is looked at on its own below.
            for (const summary of JSON.parse(data)) events.push({ event: 'exchange', data: summary });
            delivered = events.filter((e) => e.event === 'exchange').length;
          } else if (event && data) {
            events.push({ event, data: JSON.parse(data) });
            if (event === 'dropped') dropped += events[events.length - 1].data.count;
          }
          end = buffer.indexOf('\n\n');
        }
        if (delivered + dropped === sent) resolve();
      });
      response.resume();
    });
    expect(delivered + dropped).toBe(sent);
    expect(dropped).toBe(subscriber.droppedTotal);
    // Ids of delivered exchanges only grow; a drop report sits where the gap is.
    const ids = events.filter((e) => e.event === 'exchange').map((e) => e.data.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const firstDrop = events.findIndex((e) => e.event === 'dropped');
    // (The first event may be a drop: ids the history forgot while the page was not reading.)
    const before = firstDrop > 0 ? events[firstDrop - 1].data.id : 0;
    const after = events.slice(firstDrop).find((e) => e.event === 'exchange')?.data.id ?? sent + 1;
    expect(after - before - 1).toBe(events[firstDrop].data.count);
  });

  it('keeps the newest exchanges in a ring: a count bound and a byte bound, old ids gone, the rest in order', async () => {
    const hub = new ExchangeHub({ historyLimit: 1000 });
    for (let i = 0; i < 2500; i++) hub.add(metadataEntry(i));
    expect(hub.size).toBe(1000);
    expect(hub.evicted).toBe(1500);
    expect(hub.get(1500)).toBeUndefined();
    expect(hub.get(1501)?.correlationId).toBe(1500);
    expect(hub.get(2500)?.correlationId).toBe(2499);
    expect(hub.get(2501)).toBeUndefined();
    const listed = hub.list().map((s) => s.id);
    expect(listed[0]).toBe(1501);
    expect(listed).toEqual(Array.from({ length: 1000 }, (_, i) => 1501 + i));
    const { port } = await serve(hub);
    const info = JSON.parse((await get(port, '/api/info')).body);
    expect(info).toMatchObject({ count: 1000, evicted: 1500, historyLimit: 1000 });
    const json = JSON.parse((await get(port, '/api/exchanges')).body);
    expect(json.map((s: any) => s.id)).toEqual(listed);
    expect((await get(port, '/api/exchanges/1500')).status).toBe(404);
    expect((await get(port, '/api/exchanges/1501')).status).toBe(200);

    // The byte bound: a budget of three frames keeps the newest three; one that fits none keeps the newest.
    const frame = metadataEntry(0).request.length;
    const byBytes = new ExchangeHub({ historyBytes: frame * 3 });
    for (let i = 0; i < 10; i++) byBytes.add(metadataEntry(i));
    expect(byBytes.size).toBe(3);
    expect(byBytes.keptBytes).toBeLessThanOrEqual(frame * 3);
    expect(byBytes.list().map((s) => s.correlationId)).toEqual([7, 8, 9]);
    const tiny = new ExchangeHub({ historyBytes: 1 });
    tiny.add(metadataEntry(1));
    tiny.add(metadataEntry(2));
    expect(tiny.list().map((s) => s.correlationId)).toEqual([2]);

    // A frame cut out of a large read is copied, so the history does not pin the whole read.
    const read = Buffer.alloc(64 * 1024);
    const entry = metadataEntry(3);
    entry.request.copy(read, 100);
    const kept = new ExchangeHub();
    const id = kept.add({ ...entry, request: read.subarray(100, 100 + entry.request.length) });
    expect(kept.get(id)!.request.buffer).not.toBe(read.buffer);
    read.fill(0xff);
    expect(kept.get(id)!.request.equals(entry.request)).toBe(true);
  });

  it('a subscriber writes the summaries of one turn as one event, again where its sink drained, reporting drops in place', async () => {
    const written: string[] = [];
    let full = false;
    let drain: (() => void) | undefined;
    const sink: EventSink = {
      write: (t) => {
        written.push(t);
        return !full;
      },
      onDrain: (fn) => {
        drain = fn;
      },
    };
    const turn = () => new Promise<void>((r) => setImmediate(r));
    const entry = metadataEntry(1);
    const batch = (...ids: string[]) =>
      `event: exchanges\ndata: [${ids.map((id) => summaryJson(Number(id), entry)).join(',')}]\n\n`;
    const source: SummarySource = { has: () => true, json: (id) => summaryJson(id, entry) };
    const slot = (id: string) => Number(id);
    const s = new Subscriber(sink, 2, source);
    s.offer(slot('1'));
    s.offer(slot('2'));
    // Nothing goes out before the turn ends; then both in one event.
    expect(written).toEqual([]);
    await turn();
    expect(written).toEqual([batch('1', '2')]);
    full = true;
    s.offer(slot('3')); // written at the end of the turn, then the sink says it is full
    await turn();
    s.offer(slot('4'));
    s.offer(slot('5')); // queued: 4, 5
    s.offer(slot('6'));
    s.offer(slot('7')); // dropped: 2
    await turn();
    expect(s.queued).toBe(3);
    expect(written).toEqual([batch('1', '2'), batch('3')]);
    full = false;
    drain!();
    expect(written.slice(2)).toEqual([batch('4', '5'), 'event: dropped\ndata: {"count":2,"total":2}\n\n']);
    s.offer(slot('8'));
    await turn();
    expect(written[written.length - 1]).toBe(batch('8'));
  });

  it('a subscriber blocked for longer than the history lasts reports what was forgotten as dropped, in place', async () => {
    const written: string[] = [];
    let full = true;
    let drain: (() => void) | undefined;
    const sink: EventSink = {
      write: (t) => {
        written.push(t);
        return !full;
      },
      onDrain: (fn) => {
        drain = fn;
      },
    };
    const entry = metadataEntry(1);
    let firstKept = 1;
    const source: SummarySource = { has: (id) => id >= firstKept, json: (id) => summaryJson(id, entry) };
    const s = new Subscriber(sink, 3, source);
    s.offer(1); // written, then the sink is full
    await new Promise<void>((r) => setImmediate(r));
    s.offer(2);
    s.offer(3);
    s.offer(4);
    s.offer(5); // dropped: the queue holds 3
    firstKept = 4; // the history forgot 2 and 3 meanwhile
    full = false;
    drain!();
    expect(written.slice(1)).toEqual([
      'event: dropped\ndata: {"count":2,"total":3}\n\n',
      `event: exchanges\ndata: [${summaryJson(4, entry)}]\n\n`,
      'event: dropped\ndata: {"count":1,"total":3}\n\n',
    ]);
    expect(s.droppedTotal).toBe(3);
  });
});

function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  // The server registers the subscriber when the request arrives; poll on the event loop, bounded.
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      if (check()) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error('subscriber never registered'));
      setImmediate(tick);
    };
    tick();
  });
}

describe('inspector: field rules, export, tutorial link', () => {
  it('a field carries its declaration rule; an exchange exports as hex, listing and JSON; an API links its tutorial chapter', async () => {
    const hub = new ExchangeHub();
    const id = hub.add(metadataEntry(7));
    const { port } = await serve(hub);
    const detail = JSON.parse((await get(port, `/api/exchanges/${id}`)).body);
    const flat: any[] = [];
    const walk = (ns: any[]) => {
      for (const n of ns) {
        flat.push(n);
        if (n.children) walk(n.children);
      }
    };
    walk(detail.request.nodes);
    const name = flat.find((n) => n.path === 'topics[0].name');
    expect(name.rule).toContain('nullable (nullableVersions 10+)');
    expect(name.rule).toContain('compact length');
    expect(flat.find((n) => n.path === 'header.clientId').rule).toContain('classic encoding');
    const hex = await get(port, `/api/exchanges/${id}/export.hex`);
    expect(hex.body).toContain(`request ${detail.request.hex}`);
    const listing = await get(port, `/api/exchanges/${id}/export.txt`);
    expect(listing.body).toMatch(/topics\[0\]\.name\s+"topic-7"/);
    const json = JSON.parse((await get(port, `/api/exchanges/${id}/export.json`)).body);
    expect(json.request.json.body.topics[0].name).toBe('topic-7');
    const tutorial = JSON.parse((await get(port, '/api/tutorial/Metadata')).body);
    expect(tutorial.title).toBe('3. The listeners lesson');
    expect((await get(port, '/api/tutorial/Nope')).status).toBe(404);
  });
});
