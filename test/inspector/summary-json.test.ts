// The live inspector writes each exchange's list row with summaryJson (field by field, for speed);
// it must be exactly the JSON of summarize(), which the recording path and the page's types rely on.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { summarize, summaryJson, type TraceEntry } from '../../src/trace/entry.js';

const text = fc.string({ unit: 'binary', maxLength: 20 });
const entry: fc.Arbitrary<TraceEntry> = fc.record(
  {
    connection: fc.nat(),
    remote: text,
    clientId: fc.option(text, { nil: null }),
    apiKey: fc.integer({ min: -1, max: 100 }),
    api: fc.option(text, { nil: null }),
    version: fc.integer({ min: 0, max: 20 }),
    responseVersion: fc.integer({ min: 0, max: 20 }),
    correlationId: fc.integer(),
    receivedAt: fc.double({ min: 0, max: 2e12, noNaN: true }),
    latencyMs: fc.double({ min: 0, max: 1e6, noNaN: true }),
    outcome: fc.constantFrom('response', 'no-response', 'closed'),
    // Known codes, unknown ones and repeats (the summary lists each once).
    errorCodes: fc.array(fc.integer({ min: -2, max: 140 }), { maxLength: 6 }),
    request: fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b)),
    response: fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b)),
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

describe('summaryJson', () => {
  it('is JSON.stringify(summarize(id, entry)), byte for byte', () => {
    fc.assert(
      fc.property(fc.nat(), entry, (id, e) => {
        expect(summaryJson(id, e)).toBe(JSON.stringify(summarize(id, e)));
      }),
      { numRuns: 2000 },
    );
  });
});
