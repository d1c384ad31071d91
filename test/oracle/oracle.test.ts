// The codec oracle: every declared message × every version goes through Apache Kafka's own generated
// serializers (kafka-clients, see conformance/oracle/) and must agree with ours byte for byte.
//
// SAMPLES random messages per declaration × version, five checks each (see compare.ts).
// One JVM per pin, started once; each version is sent to the newest pin that supports it (and, with
// fewer samples, to the older pin when it carries the version too); the next version is prepared
// while the JVMs answer the current one.
// Reproduce a failure with ORACLE_SEED=<seed printed in the failure>.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiVersions, Heartbeat } from '../../src/protocol/messages/index.js';
import { type Field, field, type MessageSpec, struct } from '../../src/protocol/schema/declare.js';
import { listVersions } from '../../src/protocol/schema/versions.js';
import { compareWithKafka } from './compare.js';
import { allMessageSpecs } from './messages-under-test.js';
import { buildOracle, OracleProcess } from './oracle-process.js';

const SAMPLES = 200;
/** Of those, how many carry long strings, bytes and arrays (multi-byte varint lengths and counts). */
const INFLATED = 3;
/** Extra samples with unknown tagged fields, per flexible version (Kafka must write them back as is). */
const UNKNOWN_TAGGED = 50;
/** Samples for a version on the older pin too, when both pins carry it. */
const CROSS_SAMPLES = 20;
const SEED = Number(process.env.ORACLE_SEED ?? Date.now() % 2 ** 31);

/**
 * Versions we declare that no pinned kafka-clients can serialize, each with the reason. A version
 * missing from every pin and not listed here fails the test; a listed one that a pin supports fails too.
 */
const KNOWN_GAPS: Record<string, string> = {};

/**
 * Versions checked against the newest pin only: an older pin carries the same version number as an
 * unstable draft with other fields, which a later release changed before marking it stable.
 */
const NEWEST_PIN_ONLY: Record<string, string> = {
  'ReadShareGroupStateSummaryResponse v0': "3.9.1's unstable v0 lacks leaderEpoch (KIP-932)",
  // Same bytes, other names: Kafka 4.0 renamed Vote's candidate* fields replica* (KIP-996), and
  // Kafka's JSON converters know the fields by name.
  'VoteRequest v0': '3.9.1 names replicaEpoch/replicaId candidateEpoch/candidateId',
  'VoteRequest v1': '3.9.1 names replicaEpoch/replicaId/replicaDirectoryId candidate*',
};

const specs = allMessageSpecs().sort(
  (a, b) => (a.apiKey ?? 1000) - (b.apiKey ?? 1000) || a.name.localeCompare(b.name),
);
const oracles: OracleProcess[] = []; // newest pin first
const ranges = new Map<string, Map<string, { low: number; high: number } | undefined>>(); // pin → message → range
const served = new Map<string, string[]>(); // pin → message versions it checked
const gaps: string[] = [];

beforeAll(async () => {
  const pins = buildOracle().sort((a, b) => b.version.localeCompare(a.version, 'en', { numeric: true }));
  for (const pin of pins) {
    const oracle = new OracleProcess(pin.version);
    oracles.push(oracle);
    const byMessage = new Map<string, { low: number; high: number } | undefined>();
    ranges.set(pin.version, byMessage);
    const names = specs.map((s) => s.name);
    const answers = await oracle.send(names.map((message) => JSON.stringify({ op: 'info', message })));
    names.forEach((n, i) => {
      const a = answers[i];
      byMessage.set(n, a.ok ? { low: a.low!, high: a.high! } : undefined);
    });
  }
}, 600_000);

afterAll(async () => {
  await Promise.all(oracles.map((o) => o.close()));
  const lines = [...served].map(([pin, list]) => {
    // "MetadataRequest v0-12" rather than thirteen entries
    const byMessage = new Map<string, number[]>();
    for (const key of list) {
      const [name, v] = key.split(' v');
      byMessage.set(name, [...(byMessage.get(name) ?? []), Number(v)]);
    }
    const ranges = [...byMessage].map(([name, vs]) => `${name} v${compactRanges(vs)}`);
    return `  kafka-clients ${pin}: ${list.length} message versions: ${ranges.join(', ')}`;
  });
  console.log(
    `oracle (seed ${SEED}, ${SAMPLES} samples each, ${INFLATED} of them inflated, + ${UNKNOWN_TAGGED} with unknown tags when flexible; ${CROSS_SAMPLES} more on the older pin when both carry a version):\n${lines.join('\n')}\n` +
      `  not supported by any pin: ${gaps.length ? gaps.join(', ') : 'none'}`,
  );
});

/** [0,1,2,5] → "0-2,5". */
function compactRanges(vs: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < vs.length; i++) {
    let j = i;
    while (j + 1 < vs.length && vs[j + 1] === vs[j] + 1) j++;
    parts.push(i === j ? `${vs[i]}` : `${vs[i]}-${vs[j]}`);
    i = j;
  }
  return parts.join(',');
}

/** The oracles whose kafka-clients supports this version, newest first. */
function carriers(spec: MessageSpec, version: number): OracleProcess[] {
  const all = oracles.filter((o) => {
    const r = ranges.get(o.pin)?.get(spec.name);
    return r !== undefined && version >= r.low && version <= r.high;
  });
  return NEWEST_PIN_ONLY[`${spec.name} v${version}`] ? all.slice(0, 1) : all;
}

// Pipelining: while one version's answers are awaited (the JVM is busy), the next version's samples
// are generated and sent, so Node and the JVM work at the same time.
const jobs = specs.flatMap((spec) => listVersions(spec.validVersions).map((version) => ({ spec, version })));
const started = new Map<number, Promise<string[]>>();

function start(index: number): Promise<string[]> | undefined {
  const job = jobs[index];
  if (!job) return undefined;
  let run = started.get(index);
  if (!run) {
    const [main, ...others] = carriers(job.spec, job.version);
    if (!main) return undefined;
    const seed = seedFor(job.spec.name, job.version);
    const label = (pin: string) => (failures: string[]) => failures.map((f) => `[kafka-clients ${pin}] ${f}`);
    run = Promise.all([
      compareWithKafka(job.spec, job.version, main, {
        samples: SAMPLES,
        inflated: INFLATED,
        unknownTagged: UNKNOWN_TAGGED,
        seed,
      }).then(label(main.pin)),
      // The same version on every other pin that carries it, more lightly: the releases must agree too.
      ...others.map((o) =>
        compareWithKafka(job.spec, job.version, o, {
          samples: CROSS_SAMPLES,
          inflated: 1,
          unknownTagged: 5,
          seed,
        }).then(label(o.pin)),
      ),
    ]).then((all) => all.flat());
    run.catch(() => {}); // awaited by its own test; this only keeps an early failure from being "unhandled"
    started.set(index, run);
  }
  return run;
}

function seedFor(name: string, version: number): number {
  let h = SEED;
  for (const c of `${name}/${version}`) h = (Math.imul(h, 31) + c.charCodeAt(0)) | 0;
  return h;
}

for (const spec of specs) {
  describe(spec.name, () => {
    for (const version of listVersions(spec.validVersions)) {
      const key = `${spec.name} v${version}`;
      const index = jobs.findIndex((j) => j.spec === spec && j.version === version);
      it(`${key} matches Kafka's serializer`, async () => {
        const oracle = carriers(spec, version)[0];
        if (!oracle) {
          gaps.push(key);
          expect(
            KNOWN_GAPS[key],
            `${key} is supported by no pinned kafka-clients and is not a documented gap`,
          ).toBeDefined();
          return;
        }
        expect(
          KNOWN_GAPS[key],
          `${key} is listed as a gap but kafka-clients ${oracle.pin} supports it`,
        ).toBeUndefined();
        served.set(oracle.pin, [...(served.get(oracle.pin) ?? []), key]);

        const mine = start(index)!;
        start(index + 1);
        const failures = await mine;
        started.delete(index);
        if (failures.length > 0) {
          expect.fail(
            `${failures.length} samples of ${key} disagree with Kafka (ORACLE_SEED=${SEED}); first ones:\n\n` +
              failures.slice(0, 3).join('\n\n'),
          );
        }
      });
    }
  });
}

/** A copy of a declaration with one field replaced: what a wrong declaration looks like. */
function mutant(spec: MessageSpec, name: string, replace: (f: Field) => Field): MessageSpec {
  const fields = { ...spec.body.fields, [name]: replace(spec.body.fields[name]) };
  return { ...spec, body: struct(spec.body.name, fields) };
}

describe('the oracle itself', () => {
  // If these passed, the oracle would be blind and every green result above meaningless.
  it('notices a field declared with the wrong width', async () => {
    const wrong = mutant(Heartbeat.request, 'generationId', (f) => ({ ...field.int16(f.versions) }));
    const failures = await compareWithKafka(wrong, 0, oracles[0], {
      samples: 20,
      seed: SEED,
      kafkaName: 'HeartbeatRequest',
    });
    expect(failures.length).toBe(20);
    expect(failures[0]).toMatch(/\(a\) bytes differ/);
    // Kafka reads our 2-byte generationId as part of a 4-byte one: short by two bytes, or shifted
    expect(failures[0]).toMatch(/\(c\) Kafka (could not decode our bytes|'s JSON of our bytes differs)/);
    expect(failures[0]).toMatch(/\(c\) Kafka (could not decode|.s JSON of our bytes differs)/);
  });

  it('notices a field named differently from Kafka (the JSON form)', async () => {
    const fields = Object.fromEntries(
      Object.entries(Heartbeat.request.body.fields).map(([k, f]) => [k === 'memberId' ? 'memberID' : k, f]),
    );
    const renamed = { ...Heartbeat.request, body: struct('HeartbeatRequest', fields) };
    const failures = await compareWithKafka(renamed, 0, oracles[0], {
      samples: 10,
      seed: SEED,
      kafkaName: 'HeartbeatRequest',
    });
    expect(failures.length).toBe(10);
    expect(failures[0]).toMatch(/\(a\) Kafka could not read our JSON.*memberId/);
    expect(failures[0]).toMatch(/\(c\) Kafka's JSON of our bytes differs/);
  });

  it('notices a tagged field declared with the wrong tag', async () => {
    const spec = ApiVersions.response;
    const version = Number(spec.validVersions.split('-')[1]);
    const [name, tagged] = Object.entries(spec.body.fields).find(([, f]) => f.tag !== undefined)!;
    const wrong = mutant(spec, name, (f) => ({ ...f, tag: tagged.tag! + 7 }));
    const failures = await compareWithKafka(wrong, version, oracles[0], {
      samples: 50,
      seed: SEED,
      kafkaName: spec.name,
    });
    // samples where the field holds its default carry no tag at all and agree; the others must not
    expect(failures.length).toBeGreaterThan(10);
  });
});

describe('KNOWN_GAPS', () => {
  it('names only declared message versions', () => {
    const declared = new Set(
      specs.flatMap((s) => listVersions(s.validVersions).map((v) => `${s.name} v${v}`)),
    );
    for (const k of Object.keys(KNOWN_GAPS)) expect(declared.has(k), k).toBe(true);
  });
});
