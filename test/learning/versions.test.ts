/** `kafkalab versions` against the emulator, and the comparison rules on hand-made broker answers. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { API_PURPOSES, apiPurpose } from '../../src/learning/api-names.js';
import { compareApiVersions, renderApiVersionsTable } from '../../src/learning/api-versions.js';
import { ALL_APIS, Fetch, Metadata, Produce } from '../../src/protocol/messages/index.js';
import { parseVersions } from '../../src/protocol/schema/versions.js';
import { runCli } from '../support/cli.js';

describe('compareApiVersions', () => {
  // A made-up broker: newer Produce than ours, an old-only Fetch, a controller API we have no codec for.
  const broker = [
    { apiKey: 0, minVersion: 3, maxVersion: 99 },
    { apiKey: 1, minVersion: 0, maxVersion: 2 },
    { apiKey: 4, minVersion: 0, maxVersion: 7 },
    { apiKey: 200, minVersion: 0, maxVersion: 1 },
  ];
  const rows = compareApiVersions(broker, [Produce, Fetch, Metadata]);
  const row = (key: number) => rows.find((r) => r.apiKey === key)!;

  it('picks the highest version both sides have and says which side holds it back', () => {
    const ours = parseVersions(Produce.request.validVersions).high;
    expect(row(0)).toMatchObject({ name: 'Produce', picked: ours, note: 'broker goes up to v99' });
    expect(row(1)).toMatchObject({
      picked: 2,
      note: `kafkalab goes up to v${parseVersions(Fetch.request.validVersions).high}`,
    });
  });

  it('lists APIs only the broker serves, by Kafka name, and APIs only kafkalab declares', () => {
    expect(row(4)).toMatchObject({
      name: 'LeaderAndIsr',
      kafkalab: null,
      picked: null,
      note: 'no kafkalab codec',
    });
    expect(row(200)).toMatchObject({ name: 'ApiKey(200)', picked: null });
    expect(row(3)).toMatchObject({
      name: 'Metadata',
      broker: null,
      picked: null,
      note: 'broker does not serve it',
    });
    expect(rows.map((r) => r.apiKey)).toEqual([0, 1, 3, 4, 200]);
  });

  it('reports no common version when the ranges do not meet', () => {
    const [r] = compareApiVersions([{ apiKey: 0, minVersion: 50, maxVersion: 60 }], [Produce]);
    expect(r).toMatchObject({ picked: null, note: 'no common version' });
    const [, blank, section, line] = renderApiVersionsTable([r]).trimEnd().split('\n');
    expect([blank, section]).toEqual(['', 'client: produce, fetch, metadata, negotiation, SASL']);
    expect(line.trim().split(/\s{2,}/)).toEqual([
      '0',
      'Produce',
      '50-60',
      expect.stringMatching(/^0-\d+$/),
      '-',
      'no common version',
    ]);
  });
});

describe('API_PURPOSES', () => {
  it('puts every API key Kafka 4.1 defines (0-92) in exactly one section', () => {
    const keys = API_PURPOSES.flatMap((g) => g.keys);
    expect([...keys].sort((a, b) => a - b)).toEqual(Array.from({ length: 93 }, (_, k) => k));
    for (const api of ALL_APIS) expect(apiPurpose(api.apiKey), api.name).not.toBe('other');
    expect(apiPurpose(999)).toBe('other');
  });

  it('groups the table by purpose, key order inside a section', () => {
    const broker = [78, 0, 71, 88, 3, 52, 12, 26, 19, 500].map((apiKey) => ({
      apiKey,
      minVersion: 0,
      maxVersion: 1,
    }));
    const lines = renderApiVersionsTable(compareApiVersions(broker, [])).trimEnd().split('\n');
    const shape = lines
      .slice(1)
      .filter((l) => l !== '')
      .map((l) =>
        /^\s*\d/.test(l)
          ? `  ${l
              .trim()
              .split(/\s{2,}/)
              .slice(0, 2)
              .join(' ')}`
          : l.split(':')[0],
      );
    expect(shape).toEqual([
      'client',
      '  0 Produce',
      '  3 Metadata',
      'groups',
      '  12 Heartbeat',
      'transactions',
      '  26 EndTxn',
      'share groups',
      '  78 ShareFetch',
      'streams groups',
      '  88 StreamsGroupHeartbeat',
      'admin',
      '  19 CreateTopics',
      'controller and KRaft',
      '  52 Vote',
      'telemetry',
      '  71 GetTelemetrySubscriptions',
      'other',
      '  500 ApiKey(500)',
    ]);
  });
});

describe('kafkalab versions (built bin) against the emulator', () => {
  let emulator: Emulator;
  const served = new Map<number, { min: number; max: number }>();
  beforeAll(async () => {
    emulator = await startEmulator({
      port: 0,
      // What the emulator actually answered, seen from its side of the wire.
      trace: () => undefined,
      record: true,
    });
  });
  afterAll(() => emulator.stop());

  it('prints one row per API of either side, with the broker ranges it was sent', async () => {
    const run = await runCli(['versions', '--bootstrap-server', emulator.bootstrap]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const answer = emulator.exchanges.find((e) => e.api.name === 'ApiVersions')!.response!.body as {
      apiKeys: { apiKey: number; minVersion: number; maxVersion: number }[];
    };
    for (const k of answer.apiKeys) served.set(k.apiKey, { min: k.minVersion, max: k.maxVersion });
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe(
      `${emulator.bootstrap} answered ApiVersions v4: ${served.size} APIs; kafkalab declares ${ALL_APIS.length}; ` +
        `${[...served.keys()].filter((k) => ALL_APIS.some((a) => a.apiKey === k)).length} in common.`,
    );
    expect(lines[2]).toMatch(/^KEY {2}API +BROKER +KAFKALAB +PICKED +NOTE$/);
    const table = new Map(
      lines
        .slice(3)
        // API lines start with their key; section titles with a letter.
        .filter((l) => /^\s*\d/.test(l))
        .map((l) => l.trim().split(/\s{2,}/))
        .map((cells) => [Number(cells[0]), cells]),
    );
    const keys = new Set([...served.keys(), ...ALL_APIS.map((a) => a.apiKey)]);
    expect([...table.keys()].sort((a, b) => a - b)).toEqual([...keys].sort((a, b) => a - b));
    for (const api of ALL_APIS) {
      const [, name, brokerRange, ours, picked] = table.get(api.apiKey)!;
      expect(name).toBe(api.name);
      const o = parseVersions(api.request.validVersions);
      expect(ours).toBe(o.low === o.high ? `${o.low}` : `${o.low}-${o.high}`);
      const b = served.get(api.apiKey);
      if (!b) {
        expect([brokerRange, picked]).toEqual(['-', '-']);
        continue;
      }
      expect(brokerRange).toBe(b.min === b.max ? `${b.min}` : `${b.min}-${b.max}`);
      expect(picked).toBe(`v${Math.min(b.max, o.high)}`);
    }
  });

  it('fails with a connection error naming the address when nothing listens', async () => {
    const run = await runCli(['versions', '--bootstrap-server', '127.0.0.1:1']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^kafkalab: cannot reach any broker \(tried 127\.0\.0\.1:1\)/);
  });
});
