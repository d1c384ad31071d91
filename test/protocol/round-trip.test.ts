// Every API × every version × request and response: generated values survive encode → decode, and
// re-encoding the decoded value gives the same bytes (unknown tagged fields included).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALL_APIS } from '../../src/protocol/messages/index.js';
import { codecFor } from '../../src/protocol/schema/codec.js';
import { valuesEqual } from '../../src/protocol/schema/defaults.js';
import { listVersions } from '../../src/protocol/schema/versions.js';
import { messageArb } from '../support/arbitrary.js';

for (const api of ALL_APIS) {
  describe(`${api.name} (key ${api.apiKey})`, () => {
    for (const spec of [api.request, api.response]) {
      for (const version of listVersions(spec.validVersions)) {
        it(`${spec.name} v${version} round-trips`, () => {
          const codec = codecFor(spec, version);
          fc.assert(
            fc.property(messageArb(spec, version), (value) => {
              const bytes = codec.encode(value as never);
              const decoded = codec.decode(bytes);
              if (!valuesEqual(decoded, value)) {
                expect(decoded).toEqual(value);
              }
              expect(codec.encode(decoded).equals(bytes)).toBe(true);
            }),
            { numRuns: 60 },
          );
        });
      }
    }
  });
}
