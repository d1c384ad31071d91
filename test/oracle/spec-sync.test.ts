// Spec sync: every declaration against Apache Kafka's own message definitions (common/message/*.json
// inside the pinned kafka-clients jars, extracted at test time by conformance/oracle/oracle.sh).
//
// - validVersions: ours must be exactly the versions some pin carries, minus the newest version of
//   an API that the newest pin carrying it still marks latestVersionUnstable (UNSTABLE_LEFT_OUT,
//   re-checked against the jars). Versions the spec snapshot we first declared from lacks are listed
//   in AFTER_SNAPSHOT, re-checked against the snapshot when ../shared/kafka-message-spec is on this
//   machine; every snapshot version must still be declared and carried by a pin.
// - every declared version, against each pin that carries it (one must match exactly): the ordered inline fields, the
//   tagged fields and their tags, types (struct names and array items included), nullability,
//   ignorable, defaults, field-level flexibleVersions, and whether the version is flexible. Versions
//   newer than the snapshot are carried by 4.1.1 only, so they are checked against it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiVersions,
  InitProducerId,
  Metadata,
  OffsetCommit,
  Produce,
  StreamsGroupHeartbeat,
} from '../../src/protocol/messages/index.js';
import { type Field, type MessageSpec, struct } from '../../src/protocol/schema/declare.js';
import { listVersions } from '../../src/protocol/schema/versions.js';
import {
  compareAtVersion,
  type KafkaMessage,
  loadKafkaMessage,
  unstableVersions,
  versionSet,
} from './kafka-spec.js';
import { allMessageSpecs } from './messages-under-test.js';
import { buildOracle } from './oracle-process.js';

/** The Kafka message JSON the declarations were first written from (a late-2024 trunk snapshot). */
const SNAPSHOT_DIR =
  process.env.KAFKA_MESSAGE_SPEC_DIR ??
  fileURLToPath(new URL('../../../shared/kafka-message-spec', import.meta.url));

/**
 * Versions we declare beyond the snapshot, per message, all from kafka-clients 4.1.1 (Kafka 4.0/4.1
 * additions): Produce v12-13 (KIP-890 transactions V2, KIP-516 topic ids), Fetch v18 (KIP-1166),
 * Metadata v13 (KIP-1102), DescribeGroups v6 (KIP-1043), DescribeCluster v2 (KIP-1073),
 * ConsumerGroupDescribe v1 (KIP-1099), TxnOffsetCommit v5 (KIP-890 part 2), ListTransactions v2
 * (KIP-1152), AlterPartitionReassignments v1 (KIP-860), Vote v2 (KIP-996). Worked out from the jars
 * and the snapshot; re-checked on every run where the snapshot is present.
 */
const AFTER_SNAPSHOT: Record<string, number[]> = {
  // The transaction marker value: a JSON schema in 4.1.1, in neither the snapshot nor 3.9.1.
  EndTxnMarker: [0],
  AlterPartitionReassignmentsRequest: [1],
  AlterPartitionReassignmentsResponse: [1],
  ConsumerGroupDescribeRequest: [1],
  ConsumerGroupDescribeResponse: [1],
  DescribeClusterRequest: [2],
  DescribeClusterResponse: [2],
  DescribeGroupsRequest: [6],
  DescribeGroupsResponse: [6],
  FetchRequest: [18],
  FetchResponse: [18],
  // KIP-1142 (Kafka 4.1): ListClientMetricsResources renamed, v1 added; the snapshot has the old name.
  ListConfigResourcesRequest: [0, 1],
  ListConfigResourcesResponse: [0, 1],
  ListTransactionsRequest: [2],
  ListTransactionsResponse: [2],
  MetadataRequest: [13],
  MetadataResponse: [13],
  ProduceRequest: [12, 13],
  ProduceResponse: [12, 13],
  // KIP-932 share groups: v1 of 76-79 (4.1; v0 was 3.9.1's unstable draft), 90-92 new in 4.1.
  AlterShareGroupOffsetsRequest: [0],
  AlterShareGroupOffsetsResponse: [0],
  DeleteShareGroupOffsetsRequest: [0],
  DeleteShareGroupOffsetsResponse: [0],
  DescribeShareGroupOffsetsRequest: [0],
  DescribeShareGroupOffsetsResponse: [0],
  ShareAcknowledgeRequest: [1],
  ShareAcknowledgeResponse: [1],
  ShareFetchRequest: [1],
  ShareFetchResponse: [1],
  ShareGroupDescribeRequest: [1],
  ShareGroupDescribeResponse: [1],
  ShareGroupHeartbeatRequest: [1],
  ShareGroupHeartbeatResponse: [1],
  // KIP-1071 streams groups: new in 4.1 and still unstable there (see UNSTABLE_DECLARED).
  StreamsGroupDescribeRequest: [0],
  StreamsGroupDescribeResponse: [0],
  StreamsGroupHeartbeatRequest: [0],
  StreamsGroupHeartbeatResponse: [0],
  TxnOffsetCommitRequest: [5],
  TxnOffsetCommitResponse: [5],
  VoteRequest: [2],
  VoteResponse: [2],
};

/**
 * Versions a pin carries that we leave out because 4.1.1 marks them latestVersionUnstable: its
 * brokers only offer them with unstable.api.versions.enable, and they may still change before they
 * are released. InitProducerId v6 (KIP-939 two-phase commit), OffsetCommit v10 and OffsetFetch v10
 * (KIP-848 topic ids). Kafka marks only the request; the response's version goes with it.
 */
const UNSTABLE_LEFT_OUT: Record<string, number[]> = {
  // KIP-932's early-access v0 of 76-79: only 3.9.1 carries it, marked unstable; 4.1 starts at v1.
  ShareAcknowledgeRequest: [0],
  ShareAcknowledgeResponse: [0],
  ShareFetchRequest: [0],
  ShareFetchResponse: [0],
  ShareGroupDescribeRequest: [0],
  ShareGroupDescribeResponse: [0],
  ShareGroupHeartbeatRequest: [0],
  ShareGroupHeartbeatResponse: [0],
  InitProducerIdRequest: [6],
  InitProducerIdResponse: [6],
  OffsetCommitRequest: [10],
  OffsetCommitResponse: [10],
  OffsetFetchRequest: [10],
  OffsetFetchResponse: [10],
};

/**
 * Unstable versions declared all the same, because they are their API's only version: without them a
 * frame of the API could not be decoded or explained at all. KIP-1071 streams groups are early access
 * in Kafka 4.1 (served only with unstable.api.versions.enable). Declaring is not serving: the
 * emulator's ApiVersions offers only what its handlers serve.
 */
const UNSTABLE_DECLARED: Record<string, number[]> = {
  StreamsGroupDescribeRequest: [0],
  StreamsGroupDescribeResponse: [0],
  StreamsGroupHeartbeatRequest: [0],
  StreamsGroupHeartbeatResponse: [0],
};

const specs = allMessageSpecs();
const pins: { version: string; messages: Map<string, KafkaMessage | undefined> }[] = []; // newest first
const tolerated: string[] = [];
let snapshot: ((name: string) => KafkaMessage | undefined) | undefined;

beforeAll(() => {
  for (const pin of buildOracle().sort((a, b) =>
    b.version.localeCompare(a.version, 'en', { numeric: true }),
  )) {
    const messages = new Map(specs.map((s) => [s.name, loadKafkaMessage(pin.specDir, s.name)] as const));
    pins.push({ version: pin.version, messages });
  }
  if (existsSync(SNAPSHOT_DIR)) snapshot = (name) => loadKafkaMessage(SNAPSHOT_DIR, name);
}, 600_000);

afterAll(() => {
  if (tolerated.length > 0) {
    const byKey = [...new Set(tolerated.map((t) => t.replace(/ v\d+ /, ' ').replace(/ at v\d+:/, ':')))];
    console.log(
      `spec sync: differences only against one pin (another pin matches):\n  ${byKey.join('\n  ')}`,
    );
  }
});

const list = (xs: Iterable<number>) => [...xs].sort((a, b) => a - b).join(', ') || 'none';

/** A response's request in a pin (both sides of every API are declared, so both are loaded). */
function requestOf(pin: (typeof pins)[number], spec: MessageSpec): KafkaMessage | undefined {
  return spec.type === 'response' ? pin.messages.get(spec.name.replace(/Response$/, 'Request')) : undefined;
}

/** Versions of this message that the newest pin carrying them marks unstable. */
function unstableInPins(spec: MessageSpec): Set<number> {
  const out = new Set<number>();
  const decided = new Set<number>();
  for (const pin of pins) {
    const m = pin.messages.get(spec.name);
    if (!m) continue;
    const unstable = unstableVersions(m, requestOf(pin, spec));
    for (const v of versionSet(m.validVersions)) {
      if (decided.has(v)) continue;
      decided.add(v);
      if (unstable.has(v)) out.add(v);
    }
  }
  return out;
}

function pinnedVersions(spec: MessageSpec): Set<number> {
  const out = new Set<number>();
  for (const pin of pins) {
    const m = pin.messages.get(spec.name);
    if (m) for (const v of versionSet(m.validVersions)) out.add(v);
  }
  return out;
}

/**
 * Everything wrong with a declaration's validVersions, in plain words: the versions against the pins
 * (stable ones all declared, unstable ones left out), the two tables against the jars and the snapshot.
 */
function versionProblems(
  spec: MessageSpec,
  afterSnapshot: Record<string, number[]> = AFTER_SNAPSHOT,
  unstableLeftOut: Record<string, number[]> = UNSTABLE_LEFT_OUT,
  unstableDeclared: Record<string, number[]> = UNSTABLE_DECLARED,
): string[] {
  const problems: string[] = [];
  const carried = pinnedVersions(spec);
  const leftOut = new Set(unstableLeftOut[spec.name] ?? []);
  const declaredUnstable = unstableDeclared[spec.name] ?? [];
  const unstable = new Set([...leftOut, ...declaredUnstable]);
  const unstableFound = list(unstableInPins(spec));
  if (list(unstable) !== unstableFound)
    problems.push(
      `UNSTABLE_LEFT_OUT.${spec.name} is out of date: v${list(unstable)}, but the pins mark v${unstableFound} unstable`,
    );
  const ours = listVersions(spec.validVersions);
  const after = afterSnapshot[spec.name] ?? [];
  if (snapshot) {
    const snap = snapshot(spec.name);
    const snapVersions = snap ? versionSet(snap.validVersions) : new Set<number>();
    const beyond = list(ours.filter((v) => !snapVersions.has(v)));
    if (beyond !== list(after))
      problems.push(
        `AFTER_SNAPSHOT.${spec.name} is out of date: v${list(after)}, but we declare v${beyond} beyond the snapshot`,
      );
    const missingFromPins = [...snapVersions].filter((v) => !carried.has(v));
    if (missingFromPins.length)
      problems.push(`the snapshot declares v${list(missingFromPins)}, which no pinned release carries`);
    // An unstable draft the snapshot has and no release made stable (KIP-932's v0) is left out too.
    const notDeclared = [...snapVersions].filter((v) => !ours.includes(v) && !leftOut.has(v));
    if (notDeclared.length) problems.push(`the snapshot declares v${list(notDeclared)}, we do not`);
  }
  // Everything beyond the snapshot comes from the newest pin, which must carry it.
  const newest = pins[0].messages.get(spec.name);
  const newestVersions = newest ? versionSet(newest.validVersions) : new Set<number>();
  const notInNewest = after.filter((v) => !newestVersions.has(v));
  if (notInNewest.length)
    problems.push(`AFTER_SNAPSHOT lists v${list(notInNewest)}, which kafka-clients ${pins[0].version} lacks`);
  const expected = [...carried].filter((v) => !leftOut.has(v));
  const extra = ours.filter((v) => !carried.has(v) || leftOut.has(v));
  if (declaredUnstable.length > 0 && ours.some((v) => !declaredUnstable.includes(v)))
    problems.push(
      `UNSTABLE_DECLARED.${spec.name}: the API has stable versions, so its unstable ones are left out`,
    );
  const lacking = expected.filter((v) => !ours.includes(v));
  if (extra.length)
    problems.push(`we declare v${list(extra)}, which no pinned kafka-clients carries as a stable version`);
  if (lacking.length) problems.push(`we lack v${list(lacking)}, which a pin carries as a stable version`);
  return problems;
}

describe('the version tables', () => {
  it('name only messages we declare', () => {
    const declared = new Set(specs.map((s) => s.name));
    const stale = [
      ...Object.keys(AFTER_SNAPSHOT),
      ...Object.keys(UNSTABLE_LEFT_OUT),
      ...Object.keys(UNSTABLE_DECLARED),
    ].filter((n) => !declared.has(n));
    expect(stale).toEqual([]);
  });
});

for (const spec of specs) {
  describe(spec.name, () => {
    it('declares exactly the stable versions the pinned releases carry, the snapshot ones included', () => {
      expect(versionProblems(spec), `${spec.name} validVersions ${spec.validVersions}`).toEqual([]);
    });

    it("matches Kafka's definition at every declared version", () => {
      const diffs: string[] = [];
      const unchecked: number[] = [];
      for (const version of listVersions(spec.validVersions)) {
        const carrying = pins.filter((p) => {
          const m = p.messages.get(spec.name);
          return m !== undefined && versionSet(m.validVersions).has(version);
        });
        if (carrying.length === 0) {
          unchecked.push(version); // reported by the validVersions test
          continue;
        }
        // A later release may retouch a field without changing the wire at older versions (say,
        // making it ignorable because a newer version drops it): matching one release suffices.
        // `ignorable` may follow a newer pin even at a version only an older pin carries (kafka-spec.ts).
        const newerThan = (p: (typeof pins)[number]) =>
          pins
            .slice(0, pins.indexOf(p))
            .map((q) => q.messages.get(spec.name))
            .filter((m): m is KafkaMessage => m !== undefined);
        const perPin = carrying.map((p) => ({
          pin: p.version,
          diffs: compareAtVersion(spec, p.messages.get(spec.name)!, version, newerThan(p)),
        }));
        const matching = perPin.find((r) => r.diffs.length === 0);
        if (matching) {
          for (const r of perPin)
            for (const d of r.diffs)
              tolerated.push(`${spec.name} v${version} matches ${matching.pin} but not ${r.pin}: ${d}`);
        } else {
          for (const r of perPin) for (const d of r.diffs) diffs.push(`[${r.pin}] ${d}`);
        }
      }
      expect(diffs, `${spec.name} differs from Kafka's JSON (unchecked, no pin: ${list(unchecked)})`).toEqual(
        [],
      );
    });
  });
}

/** A copy of a declaration with one top-level field replaced (or the message itself retouched). */
function mutant(
  spec: MessageSpec,
  change: { field?: [string, (f: Field) => Field]; message?: Partial<MessageSpec> },
): MessageSpec {
  let fields = spec.body.fields;
  if (change.field) {
    const [name, replace] = change.field;
    fields = { ...fields, [name]: replace(fields[name]) };
  }
  return { ...spec, ...change.message, body: struct(spec.body.name, fields) };
}

describe('the spec-sync checker itself', () => {
  // Wrong declarations it must catch; without these, a green spec sync would prove nothing.
  const oldest = () => pins[pins.length - 1];
  const check = (spec: MessageSpec, version: number) =>
    compareAtVersion(spec, oldest().messages.get(spec.name)!, version);

  it('accepts the unchanged example declarations', () => {
    expect(check(Metadata.request, 12)).toEqual([]);
    expect(check(ApiVersions.response, 3)).toEqual([]);
  });

  it('catches a wrong type', () => {
    const wrong = mutant(Metadata.response, {
      field: ['controllerId', (f) => ({ ...f, type: { kind: 'int16' } })],
    });
    expect(check(wrong, 5).join('\n')).toMatch(/controllerId at v5: type int16 but Kafka's is int32/);
  });

  it('catches fields out of wire order', () => {
    const { throttleTimeMs, brokers, ...rest } = Metadata.response.body.fields;
    const swapped = {
      ...Metadata.response,
      body: struct('MetadataResponse', { brokers, throttleTimeMs, ...rest }),
    };
    expect(check(swapped, 5).join('\n')).toMatch(/inline fields in wire order are \[brokers, throttleTimeMs/);
  });

  it('catches wrong nullability, ignorable and default', () => {
    const notNullable = mutant(Metadata.request, {
      field: ['topics', (f) => ({ ...f, nullableVersions: undefined })],
    });
    expect(check(notNullable, 4).join('\n')).toMatch(
      /topics at v4: not nullable in ours, nullable in Kafka's/,
    );
    const notIgnorable = mutant(Metadata.response, {
      field: ['clusterId', (f) => ({ ...f, ignorable: false })],
    });
    expect(check(notIgnorable, 2).join('\n')).toMatch(
      /clusterId at v2: ignorable is false in ours, true in Kafka's/,
    );
    const zero = mutant(Metadata.response, { field: ['controllerId', (f) => ({ ...f, default: 0 })] });
    expect(check(zero, 1).join('\n')).toMatch(/controllerId at v1: default 0 but Kafka's is -1/);
  });

  it('catches an unstable version declared, a stable one left out, and a stale table', () => {
    const unstableToo = mutant(OffsetCommit.request, { message: { validVersions: '0-10' } });
    expect(versionProblems(unstableToo).join('\n')).toMatch(
      /we declare v10, which no pinned kafka-clients carries as a stable version/,
    );
    const short = mutant(Metadata.request, { message: { validVersions: '0-12' } });
    expect(versionProblems(short).join('\n')).toMatch(/we lack v13, which a pin carries as a stable version/);
    // The table must say what the jars say: an unstable version forgotten in it is reported.
    expect(versionProblems(InitProducerId.request, AFTER_SNAPSHOT, {}).join('\n')).toMatch(
      /UNSTABLE_LEFT_OUT.InitProducerIdRequest is out of date: vnone, but the pins mark v6 unstable/,
    );
  });

  it("accepts an unstable version only as an API's only version, listed in UNSTABLE_DECLARED", () => {
    expect(versionProblems(StreamsGroupHeartbeat.request)).toEqual([]);
    // Not listed: the unstable v0 is reported like any other.
    expect(
      versionProblems(StreamsGroupHeartbeat.request, AFTER_SNAPSHOT, UNSTABLE_LEFT_OUT, {}).join('\n'),
    ).toMatch(/StreamsGroupHeartbeatRequest is out of date: vnone, but the pins mark v0 unstable/);
    // Listed, but beside another version: an API with a stable version leaves its unstable ones out.
    const wider = mutant(StreamsGroupHeartbeat.request, { message: { validVersions: '0-1' } });
    expect(versionProblems(wider).join('\n')).toMatch(
      /UNSTABLE_DECLARED.StreamsGroupHeartbeatRequest: the API has stable versions/,
    );
  });

  it("takes a newer release's ignorable at a version only an older release carries", () => {
    const [newest, oldestPin] = [pins[0], oldest()];
    const older = oldestPin.messages.get('ProduceRequest')!;
    const newer = newest.messages.get('ProduceRequest')!;
    // 3.9.1 alone carries v0; 4.1.1 made topicData.name ignorable (it drops it at v13).
    expect(compareAtVersion(Produce.request, older, 0, [newer])).toEqual([]);
    expect(compareAtVersion(Produce.request, older, 0).join('\n')).toMatch(
      /topicData.name at v0: ignorable is true in ours, false in Kafka's/,
    );
    // A wrong ignorable that no release has is still caught.
    const { topicData } = Produce.request.body.fields;
    const items = topicData.type.items;
    const wrong = mutant(Produce.request, {
      field: [
        'topicData',
        (f) => ({
          ...f,
          type: {
            kind: 'array',
            items: struct(items.name, {
              ...items.fields,
              partitionData: { ...items.fields.partitionData, ignorable: true },
            }),
          },
        }),
      ],
    });
    expect(compareAtVersion(wrong, older, 0, [newer]).join('\n')).toMatch(
      /topicData.partitionData at v0: ignorable is true in ours, false in Kafka's/,
    );
  });

  it('catches a wrong tag and a wrong flexible range', () => {
    const spec = ApiVersions.response;
    const [name, tagged] = Object.entries(spec.body.fields).find(([, f]) => f.tag !== undefined)!;
    const retagged = mutant(spec, { field: [name, (f) => ({ ...f, tag: tagged.tag! + 7 })] });
    expect(check(retagged, 3).join('\n')).toMatch(
      new RegExp(`${name} at v3: tag ${tagged.tag! + 7} but Kafka's is ${tagged.tag}`),
    );
    const lateFlexible = mutant(Metadata.request, { message: { flexibleVersions: '10+' } });
    expect(check(lateFlexible, 9).join('\n')).toMatch(/v9: not flexible in ours, flexible in Kafka's/);
  });
});
