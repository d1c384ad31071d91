/**
 * The inspector's kept exchanges: the newest `limit` entries whose frames together stay under
 * `maxBytes`, oldest forgotten first, in O(1) per entry.
 *
 * Stored by column, not as an object per entry. At 10,000 exchanges a second the history holds
 * 100,000 entries; kept as objects (entry, two Buffers, an error-code array, a decoded client-id
 * string) that was half a million long-lived objects, and the garbage collector walking them was
 * most of what attaching the inspector cost the emulator (a CPU profile under 10,000 Metadata
 * requests a second: GC 20% of the emulator's samples bare, 36% attached). Here an entry is a row
 * of typed arrays, pointers to shared strings (client ids interned), and its two frames copied
 * back to back into large byte slabs — the collector sees a few arrays and a slab per few MiB.
 * `get()` builds an entry object when someone asks for one.
 */
import { rowJson, type TraceEntry } from '../trace/entry.js';

/** Frames are copied into slabs of this size; a larger frame gets a slab of its own size. */
const SLAB_BYTES = 4 * 1024 * 1024;

/** Distinct client ids remembered for interning before the table starts again. */
const INTERN_LIMIT = 1024;

const NO_ERRORS: readonly number[] = [];

export class ExchangeHistory {
  readonly limit: number;
  readonly maxBytes: number;
  /** Ring position of the oldest entry, and how many are kept. */
  private head = 0;
  private count = 0;
  private bytes = 0;
  private nextId = 1;
  /** Entries forgotten because the history was full. */
  evicted = 0;

  private readonly connection: Int32Array;
  private readonly apiKey: Int16Array;
  private readonly version: Int16Array;
  /** -1: the response has the request's version. */
  private readonly responseVersion: Int16Array;
  private readonly correlationId: Int32Array;
  private readonly receivedAt: Float64Array;
  private readonly latencyMs: Float64Array;
  private readonly remote: string[];
  private readonly clientId: (string | null)[];
  private readonly api: (string | null)[];
  private readonly outcome: string[];
  /** Error codes of the few entries that have any, by ring position. */
  private readonly errorCodes = new Map<number, readonly number[]>();
  /** Where the entry's frames are: slab sequence number, offset, request length, response length (-1: none). */
  private readonly slabSeq: Int32Array;
  private readonly frameAt: Int32Array;
  private readonly requestLength: Int32Array;
  private readonly responseLength: Int32Array;

  /** Slabs still holding a kept frame, oldest first; `firstSeq` is the sequence number of slabs[0]. */
  private readonly slabs: Buffer[] = [];
  private firstSeq = 0;
  /** Bytes used of the newest slab. */
  private slabUsed = 0;
  private readonly interned = new Map<string, string>();

  constructor(limit: number, maxBytes: number) {
    this.limit = limit;
    this.maxBytes = maxBytes;
    this.connection = new Int32Array(limit);
    this.apiKey = new Int16Array(limit);
    this.version = new Int16Array(limit);
    this.responseVersion = new Int16Array(limit);
    this.correlationId = new Int32Array(limit);
    this.receivedAt = new Float64Array(limit);
    this.latencyMs = new Float64Array(limit);
    this.remote = new Array(limit);
    this.clientId = new Array(limit);
    this.api = new Array(limit);
    this.outcome = new Array(limit);
    this.slabSeq = new Int32Array(limit);
    this.frameAt = new Int32Array(limit);
    this.requestLength = new Int32Array(limit);
    this.responseLength = new Int32Array(limit);
  }

  get size(): number {
    return this.count;
  }

  /** Bytes of the kept frames. */
  get keptBytes(): number {
    return this.bytes;
  }

  /** Ids of the oldest and the next entry: the kept ones are `first` up to `end - 1`. */
  get firstId(): number {
    return this.nextId - this.count;
  }

  add(e: TraceEntry): number {
    if (this.count === this.limit) this.evictOldest();
    const id = this.nextId++;
    const at = (this.head + this.count) % this.limit;
    this.count++;
    this.connection[at] = e.connection;
    this.apiKey[at] = e.apiKey;
    this.version[at] = e.version;
    this.responseVersion[at] = e.responseVersion ?? -1;
    this.correlationId[at] = e.correlationId;
    this.receivedAt[at] = e.receivedAt;
    this.latencyMs[at] = e.latencyMs;
    this.remote[at] = e.remote;
    this.clientId[at] = e.clientId === null ? null : this.intern(e.clientId);
    this.api[at] = e.api;
    this.outcome[at] = e.outcome;
    if (e.errorCodes.length > 0) this.errorCodes.set(at, e.errorCodes);
    else this.errorCodes.delete(at);
    this.keepFrames(at, e.request, e.response);
    // The byte bound keeps at least the newest entry, however large.
    while (this.bytes > this.maxBytes && this.count > 1) this.evictOldest();
    return id;
  }

  /** The entry with this id, built from its row; its frames are views of the history's slabs. */
  get(id: number): TraceEntry | undefined {
    const at = this.positionOf(id);
    if (at === undefined) return undefined;
    const slab = this.slabs[this.slabSeq[at]! - this.firstSeq]!;
    const from = this.frameAt[at]!;
    const requestEnd = from + this.requestLength[at]!;
    const responseLength = this.responseLength[at]!;
    const responseVersion = this.responseVersion[at]!;
    return {
      connection: this.connection[at]!,
      remote: this.remote[at]!,
      clientId: this.clientId[at]!,
      apiKey: this.apiKey[at]!,
      api: this.api[at]!,
      version: this.version[at]!,
      ...(responseVersion === -1 ? {} : { responseVersion }),
      correlationId: this.correlationId[at]!,
      receivedAt: this.receivedAt[at]!,
      latencyMs: this.latencyMs[at]!,
      outcome: this.outcome[at]!,
      errorCodes: this.errorCodes.get(at) ?? [],
      request: slab.subarray(from, requestEnd),
      ...(responseLength < 0 ? {} : { response: slab.subarray(requestEnd, requestEnd + responseLength) }),
    };
  }

  /** The entry's list row (summaryJson) read straight from its columns: no entry object, no frame views. */
  summaryJson(id: number): string | undefined {
    const at = this.positionOf(id);
    if (at === undefined) return undefined;
    return rowJson(
      id,
      this.connection[at]!,
      this.remote[at]!,
      this.clientId[at]!,
      this.apiKey[at]!,
      this.api[at]!,
      this.version[at]!,
      this.responseVersion[at]!,
      this.correlationId[at]!,
      this.receivedAt[at]!,
      this.latencyMs[at]!,
      this.outcome[at]!,
      this.errorCodes.get(at) ?? NO_ERRORS,
      this.requestLength[at]!,
      this.responseLength[at]!,
    );
  }

  has(id: number): boolean {
    return this.positionOf(id) !== undefined;
  }

  private positionOf(id: number): number | undefined {
    const first = this.firstId;
    // Ids are consecutive, so an id's place in the ring is arithmetic.
    if (!Number.isInteger(id) || id < first || id >= this.nextId) return undefined;
    return (this.head + (id - first)) % this.limit;
  }

  private keepFrames(at: number, request: Buffer, response: Buffer | undefined): void {
    const length = request.length + (response?.length ?? 0);
    if (this.slabs.length === 0 || this.slabUsed + length > this.slabs[this.slabs.length - 1]!.length) {
      // allocUnsafeSlow: a slab of its own, not a slice of Node's shared pool.
      this.slabs.push(Buffer.allocUnsafeSlow(Math.max(SLAB_BYTES, length)));
      this.slabUsed = 0;
    }
    const slab = this.slabs[this.slabs.length - 1]!;
    this.slabSeq[at] = this.firstSeq + this.slabs.length - 1;
    this.frameAt[at] = this.slabUsed;
    request.copy(slab, this.slabUsed);
    this.requestLength[at] = request.length;
    if (response) response.copy(slab, this.slabUsed + request.length);
    this.responseLength[at] = response ? response.length : -1;
    this.slabUsed += length;
    this.bytes += length;
  }

  private evictOldest(): void {
    const at = this.head;
    this.bytes -= this.requestLength[at]! + Math.max(0, this.responseLength[at]!);
    // Drop the string pointers too, so a forgotten entry holds nothing alive.
    this.remote[at] = '';
    this.clientId[at] = null;
    this.errorCodes.delete(at);
    this.head = (this.head + 1) % this.limit;
    this.count--;
    this.evicted++;
    // Slabs fill in entry order, so every slab older than the oldest kept entry's is free.
    const keepFrom = this.count > 0 ? this.slabSeq[this.head]! : this.firstSeq + this.slabs.length - 1;
    while (this.firstSeq < keepFrom) {
      this.slabs.shift();
      this.firstSeq++;
    }
  }

  /** One string object per distinct client id: each request decodes its own copy of the same text. */
  private intern(s: string): string {
    const known = this.interned.get(s);
    if (known !== undefined) return known;
    if (this.interned.size >= INTERN_LIMIT) this.interned.clear();
    this.interned.set(s, s);
    return s;
  }
}
