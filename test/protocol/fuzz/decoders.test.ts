// Fuzzing every decoder: for every API in ALL_APIS, request and response, every version — random
// bytes, a valid header followed by random bytes, and valid frames mutated (bit flips, boundary bytes,
// inserted and deleted bytes, huge/negative int32 and int16 lengths, extreme varints, truncation),
// plus truncation at every byte of one request and one response frame. The only acceptable outcomes:
// a value no larger than its input (decoded quickly), or a DecodeError inside the input.
// At least FUZZ_PER_API inputs per API (requests + responses across versions); the seed is fixed per
// API so a failure reproduces; set KAFKALAB_FUZZ_SEED to explore other inputs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeRequestFrame,
  decodeRequestHeader,
  decodeResponseFrame,
  encodeRequestFrame,
  encodeResponseFrame,
} from '../../../src/protocol/frame.js';
import { responseHeaderVersion } from '../../../src/protocol/headers.js';
import { ALL_APIS } from '../../../src/protocol/messages/index.js';
import { SpanRecorder } from '../../../src/protocol/primitives/spans.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import type { ApiSpec } from '../../../src/protocol/schema/declare.js';
import { listVersions } from '../../../src/protocol/schema/versions.js';
import { messageArb } from '../../support/arbitrary.js';
import { type FuzzStats, fuzzOne, mutate, newStats, Rng } from './fuzz-support.js';

const FUZZ_PER_API = 10_000;
const SEED = Number(process.env.KAFKALAB_FUZZ_SEED ?? 0x6b61666b);
const POOL = 3;

interface Target {
  direction: 'request' | 'response';
  version: number;
  /** Valid frames of this direction and version to mutate. */
  pool: Buffer[];
  /** Bytes of a valid size prefix + header, to put random bodies behind. */
  headerLength: number;
  decode: (b: Buffer, recorder?: SpanRecorder) => unknown;
}

function targets(api: ApiSpec, seed: number): Target[] {
  const out: Target[] = [];
  for (const version of listVersions(api.request.validVersions)) {
    const pool = fc
      .sample(messageArb(api.request, version, { maxArray: 2 }), { numRuns: POOL, seed: seed + version })
      .map((body) =>
        encodeRequestFrame({ api, version, correlationId: 9, clientId: 'fz', body: body as any }),
      );
    out.push({
      direction: 'request',
      version,
      pool,
      headerLength: decodeRequestHeader(pool[0]).bodyOffset,
      decode: (b, recorder) => {
        // Only what came off the wire: the result also points at the API declaration itself.
        const d = decodeRequestFrame(b, { recorder });
        return { header: d.header, body: d.body };
      },
    });
  }
  for (const version of listVersions(api.response.validVersions)) {
    const pool = fc
      .sample(messageArb(api.response, version, { maxArray: 2 }), {
        numRuns: POOL,
        seed: seed + 100 + version,
      })
      .map((body) => encodeResponseFrame({ api, version, correlationId: 9, body: body as any }));
    const flexible = codecFor(api.response, version).flexible;
    out.push({
      direction: 'response',
      version,
      pool,
      headerLength: 4 + (responseHeaderVersion(api.apiKey, flexible) === 1 ? 5 : 4),
      decode: (b, recorder) => decodeResponseFrame(b, api, version, { recorder }),
    });
  }
  return out;
}

function oneInput(t: Target, rng: Rng): Buffer {
  const kind = rng.int(10);
  if (kind === 0) {
    // Pure noise, half the time with an honest size prefix so the header decoder is reached.
    const b = rng.bytes(rng.int(48));
    if (b.length >= 4 && rng.int(2) === 0) b.writeInt32BE(b.length - 4, 0);
    return b;
  }
  const base = rng.pick(t.pool);
  if (kind <= 2) {
    // A valid header, then noise as the body.
    const b = Buffer.concat([base.subarray(0, t.headerLength), rng.bytes(rng.int(64))]);
    b.writeInt32BE(b.length - 4, 0);
    return b;
  }
  let b = mutate(base, rng);
  for (let extra = rng.int(4) === 0 ? 1 + rng.int(3) : 0; extra > 0; extra--) b = mutate(b, rng);
  return b;
}

for (const api of ALL_APIS) {
  describe(`fuzz ${api.name} (key ${api.apiKey})`, () => {
    it(`survives ${FUZZ_PER_API}+ random and mutated request/response frames`, () => {
      const seed = SEED ^ (api.apiKey * 7919);
      const rng = new Rng(seed);
      const stats: FuzzStats = newStats();
      const all = targets(api, seed);
      const perTarget = Math.ceil(FUZZ_PER_API / all.length);
      // Most inputs end in a DecodeError, and capturing deep test-runner stacks would dominate the
      // run time; a short stack still points into the codec, and the seed reproduces any input.
      const stackLimit = Error.stackTraceLimit;
      Error.stackTraceLimit = 4;
      try {
        fuzzAll(all, api, seed, rng, stats, perTarget);
      } finally {
        Error.stackTraceLimit = stackLimit;
      }
      expect(stats.inputs).toBeGreaterThanOrEqual(FUZZ_PER_API);
      // Both outcomes occur: the fuzzer is neither rejecting everything nor too timid to break frames.
      expect(stats.decoded).toBeGreaterThan(0);
      expect(stats.rejected).toBeGreaterThan(0);
    });
  });
}

function fuzzAll(
  all: Target[],
  api: ApiSpec,
  seed: number,
  rng: Rng,
  stats: FuzzStats,
  perTarget: number,
): void {
  for (const t of all) {
    const what = `${api.name} ${t.direction} v${t.version} (seed ${seed})`;
    for (let i = 0; i < perTarget; i++) {
      // Every 8th input also records spans, so the explain path is fuzzed too.
      const recorder = i % 8 === 0 ? new SpanRecorder() : undefined;
      fuzzOne(oneInput(t, rng), (b) => t.decode(b, recorder), stats, what);
    }
  }
  // Truncation at every byte of the newest request and response, with and without a fixed size.
  const newestRequest = all.filter((x) => x.direction === 'request').pop()!;
  for (const t of [newestRequest, all[all.length - 1]]) {
    const frame = t.pool[0];
    for (let cut = 0; cut < frame.length; cut++) {
      fuzzOne(
        frame.subarray(0, cut),
        (b) => t.decode(b),
        stats,
        `${api.name} ${t.direction} v${t.version} cut ${cut}`,
      );
      if (cut >= 4) {
        const fixed = Buffer.from(frame.subarray(0, cut));
        fixed.writeInt32BE(cut - 4, 0);
        fuzzOne(
          fixed,
          (b) => t.decode(b),
          stats,
          `${api.name} ${t.direction} v${t.version} cut ${cut} resized`,
        );
      }
    }
  }
}
