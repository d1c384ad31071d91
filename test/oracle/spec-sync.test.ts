// Spec sync: every declaration against Apache Kafka's own message definitions (common/message/*.json
// inside the pinned kafka-clients jars, extracted at test time by conformance/oracle/oracle.sh).
//
// - validVersions: ours must be exactly the versions some pin carries, minus those newer than the
//   spec snapshot the project declares from (NEWER_THAN_SNAPSHOT, checked against the snapshot
//   itself when ../shared/kafka-message-spec is on this machine).
// - every declared version, against each pin that carries it (one must match exactly): the ordered inline fields, the
//   tagged fields and their tags, types (struct names and array items included), nullability,
//   ignorable, defaults, field-level flexibleVersions, and whether the version is flexible.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiVersions, Metadata } from '../../src/protocol/messages/index.js';
import { type Field, type MessageSpec, struct } from '../../src/protocol/schema/declare.js';
import { listVersions } from '../../src/protocol/schema/versions.js';
import { compareAtVersion, type KafkaMessage, loadKafkaMessage, versionSet } from './kafka-spec.js';
import { allMessageSpecs } from './messages-under-test.js';
import { buildOracle } from './oracle-process.js';

/** The Kafka message JSON the declarations were written from (a late-2024 trunk snapshot). */
const SNAPSHOT_DIR =
  process.env.KAFKA_MESSAGE_SPEC_DIR ??
  fileURLToPath(new URL('../../../shared/kafka-message-spec', import.meta.url));

/**
 * Versions the pinned jars carry that the snapshot does not declare (so that we do not either), per
 * message. Mostly Kafka 4.0/4.1 additions: Produce v12-13, Fetch v18, share groups v1 (KIP-932's
 * GA form), the streams and share-group admin APIs. Worked out from the jars and the snapshot;
 * re-checked on every run where the snapshot is present.
 */
const NEWER_THAN_SNAPSHOT: Record<string, number[]> = {
  AlterPartitionReassignmentsRequest: [1],
  AlterPartitionReassignmentsResponse: [1],
  AlterShareGroupOffsetsRequest: [0],
  AlterShareGroupOffsetsResponse: [0],
  ConsumerGroupDescribeRequest: [1],
  ConsumerGroupDescribeResponse: [1],
  DeleteShareGroupOffsetsRequest: [0],
  DeleteShareGroupOffsetsResponse: [0],
  DescribeClusterRequest: [2],
  DescribeClusterResponse: [2],
  DescribeGroupsRequest: [6],
  DescribeGroupsResponse: [6],
  DescribeShareGroupOffsetsRequest: [0],
  DescribeShareGroupOffsetsResponse: [0],
  EndTxnMarker: [0],
  FetchRequest: [18],
  FetchResponse: [18],
  InitProducerIdRequest: [6],
  InitProducerIdResponse: [6],
  ListConfigResourcesRequest: [0, 1],
  ListConfigResourcesResponse: [0, 1],
  ListTransactionsRequest: [2],
  ListTransactionsResponse: [2],
  MetadataRequest: [13],
  MetadataResponse: [13],
  OffsetCommitRequest: [10],
  OffsetCommitResponse: [10],
  OffsetFetchRequest: [10],
  OffsetFetchResponse: [10],
  ProduceRequest: [12, 13],
  ProduceResponse: [12, 13],
  ShareAcknowledgeRequest: [1],
  ShareAcknowledgeResponse: [1],
  ShareFetchRequest: [1],
  ShareFetchResponse: [1],
  ShareGroupDescribeRequest: [1],
  ShareGroupDescribeResponse: [1],
  ShareGroupHeartbeatRequest: [1],
  ShareGroupHeartbeatResponse: [1],
  StreamsGroupDescribeRequest: [0],
  StreamsGroupDescribeResponse: [0],
  StreamsGroupHeartbeatRequest: [0],
  StreamsGroupHeartbeatResponse: [0],
  TxnOffsetCommitRequest: [5],
  TxnOffsetCommitResponse: [5],
  VoteRequest: [2],
  VoteResponse: [2],
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

function pinnedVersions(spec: MessageSpec): Set<number> {
  const out = new Set<number>();
  for (const pin of pins) {
    const m = pin.messages.get(spec.name);
    if (m) for (const v of versionSet(m.validVersions)) out.add(v);
  }
  return out;
}

for (const spec of specs) {
  describe(spec.name, () => {
    it('declares exactly the versions the pinned releases carry (as far as the snapshot goes)', () => {
      const carried = pinnedVersions(spec);
      const newer = new Set(NEWER_THAN_SNAPSHOT[spec.name] ?? []);
      if (snapshot) {
        const snap = snapshot(spec.name);
        const snapVersions = snap ? versionSet(snap.validVersions) : new Set<number>();
        const actuallyNewer = [...carried].filter((v) => !snapVersions.has(v));
        expect(list(newer), `NEWER_THAN_SNAPSHOT.${spec.name} is out of date`).toBe(list(actuallyNewer));
        const missingFromPins = [...snapVersions].filter((v) => !carried.has(v));
        expect(
          missingFromPins,
          `the snapshot declares ${spec.name} v${list(missingFromPins)}, which no pinned release carries`,
        ).toEqual([]);
      }
      const expected = [...carried].filter((v) => !newer.has(v));
      const ours = listVersions(spec.validVersions);
      const extra = ours.filter((v) => !carried.has(v));
      const lacking = expected.filter((v) => !ours.includes(v));
      const words: string[] = [];
      if (extra.length) words.push(`we declare v${list(extra)}, which no pinned kafka-clients carries`);
      if (lacking.length) words.push(`we lack v${list(lacking)}, which the pins and the snapshot both have`);
      expect(words, `${spec.name} validVersions ${spec.validVersions}`).toEqual([]);
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
        const perPin = carrying.map((p) => ({
          pin: p.version,
          diffs: compareAtVersion(spec, p.messages.get(spec.name)!, version),
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
