/**
 * The inspector: a local page that shows Kafka exchanges field by field and byte by byte. Two ways
 * in: a recording (`--record` JSONL of the emulator or the proxy) opened offline, or a live
 * emulator's exchange stream (its hooks' observer). The server is server.ts, the page page/app.ts.
 */
import type { Hooks } from '../emulator/hooks.js';
import { parseTraceFile } from '../proxy/replay.js';
import { entryFromExchange, entryFromRecorded } from '../trace/entry.js';
import { ExchangeHub, type HubOptions } from './hub.js';
import { type Inspector, startInspector } from './server.js';

export { ExchangeHub, type HubOptions, Subscriber } from './hub.js';
export { INSPECTOR_HOST, type Inspector, type InspectorOptions, refusal, startInspector } from './server.js';

export interface InspectOptions extends HubOptions {
  port?: number;
  pageDir?: string;
}

/** Serves a recording: every line becomes an entry, in the order its request arrived. */
export async function inspectRecording(
  text: string,
  name: string,
  o: InspectOptions = {},
): Promise<Inspector & { hub: ExchangeHub; count: number }> {
  const recorded = parseTraceFile(text);
  const hub = new ExchangeHub({ historyLimit: Math.max(o.historyLimit ?? 0, recorded.length), ...o });
  for (const x of recorded) hub.add(entryFromRecorded(x));
  const inspector = await startInspector({
    hub,
    source: { kind: 'file', name },
    port: o.port,
    pageDir: o.pageDir,
  });
  return { ...inspector, hub, count: recorded.length };
}

/** Serves a live emulator's exchanges as they finish; `close()` also stops observing. */
export async function inspectLive(
  hooks: Hooks,
  name: string,
  o: InspectOptions = {},
): Promise<Inspector & { hub: ExchangeHub }> {
  const hub = new ExchangeHub(o);
  const observer = hooks.observe('*', (e) => hub.add(entryFromExchange(e)));
  const inspector = await startInspector({
    hub,
    source: { kind: 'live', name },
    port: o.port,
    pageDir: o.pageDir,
  });
  return {
    ...inspector,
    hub,
    close: async () => {
      observer.remove();
      await inspector.close();
    },
  };
}
