/**
 * The inspector's exchange store and its fan-out to pages. `add()` is what the emulator's observer
 * calls on the event loop with every finished exchange, so it does a bounded amount of work and never
 * waits: it keeps the entry (the newest `historyLimit` of them, history.ts) and offers its id to every
 * subscriber, which writes the summaries of one batch as JSON when it flushes. A subscriber whose page reads slower than exchanges arrive
 * gets at most `queueLimit` summaries queued; beyond that they are dropped and counted, and the
 * count is sent to the page once it catches up (drop-and-count on the inspector's side, never in the
 * broker: the broker's own queues and responses are untouched).
 */
import { type EntrySummary, summarize, type TraceEntry } from '../trace/entry.js';
import { ExchangeHistory } from './history.js';

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

/** Where a subscriber gets the summaries of the exchanges it queued (the hub's history). */
export interface SummarySource {
  /** Whether the history still keeps this exchange. */
  has(id: number): boolean;
  /** Its list-row summary as JSON text. */
  json(id: number): string;
}

/** Summaries per `exchanges` event at most: one event stays a bounded piece of work for the page. */
const MAX_BATCH = 500;

/**
 * One page's feed. Summaries offered in the same event-loop turn go out together, as one
 * `exchanges` event holding a JSON array: at 10,000 exchanges a second, one event (and one socket
 * write, one JSON.parse, one draw on the page) per exchange cost the page its frame rate.
 */
export class Subscriber {
  /** Exchange ids in order; a DropMark stands where summaries were dropped (so the page learns in order). */
  private readonly queue: (number | DropMark)[] = [];
  private blocked = false;
  private closed = false;
  private flushQueued = false;
  /** Every summary ever dropped for this subscriber. */
  droppedTotal = 0;

  constructor(
    private readonly sink: EventSink,
    private readonly limit: number,
    private readonly summaries: SummarySource,
    /** How long the first queued summary waits for others before the batch is written (0: the end of this turn). */
    private readonly flushMs = 0,
  ) {}

  /** Entries waiting to be written: at most the limit, plus one drop mark. */
  get queued(): number {
    return this.queue.length;
  }

  /**
   * Queues one exchange by id; its summary JSON is built when it is written with the others of
   * this turn, so an exchange dropped for a slow page costs nothing more.
   */
  offer(id: number): void {
    if (this.closed) return;
    if (this.queue.length >= this.limit) {
      this.drop(1);
      return;
    }
    this.queue.push(id);
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

  private drop(n: number): void {
    this.droppedTotal += n;
    const last = this.queue[this.queue.length - 1];
    if (last !== undefined && typeof last !== 'number') last.dropped += n;
    else this.queue.push({ dropped: n });
  }

  /**
   * A page blocked for longer than the history lasts: the queued exchanges the history has forgotten
   * since (always the oldest, so a prefix of the queue) are dropped, reported where they were.
   * True when it changed the queue.
   */
  private forgetForgotten(): boolean {
    let n = 0;
    while (n < this.queue.length) {
      const x = this.queue[n];
      if (typeof x !== 'number' || this.summaries.has(x)) break;
      n++;
    }
    if (n === 0) return false;
    this.queue.splice(0, n);
    this.droppedTotal += n;
    const next = this.queue[0];
    if (next !== undefined && typeof next !== 'number') next.dropped += n;
    else this.queue.unshift({ dropped: n });
    return true;
  }

  close(): void {
    this.closed = true;
    this.queue.length = 0;
  }

  /** Writes what is queued — runs of summaries as `exchanges` events, drop marks as `dropped` — until the sink is full. */
  pump(): void {
    while (!this.closed && !this.blocked && this.queue.length > 0) {
      if (this.forgetForgotten()) continue;
      const head = this.queue[0]!;
      let event: string;
      if (typeof head !== 'number') {
        this.queue.shift();
        event = sse('dropped', `{"count":${head.dropped},"total":${this.droppedTotal}}`);
      } else {
        let n = 0;
        while (n < this.queue.length && n < MAX_BATCH && typeof this.queue[n] === 'number') n++;
        const texts = (this.queue.splice(0, n) as number[]).map((id) => this.summaries.json(id));
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

/**
 * The kept exchanges (history.ts) and the pages that follow them. Adding past the history's bounds
 * forgets the oldest (counted in `evicted`).
 */
export class ExchangeHub {
  private readonly history: ExchangeHistory;
  private readonly subscribers = new Set<Subscriber>();
  private readonly queueLimit: number;
  private readonly flushMs: number;
  private readonly summaries: SummarySource = {
    has: (id) => this.history.has(id),
    json: (id) => this.history.summaryJson(id)!,
  };

  constructor(options: HubOptions = {}) {
    this.history = new ExchangeHistory(
      Math.max(1, options.historyLimit ?? DEFAULT_HISTORY_LIMIT),
      options.historyBytes ?? DEFAULT_HISTORY_BYTES,
    );
    this.queueLimit = options.queueLimit ?? 1_000;
    this.flushMs = options.flushMs ?? 20;
  }

  get historyLimit(): number {
    return this.history.limit;
  }

  get historyBytes(): number {
    return this.history.maxBytes;
  }

  /** Entries forgotten because the history was full. */
  get evicted(): number {
    return this.history.evicted;
  }

  add(entry: TraceEntry): number {
    const id = this.history.add(entry);
    for (const s of this.subscribers) s.offer(id);
    return id;
  }

  get(id: number): TraceEntry | undefined {
    return this.history.get(id);
  }

  /** How many entries are kept, and the bytes of their frames. */
  get size(): number {
    return this.history.size;
  }

  get keptBytes(): number {
    return this.history.keptBytes;
  }

  /** Every kept summary, oldest first. */
  list(): EntrySummary[] {
    const out: EntrySummary[] = [];
    for (let id = this.history.firstId, n = 0; n < this.history.size; id++, n++) {
      out.push(summarize(id, this.history.get(id)!));
    }
    return out;
  }

  /** `list()` as JSON text, written field by field (summaryJson) rather than through objects. */
  listJson(): string {
    const parts: string[] = new Array(this.history.size);
    for (let id = this.history.firstId, n = 0; n < parts.length; id++, n++)
      parts[n] = this.summaries.json(id);
    return `[${parts.join(',')}]`;
  }

  subscribe(sink: EventSink): Subscriber {
    const s = new Subscriber(sink, this.queueLimit, this.summaries, this.flushMs);
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
