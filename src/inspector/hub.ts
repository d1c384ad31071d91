/**
 * The inspector's exchange store and its fan-out to pages. `add()` is what the emulator's observer
 * calls on the event loop with every finished exchange, so it does a bounded amount of work and never
 * waits: it keeps the entry (the newest `historyLimit` of them), turns it into one JSON summary, and
 * offers that text to every subscriber. A subscriber whose page reads slower than exchanges arrive
 * gets at most `queueLimit` summaries queued; beyond that they are dropped and counted, and the
 * count is sent to the page once it catches up (drop-and-count on the inspector's side, never in the
 * broker: the broker's own queues and responses are untouched).
 */
import { type EntrySummary, summarize, type TraceEntry } from '../trace/entry.js';

export interface HubOptions {
  /** Entries kept for the list and for detail requests (default 20,000); older ones are forgotten. */
  historyLimit?: number;
  /** Summaries queued per subscriber before new ones are dropped and counted (default 1,000). */
  queueLimit?: number;
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

export class Subscriber {
  /** Summaries in order; a DropMark stands where summaries were dropped (so the page learns in order). */
  private readonly queue: (string | DropMark)[] = [];
  private blocked = false;
  private closed = false;
  /** Every summary ever dropped for this subscriber. */
  droppedTotal = 0;

  constructor(
    private readonly sink: EventSink,
    private readonly limit: number,
  ) {}

  /** Entries waiting to be written: at most the limit, plus one drop mark. */
  get queued(): number {
    return this.queue.length;
  }

  offer(event: string): void {
    if (this.closed) return;
    if (this.queue.length >= this.limit) {
      this.droppedTotal++;
      const last = this.queue[this.queue.length - 1];
      if (typeof last === 'object') last.dropped++;
      else this.queue.push({ dropped: 1 });
      return;
    }
    this.queue.push(event);
    if (!this.blocked) this.pump();
  }

  close(): void {
    this.closed = true;
    this.queue.length = 0;
  }

  private pump(): void {
    while (!this.closed) {
      const next = this.queue.shift();
      if (next === undefined) return;
      const event =
        typeof next === 'string'
          ? next
          : sse('dropped', `{"count":${next.dropped},"total":${this.droppedTotal}}`);
      if (!this.sink.write(event)) {
        this.blocked = true;
        this.sink.onDrain(() => {
          this.blocked = false;
          this.pump();
        });
        return;
      }
    }
  }
}

/** One Server-Sent Events message (the data is one line of JSON, so one `data:` field). */
export function sse(event: string, data: string): string {
  return `event: ${event}\ndata: ${data}\n\n`;
}

export class ExchangeHub {
  private readonly entries = new Map<number, TraceEntry>();
  private readonly summaries: EntrySummary[] = [];
  private nextId = 1;
  private readonly subscribers = new Set<Subscriber>();
  private readonly historyLimit: number;
  private readonly queueLimit: number;
  /** Entries forgotten because the history was full. */
  evicted = 0;

  constructor(options: HubOptions = {}) {
    this.historyLimit = options.historyLimit ?? 20_000;
    this.queueLimit = options.queueLimit ?? 1_000;
  }

  add(entry: TraceEntry): number {
    const id = this.nextId++;
    const summary = summarize(id, entry);
    this.entries.set(id, entry);
    this.summaries.push(summary);
    if (this.summaries.length > this.historyLimit) {
      const old = this.summaries.shift()!;
      this.entries.delete(old.id);
      this.evicted++;
    }
    if (this.subscribers.size > 0) {
      const event = sse('exchange', JSON.stringify(summary));
      for (const s of this.subscribers) s.offer(event);
    }
    return id;
  }

  get(id: number): TraceEntry | undefined {
    return this.entries.get(id);
  }

  /** Every kept summary, oldest first. */
  list(): readonly EntrySummary[] {
    return this.summaries;
  }

  subscribe(sink: EventSink): Subscriber {
    const s = new Subscriber(sink, this.queueLimit);
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
