// Property: explaining a frame accounts for every byte exactly once. For random valid messages of
// every API × version × direction, the leaf spans (values and length prefixes) tile the frame: no
// gap, no overlap, from the size prefix to the last byte; containers enclose only whole leaves.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explainRequest, explainResponse } from '../../../src/protocol/explain/index.js';
import { leafSpans } from '../../../src/protocol/explain/span-tree.js';
import { encodeRequestFrame, encodeResponseFrame } from '../../../src/protocol/frame.js';
import { ALL_APIS, apiByName } from '../../../src/protocol/messages/index.js';
import type { Span } from '../../../src/protocol/primitives/spans.js';
import { encodeRecordBatch } from '../../../src/protocol/records/index.js';
import { listVersions } from '../../../src/protocol/schema/versions.js';
import { messageArb } from '../../support/arbitrary.js';

/** Returns a description of the first flaw, or '' when the leaves tile [0, length) exactly. */
function tilingFlaw(spans: readonly Span[], length: number): string {
  let pos = 0;
  for (const s of leafSpans(spans)) {
    if (s.offset < pos) return `overlap: ${s.path} starts at ${s.offset}, previous leaf ends at ${pos}`;
    if (s.offset > pos) return `gap: bytes ${pos}..${s.offset} before ${s.path} are explained by no leaf`;
    if (s.length < 0) return `negative length at ${s.path}`;
    pos += s.length;
  }
  if (pos !== length) return `leaves end at ${pos}, frame has ${length} bytes`;
  for (const c of spans.filter((x) => x.kind === 'container')) {
    if (c.offset < 0 || c.offset + c.length > length) return `container ${c.path} runs outside the frame`;
  }
  return '';
}

describe('tilingFlaw (the checker itself)', () => {
  const leaf = (offset: number, length: number): Span => ({
    offset,
    length,
    path: `f${offset}`,
    wireType: 'INT8',
    kind: 'value',
  });
  it('accepts an exact tiling and reports gaps, overlaps and short coverage', () => {
    expect(tilingFlaw([leaf(0, 2), leaf(2, 1)], 3)).toBe('');
    expect(tilingFlaw([leaf(0, 1), leaf(2, 1)], 3)).toMatch(/^gap/);
    expect(tilingFlaw([leaf(0, 2), leaf(1, 2)], 3)).toMatch(/^overlap/);
    expect(tilingFlaw([leaf(0, 2)], 3)).toMatch(/end at 2/);
  });
});

for (const api of ALL_APIS) {
  describe(`${api.name} (key ${api.apiKey}) spans tile the frame`, () => {
    for (const version of listVersions(api.request.validVersions)) {
      it(`request v${version}`, () => {
        fc.assert(
          fc.property(
            messageArb(api.request, version),
            fc.option(fc.string({ maxLength: 6 })),
            (body, clientId) => {
              const frame = encodeRequestFrame({
                api,
                version,
                correlationId: 42,
                clientId,
                body: body as any,
              });
              const e = explainRequest(frame);
              expect(tilingFlaw(e.spans, frame.length)).toBe('');
            },
          ),
          { numRuns: 12 },
        );
      });
    }
    for (const version of listVersions(api.response.validVersions)) {
      it(`response v${version}`, () => {
        fc.assert(
          fc.property(messageArb(api.response, version), (body) => {
            const frame = encodeResponseFrame({ api, version, correlationId: 42, body: body as any });
            const e = explainResponse(frame, api, version);
            expect(tilingFlaw(e.spans, frame.length)).toBe('');
          }),
          { numRuns: 12 },
        );
      });
    }
  });
}

describe('records fields are explained down to each record', () => {
  for (const compression of ['none', 'gzip'] as const) {
    it(`Produce v9 with a ${compression} batch still tiles, batch header and records included`, () => {
      const Produce = apiByName('Produce')!;
      const batch = encodeRecordBatch({
        records: [
          { key: Buffer.from('k'), value: Buffer.from('hello'), timestamp: 1000n },
          { value: null, timestamp: 1001n },
        ],
        compression,
      });
      const body = {
        acks: -1,
        timeoutMs: 1000,
        topicData: [{ name: 't', partitionData: [{ index: 0, records: batch }] }],
      };
      const frame = encodeRequestFrame({
        api: Produce,
        version: 9,
        correlationId: 1,
        clientId: 'c',
        body: body as any,
      });
      const e = explainRequest(frame);
      expect(tilingFlaw(e.spans, frame.length)).toBe('');
      const prefix = 'topicData[0].partitionData[0].records';
      const magic = e.spans.find((s) => s.path === `${prefix}.batches[0].magic`);
      // 'records' starts after 0x1f (its compact length byte): baseOffset 8 + batchLength 4 + epoch 4.
      expect(magic).toMatchObject({ offset: 0x20 + 16, value: 2 });
      const value = e.spans.find((s) => s.path === `${prefix}.batches[0].records[0].value`);
      if (compression === 'none')
        expect(frame.subarray(value!.offset, value!.offset + value!.length).toString()).toBe('hello');
      // Records inside a compressed block are not at frame offsets: they are left out of the frame's spans.
      else expect(value).toBeUndefined();
    });
  }

  it('leaves bytes that are not record batches as one leaf, saying why', () => {
    const Produce = apiByName('Produce')!;
    const body = {
      acks: 1,
      timeoutMs: 5,
      topicData: [{ name: 't', partitionData: [{ index: 0, records: Buffer.alloc(20) }] }],
    };
    const e = explainRequest(
      encodeRequestFrame({ api: Produce, version: 9, correlationId: 1, body: body as any }),
    );
    const leaf = e.spans.find((s) => s.path === 'topicData[0].partitionData[0].records');
    expect(leaf?.kind).toBe('value');
    // 20 zero bytes: long enough for a batch's magic, which is 0 (a legacy message set), not 2.
    expect(leaf?.note).toMatch(/not record batches: magic 0 is not 2/);
  });
});
