/**
 * The inspector: a local page that shows Kafka exchanges field by field and byte by byte. Three ways
 * in: a recording (`--record` JSONL of the emulator or the proxy) opened offline, a live emulator's
 * exchange stream (its hooks' observer), or the decoding proxy's finished exchanges (a learner's own
 * cluster). The server is server.ts, the page page/app.ts.
 */
import type { Hooks } from '../emulator/hooks.js';
import { parseTraceFile } from '../proxy/replay.js';
import { entryFromExchange, entryFromRecorded, type TraceEntry } from '../trace/entry.js';
import { ExchangeHub, type HubOptions } from './hub.js';
import { type Inspector, startInspector } from './server.js';

export { ExchangeHub, type HubOptions, Subscriber } from './hub.js';
export { INSPECTOR_HOST, type Inspector, type InspectorOptions, refusal, startInspector } from './server.js';

export interface InspectOptions extends HubOptions {
  port?: number;
  pageDir?: string;
  /** A read-only snapshot of broker state for the page's state view (the emulator's). */
  state?: () => unknown;
}

/** Serves a recording: every line becomes an entry, in the order its request arrived. */
export async function inspectRecording(
  text: string,
  name: string,
  o: InspectOptions = {},
): Promise<Inspector & { hub: ExchangeHub; count: number }> {
  const recorded = parseTraceFile(text);
  // A recording is shown whole: it is in memory already.
  const hub = new ExchangeHub({
    ...o,
    historyLimit: Math.max(o.historyLimit ?? 0, recorded.length),
    historyBytes: o.historyBytes ?? Number.POSITIVE_INFINITY,
  });
  for (const x of recorded) hub.add(entryFromRecorded(x));
  const inspector = await startInspector({
    hub,
    source: { kind: 'file', name },
    port: o.port,
    pageDir: o.pageDir,
  });
  return { ...inspector, hub, count: recorded.length };
}

/**
 * Serves exchanges pushed to `add` as they finish (the proxy's `onExchange` feeds it); `add` does a
 * bounded amount of work and never waits.
 */
export async function inspectFeed(
  name: string,
  o: InspectOptions = {},
): Promise<Inspector & { hub: ExchangeHub; add(entry: TraceEntry): void }> {
  const hub = new ExchangeHub(o);
  const inspector = await startInspector({
    hub,
    source: { kind: 'live', name },
    port: o.port,
    pageDir: o.pageDir,
    state: o.state,
  });
  return { ...inspector, hub, add: (entry) => void hub.add(entry) };
}

/** Serves a live emulator's exchanges as they finish; `close()` also stops observing. */
export async function inspectLive(
  hooks: Hooks,
  name: string,
  o: InspectOptions = {},
): Promise<Inspector & { hub: ExchangeHub }> {
  const inspector = await inspectFeed(name, o);
  const { hub } = inspector;
  const observer = hooks.observe('*', (e) => hub.add(entryFromExchange(e)));
  return {
    ...inspector,
    hub,
    close: async () => {
      observer.remove();
      await inspector.close();
    },
  };
}
