/**
 * The inspector's exchange store and its fan-out to pages. `add()` is what the emulator's observer
 * calls on the event loop with every finished exchange, so it does a bounded amount of work and never
 * waits: it keeps the entry (the newest `historyLimit` of them, in a ring), turns it into one JSON summary, and
 * offers that text to every subscriber. A subscriber whose page reads slower than exchanges arrive
 * gets at most `queueLimit` summaries queued; beyond that they are dropped and counted, and the
 * count is sent to the page once it catches up (drop-and-count on the inspector's side, never in the
 * broker: the broker's own queues and responses are untouched).
 */
import { type EntrySummary, summarize, summaryJson, type TraceEntry } from '../trace/entry.js';

export interface HubOptions {
  /** Entries kept for the list and for detail requests (default 100,000); older ones are forgotten. */
  historyLimit?: number;
  /** Bytes of frames kept (default 256 MiB): large frames make the history shorter, never unbounded. */
  historyBytes?: number;
  /** Summaries queued per subscriber before new ones are dropped and counted (default 1,000). */
  queueLimit?: number;
  /**
   * Milliseconds a page's batch gathers before it is written (default 20: a display frame is 16.7 ms).
   * Under load one write and one JSON.parse per batch instead of per turn: the broker's event loop
   * pays for fewer, larger writes, and a person sees no difference.
   */
  flushMs?: number;
}

/** Where a subscriber's events go: `write` returns false when the consumer is full (as a stream does). */
export interface EventSink {
  write(text: string): boolean;
  /** Called once when the consumer can take more after `write` returned false. */
  onDrain(fn: () => void): void;
}

/** Where in a subscriber's queue summaries were dropped, and how many. */
interface DropMark {
  dropped: number;
}

function isDropMark(x: Slot | DropMark): x is DropMark {
  return (x as Slot).entry === undefined;
}

/** Summaries per `exchanges` event at most: one event stays a bounded piece of work for the page. */
const MAX_BATCH = 500;

/**
 * One page's feed. Summaries offered in the same event-loop turn go out together, as one
 * `exchanges` event holding a JSON array: at 10,000 exchanges a second, one event (and one socket
 * write, one JSON.parse, one draw on the page) per exchange cost the page its frame rate.
 */
export class Subscriber {
  /** Exchanges in order; a DropMark stands where summaries were dropped (so the page learns in order). */
  private readonly queue: (Slot | DropMark)[] = [];
  private blocked = false;
  private closed = false;
  private flushQueued = false;
  /** Every summary ever dropped for this subscriber. */
  droppedTotal = 0;

  constructor(
    private readonly sink: EventSink,
    private readonly limit: number,
    /** How long the first queued summary waits for others before the batch is written (0: the end of this turn). */
    private readonly flushMs = 0,
  ) {}

  /** Entries waiting to be written: at most the limit, plus one drop mark. */
  get queued(): number {
    return this.queue.length;
  }

  /**
   * Queues one exchange; its summary JSON is built when it is written with the others of this turn
   * (once, shared by every page), so an exchange dropped for a slow page costs nothing more.
   */
  offer(summary: Slot): void {
    if (this.closed) return;
    if (this.queue.length >= this.limit) {
      this.droppedTotal++;
      const last = this.queue[this.queue.length - 1];
      if (last !== undefined && isDropMark(last)) last.dropped++;
      else this.queue.push({ dropped: 1 });
      return;
    }
    this.queue.push(summary);
    if (!this.blocked && !this.flushQueued) {
      this.flushQueued = true;
      const flush = () => {
        this.flushQueued = false;
        this.pump();
      };
      if (this.flushMs > 0) setTimeout(flush, this.flushMs);
      else setImmediate(flush);
    }
  }

  close(): void {
    this.closed = true;
    this.queue.length = 0;
  }

  /** Writes what is queued — runs of summaries as `exchanges` events, drop marks as `dropped` — until the sink is full. */
  pump(): void {
    while (!this.closed && !this.blocked && this.queue.length > 0) {
      const head = this.queue[0]!;
      let event: string;
      if (isDropMark(head)) {
        this.queue.shift();
        event = sse('dropped', `{"count":${head.dropped},"total":${this.droppedTotal}}`);
      } else {
        let n = 0;
        while (n < this.queue.length && n < MAX_BATCH && !isDropMark(this.queue[n]!)) n++;
        const texts = (this.queue.splice(0, n) as Slot[]).map(textOf);
        event = sse('exchanges', `[${texts.join(',')}]`);
      }
      if (!this.sink.write(event)) {
        this.blocked = true;
        this.sink.onDrain(() => {
          this.blocked = false;
          this.pump();
        });
      }
    }
  }
}

/** One Server-Sent Events message (the data is one line of JSON, so one `data:` field). */
export function sse(event: string, data: string): string {
  return `event: ${event}\ndata: ${data}\n\n`;
}

/** One kept exchange: its entry and, once some reader needed it, its summary as JSON text. */
export interface Slot {
  id: number;
  entry: TraceEntry;
  bytes: number;
}

/**
 * The kept exchanges, a ring buffer: the newest `historyLimit` entries whose frames together stay
 * under `historyBytes`. Adding past either bound forgets the oldest (counted in `evicted`), in O(1):
 * at 10,000 exchanges a second, shifting a 100,000-element array would cost more than the broker.
 */
export class ExchangeHub {
  private readonly ring: (Slot | undefined)[];
  /** Index in `ring` of the oldest kept slot, and how many are kept. */
  private head = 0;
  private count = 0;
  private bytes = 0;
  private nextId = 1;
  private readonly subscribers = new Set<Subscriber>();
  readonly historyLimit: number;
  readonly historyBytes: number;
  private readonly queueLimit: number;
  private readonly flushMs: number;
  /** Entries forgotten because the history was full. */
  evicted = 0;

  constructor(options: HubOptions = {}) {
    this.historyLimit = Math.max(1, options.historyLimit ?? DEFAULT_HISTORY_LIMIT);
    this.historyBytes = options.historyBytes ?? DEFAULT_HISTORY_BYTES;
    this.queueLimit = options.queueLimit ?? 1_000;
    this.flushMs = options.flushMs ?? 20;
    this.ring = new Array(this.historyLimit);
  }

  add(entry: TraceEntry): number {
    const id = this.nextId++;
    const kept = keepable(entry);
    const slot: Slot = { id, entry: kept, bytes: kept.request.length + (kept.response?.length ?? 0) };
    if (this.count === this.historyLimit) this.evictOldest();
    this.ring[(this.head + this.count) % this.historyLimit] = slot;
    this.count++;
    this.bytes += slot.bytes;
    // The byte bound keeps at least the newest entry, however large.
    while (this.bytes > this.historyBytes && this.count > 1) this.evictOldest();
    for (const s of this.subscribers) s.offer(slot);
    return id;
  }

  private evictOldest(): void {
    const old = this.ring[this.head]!;
    this.ring[this.head] = undefined;
    this.head = (this.head + 1) % this.historyLimit;
    this.count--;
    this.bytes -= old.bytes;
    this.evicted++;
  }

  private slot(id: number): Slot | undefined {
    if (this.count === 0) return undefined;
    const first = this.ring[this.head]!.id;
    // Ids are consecutive, so an id's place in the ring is arithmetic.
    if (!Number.isInteger(id) || id < first || id >= first + this.count) return undefined;
    return this.ring[(this.head + (id - first)) % this.historyLimit];
  }

  get(id: number): TraceEntry | undefined {
    return this.slot(id)?.entry;
  }

  /** How many entries are kept, and the bytes of their frames. */
  get size(): number {
    return this.count;
  }

  get keptBytes(): number {
    return this.bytes;
  }

  /** Every kept summary, oldest first. */
  list(): EntrySummary[] {
    const out: EntrySummary[] = [];
    for (let i = 0; i < this.count; i++) {
      const slot = this.ring[(this.head + i) % this.historyLimit]!;
      out.push(summarize(slot.id, slot.entry));
    }
    return out;
  }

  /** `list()` as JSON text, from the summaries' text (built once per entry). */
  listJson(): string {
    const parts: string[] = new Array(this.count);
    for (let i = 0; i < this.count; i++) parts[i] = textOf(this.ring[(this.head + i) % this.historyLimit]!);
    return `[${parts.join(',')}]`;
  }

  subscribe(sink: EventSink): Subscriber {
    const s = new Subscriber(sink, this.queueLimit, this.flushMs);
    this.subscribers.add(s);
    return s;
  }

  unsubscribe(s: Subscriber): void {
    s.close();
    this.subscribers.delete(s);
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }
}

/** Defaults: 100,000 exchanges (ten seconds at 10,000 a second), 256 MiB of frames. */
export const DEFAULT_HISTORY_LIMIT = 100_000;
export const DEFAULT_HISTORY_BYTES = 256 * 1024 * 1024;

/**
 * Built each time it is written, not kept: 100,000 kept summaries would be 30 MB of strings the
 * garbage collector walks for as long as the history holds them (a second page builds its own).
 */
function textOf(slot: Slot): string {
  return summaryJson(slot.id, slot.entry);
}

/**
 * The entry with frames that hold no more memory than their bytes: a frame cut out of a large
 * socket read would keep the whole read alive as long as the history keeps the entry.
 */
function keepable(entry: TraceEntry): TraceEntry {
  const own = (b: Buffer) =>
    b.buffer.byteLength > 16 * 1024 && b.buffer.byteLength > 2 * b.length ? Buffer.from(b) : b;
  const request = own(entry.request);
  const response = entry.response && own(entry.response);
  if (request === entry.request && response === entry.response) return entry;
  return { ...entry, request, ...(response ? { response } : {}) };
}
