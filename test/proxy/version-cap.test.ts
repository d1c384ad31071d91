// --cap-versions lowers what a broker offers to what kafkalab declares, and nothing else: APIs we do
// not declare stay as offered, versions we can read stay as offered.
import { describe, expect, it } from 'vitest';
import { Metadata, Produce } from '../../src/protocol/messages/index.js';
import { parseVersions } from '../../src/protocol/schema/versions.js';
import { capApiVersions } from '../../src/proxy/version-cap.js';

const ours = (api: { request: { validVersions: string } }) => parseVersions(api.request.validVersions).high;

describe('capApiVersions', () => {
  it('lowers a max above our declaration and leaves the rest as offered', () => {
    const body = {
      apiKeys: [
        { apiKey: Metadata.apiKey, minVersion: 0, maxVersion: ours(Metadata) + 3 },
        { apiKey: Produce.apiKey, minVersion: 3, maxVersion: ours(Produce) },
        { apiKey: 46, minVersion: 0, maxVersion: 0 }, // ListPartitionReassignments: not declared
      ],
    };
    const result = capApiVersions(body);
    expect(result.changed).toBe(1);
    expect(result.notes).toEqual([`capped Metadata v${ours(Metadata) + 3} → v${ours(Metadata)}`]);
    expect(body.apiKeys).toEqual([
      { apiKey: Metadata.apiKey, minVersion: 0, maxVersion: ours(Metadata) },
      { apiKey: Produce.apiKey, minVersion: 3, maxVersion: ours(Produce) },
      { apiKey: 46, minVersion: 0, maxVersion: 0 },
    ]);
  });

  it('leaves a range that starts above our declaration alone (nothing common to negotiate)', () => {
    const body = { apiKeys: [{ apiKey: Metadata.apiKey, minVersion: 99, maxVersion: 100 }] };
    expect(capApiVersions(body).changed).toBe(0);
    expect(body.apiKeys[0].maxVersion).toBe(100);
  });
});
