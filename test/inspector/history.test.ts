/**
 * The inspector's column-stored history against the obvious model (an array of the added entries,
 * trimmed from the front to the count and byte bounds): the same entries kept, byte for byte, the
 * same ids, and the frame slabs released as the entries in them are forgotten.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExchangeHistory } from '../../src/inspector/history.js';
import { summaryJson, type TraceEntry } from '../../src/trace/entry.js';

const frame = (n: number) => fc.uint8Array({ minLength: 0, maxLength: n }).map((a) => Buffer.from(a));

const entryArb: fc.Arbitrary<TraceEntry> = fc.record(
  {
    connection: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    remote: fc.constantFrom('127.0.0.1:50001', '127.0.0.1:50002'),
    clientId: fc.option(fc.constantFrom('console-producer', 'rdkafka', ''), { nil: null }),
    apiKey: fc.integer({ min: 0, max: 92 }),
    api: fc.option(fc.constantFrom('Produce', 'Fetch', 'Metadata'), { nil: null }),
    version: fc.integer({ min: 0, max: 20 }),
    responseVersion: fc.integer({ min: 0, max: 4 }),
    correlationId: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    receivedAt: fc.integer({ min: 0, max: 2 ** 45 }),
    latencyMs: fc.double({ min: 0, max: 1e4, noNaN: true }),
    outcome: fc.constantFrom('response', 'no-response', 'closed'),
    errorCodes: fc.array(fc.integer({ min: -1, max: 133 }), { maxLength: 3 }),
    request: frame(300),
    // Sometimes a frame as large as a slab, so that it gets one of its own.
    response: fc.oneof(
      { weight: 9, arbitrary: frame(300) },
      { weight: 1, arbitrary: fc.constant(Buffer.alloc(5 * 1024 * 1024, 7)) },
    ),
  },
  {
    requiredKeys: [
      'connection',
      'remote',
      'clientId',
      'apiKey',
      'api',
      'version',
      'correlationId',
      'receivedAt',
      'latencyMs',
      'outcome',
      'errorCodes',
      'request',
    ],
  },
);

const bytesOf = (e: TraceEntry) => e.request.length + (e.response?.length ?? 0);

describe('inspector history (column-stored ring, frames in slabs)', () => {
  it('keeps what the model keeps: the newest entries within both bounds, equal field by field and byte by byte', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.oneof(fc.constant(Number.POSITIVE_INFINITY), fc.integer({ min: 1, max: 8 * 1024 * 1024 })),
        fc.array(entryArb, { maxLength: 60 }),
        (limit, maxBytes, entries) => {
          const history = new ExchangeHistory(limit, maxBytes);
          let model: { id: number; entry: TraceEntry }[] = [];
          let evicted = 0;
          for (const entry of entries) {
            const id = history.add(entry);
            model.push({ id, entry });
            const before = model.length;
            if (model.length > limit) model = model.slice(model.length - limit);
            let bytes = model.reduce((a, m) => a + bytesOf(m.entry), 0);
            while (bytes > maxBytes && model.length > 1) bytes -= bytesOf(model.shift()!.entry);
            evicted += before - model.length;
            expect(history.size).toBe(model.length);
            expect(history.keptBytes).toBe(bytes);
            expect(history.evicted).toBe(evicted);
            expect(history.firstId).toBe(model[0]!.id);
          }
          for (const { id, entry } of model) {
            const kept = history.get(id)!;
            const { request, response, ...fields } = kept;
            const { request: r0, response: s0, ...expected } = entry;
            expect(fields).toEqual(expected);
            expect(request.equals(r0)).toBe(true);
            expect(response === undefined ? undefined : Buffer.compare(response, s0!)).toBe(
              s0 === undefined ? undefined : 0,
            );
            // The list row written from the columns is the entry's summaryJson, byte for byte.
            expect(history.summaryJson(id)).toBe(summaryJson(id, entry));
          }
          const first = model[0]?.id ?? 1;
          expect(history.get(first - 1)).toBeUndefined();
          expect(history.has(first - 1)).toBe(false);
          expect(history.summaryJson(first - 1)).toBeUndefined();
          expect(history.get(first + model.length)).toBeUndefined();
          // Forgotten entries free their slabs: at most one slab per kept entry plus the one being filled.
          expect((history as any).slabs.length).toBeLessThanOrEqual(model.length + 1);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a kept frame is a copy: changing the buffer it came from changes nothing', () => {
    const history = new ExchangeHistory(4, Number.POSITIVE_INFINITY);
    const read = Buffer.from('0000000c00030009000000010003abcd', 'hex');
    const id = history.add({
      connection: 1,
      remote: '127.0.0.1:1',
      clientId: 'c',
      apiKey: 3,
      api: 'Metadata',
      version: 9,
      correlationId: 1,
      receivedAt: 0,
      latencyMs: 0,
      outcome: 'no-response',
      errorCodes: [],
      request: read,
    });
    read.fill(0);
    expect(history.get(id)!.request.toString('hex')).toBe('0000000c00030009000000010003abcd');
    expect(history.get(id)!.response).toBeUndefined();
  });
});
