// Every API key the newest pinned kafka-clients defines (its common/message/*Request.json, the
// files ApiKeys is generated from) has a declaration under Kafka's name, and the names table of
// `kafkalab versions` agrees with them (issue 12: no frame shown as "unknown API" when Kafka knows it).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { API_PURPOSES, apiKeyName } from '../../src/learning/api-names.js';
import { ALL_APIS, apiByKey } from '../../src/protocol/messages/index.js';
import { buildOracle } from './oracle-process.js';

let kafka: Map<number, string>; // api key → name, from the newest pin

beforeAll(() => {
  const newest = buildOracle().sort((a, b) => b.version.localeCompare(a.version, 'en', { numeric: true }))[0];
  kafka = new Map();
  for (const file of readdirSync(newest.specDir).filter((f) => f.endsWith('Request.json'))) {
    // Kafka's message JSON allows // comments; the apiKey and name lines are enough here.
    const text = readFileSync(join(newest.specDir, file), 'utf8');
    const key = text.match(/"apiKey":\s*(\d+)/);
    const name = text.match(/"name":\s*"(\w+)Request"/);
    if (key && name) kafka.set(Number(key[1]), name[1]);
  }
}, 600_000);

describe('API keys', () => {
  it('kafka-clients defines keys 0-92 (a sanity check of the reading above)', () => {
    expect([...kafka.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 93 }, (_, k) => k));
  });

  it('every key Kafka defines is declared, under its name, and nothing else is', () => {
    const missing = [...kafka].filter(([k]) => !apiByKey(k)).map(([k, n]) => `${k} ${n}`);
    expect(missing).toEqual([]);
    for (const [k, name] of kafka) expect(apiByKey(k)?.name, `key ${k}`).toBe(name);
    expect(ALL_APIS.filter((a) => !kafka.has(a.apiKey)).map((a) => a.name)).toEqual([]);
  });

  it("the versions table's names and sections cover the same keys", () => {
    for (const [k, name] of kafka) expect(apiKeyName(k), `key ${k}`).toBe(name);
    expect(API_PURPOSES.flatMap((g) => g.keys).sort((a, b) => a - b)).toEqual(
      [...kafka.keys()].sort((a, b) => a - b),
    );
  });
});
