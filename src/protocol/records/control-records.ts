/**
 * Control records: the single record of a control batch (attributes bit 5). Its key is always
 * `version int16, type int16` (Kafka's ControlRecordType); the type says what the value holds:
 *
 *   0 ABORT, 1 COMMIT   end-transaction markers (KIP-98), written by the partition leader when the
 *                       transaction coordinator asks (WriteTxnMarkers); value `version int16` then an
 *                       EndTxnMarker (coordinatorEpoch)
 *   2 LEADER_CHANGE     KRaft (KIP-595): a new quorum leader's first record, naming the voters
 *   3 SNAPSHOT_HEADER   KRaft snapshots (KIP-630): the first and last record of a snapshot
 *   4 SNAPSHOT_FOOTER
 *   5 KRAFT_VERSION     KIP-853: the kraft.version feature level the quorum runs
 *   6 KRAFT_VOTERS      KIP-853: the voter set (ids, directory ids, endpoints)
 *
 * The value schemas of types 2-6 are Kafka messages of type "data" (LeaderChangeMessage, …), declared
 * here like every other message so that spec sync and the oracle check them against Kafka's own
 * definitions. Kafka writes and reads all of them at version 0 (ControlRecordUtils' *_CURRENT_VERSION
 * constants) whatever their validVersions say; the in-band `version` field is their own schema version.
 * Types 2-6 only appear in the KRaft metadata log (__cluster_metadata) and its snapshots, never in a
 * topic a client fetches, but a learner reading such a log should see them explained.
 */
import { DecodeError } from '../errors.js';
import { SpanRecorder } from '../primitives/spans.js';
import { codecFor } from '../schema/codec.js';
import { field, type MessageSpec, type MessageValue, message, struct } from '../schema/declare.js';

// ---- the key ------------------------------------------------------------------------------------

/** ControlRecordType by number, in Kafka's words turned kebab-case (as in listings and JSON). */
export const CONTROL_TYPES: Record<number, string> = {
  0: 'abort',
  1: 'commit',
  2: 'leader-change',
  3: 'snapshot-header',
  4: 'snapshot-footer',
  5: 'kraft-version',
  6: 'kraft-voters',
};

export interface ControlRecordKey {
  version: number;
  type: number;
  /** 'abort', 'commit', … or `unknown(n)`. */
  typeName: string;
}

/** Reads a control record's key. A key version above 0 is read as version 0, as Kafka does. */
export function decodeControlKey(key: Buffer | null, at: number): ControlRecordKey {
  if (key === null || key.length < 4) {
    throw new DecodeError(
      `control record key must hold version int16 and type int16, got ${key === null ? 'null' : `${key.length} bytes`}`,
      at,
    );
  }
  const version = key.readInt16BE(0);
  if (version < 0) throw new DecodeError(`control record key version ${version} is negative`, at);
  const type = key.readInt16BE(2);
  return { version, type, typeName: CONTROL_TYPES[type] ?? `unknown(${type})` };
}

export function encodeControlKey(type: 'abort' | 'commit' | number): Buffer {
  const code = type === 'commit' ? 1 : type === 'abort' ? 0 : type;
  const b = Buffer.allocUnsafe(4);
  b.writeInt16BE(0, 0);
  b.writeInt16BE(code, 2);
  return b;
}

// ---- the value schemas --------------------------------------------------------------------------

/** The body of a transaction marker's value, after its int16 version. Never flexible. */
export const EndTxnMarkerMessage = message({
  name: 'EndTxnMarker',
  type: 'data',
  validVersions: '0',
  flexibleVersions: 'none',
  fields: {
    // Fences markers from a transaction coordinator that has since lost its partition.
    coordinatorEpoch: field.int32('0+'),
  },
});

const Voter = struct('Voter', {
  voterId: field.int32('0+'),
  voterDirectoryId: field.uuid('1+'),
});

/** Type 2: written by a new KRaft leader; v1 (KIP-853) adds directory ids, but Kafka writes v0. */
export const LeaderChangeMessage = message({
  name: 'LeaderChangeMessage',
  type: 'data',
  validVersions: '0-1',
  flexibleVersions: '0+',
  fields: {
    version: field.int16('0+'),
    leaderId: field.int32('0+'),
    voters: field.array('0+', Voter),
    // The voters that voted for this leader in its election.
    grantingVoters: field.array('0+', Voter),
  },
});

/** Type 3: the first record of a KRaft snapshot. */
export const SnapshotHeaderRecord = message({
  name: 'SnapshotHeaderRecord',
  type: 'data',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: {
    version: field.int16('0+'),
    // The append time of the last log record the snapshot covers.
    lastContainedLogTimestamp: field.int64('0+'),
  },
});

/** Type 4: the last record of a KRaft snapshot. */
export const SnapshotFooterRecord = message({
  name: 'SnapshotFooterRecord',
  type: 'data',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: {
    version: field.int16('0+'),
  },
});

/** Type 5 (KIP-853): the kraft.version the quorum uses; 1 means a dynamic (reconfigurable) voter set. */
export const KRaftVersionRecord = message({
  name: 'KRaftVersionRecord',
  type: 'data',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: {
    version: field.int16('0+'),
    kRaftVersion: field.int16('0+'),
  },
});

/** Type 6 (KIP-853): the whole voter set, written whenever it changes. */
export const VotersRecord = message({
  name: 'VotersRecord',
  type: 'data',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: {
    version: field.int16('0+'),
    voters: field.array(
      '0+',
      struct('Voter', {
        voterId: field.int32('0+'),
        voterDirectoryId: field.uuid('0+'),
        endpoints: field.array(
          '0+',
          struct('Endpoint', {
            name: field.string('0+'),
            host: field.string('0+'),
            port: field.uint16('0+'),
          }),
        ),
        kRaftVersionFeature: field.struct(
          '0+',
          struct('KRaftVersionFeature', {
            minSupportedVersion: field.int16('0+'),
            maxSupportedVersion: field.int16('0+'),
          }),
        ),
      }),
    ),
  },
});

export type LeaderChange = MessageValue<typeof LeaderChangeMessage>;
export type SnapshotHeader = MessageValue<typeof SnapshotHeaderRecord>;
export type SnapshotFooter = MessageValue<typeof SnapshotFooterRecord>;
export type KRaftVersion = MessageValue<typeof KRaftVersionRecord>;
export type Voters = MessageValue<typeof VotersRecord>;

/** The value schema of each KRaft control type (0 and 1 are the version-prefixed EndTxnMarker). */
const KRAFT_VALUE_SCHEMAS: Record<number, MessageSpec> = {
  2: LeaderChangeMessage,
  3: SnapshotHeaderRecord,
  4: SnapshotFooterRecord,
  5: KRaftVersionRecord,
  6: VotersRecord,
};

/** Every control value schema, for tests and the oracle. */
export const CONTROL_VALUE_SCHEMAS: readonly MessageSpec[] = [
  EndTxnMarkerMessage,
  ...Object.values(KRAFT_VALUE_SCHEMAS),
];

// ---- transaction markers ------------------------------------------------------------------------

export interface EndTxnMarker {
  version: number;
  coordinatorEpoch: number;
}

/**
 * A commit/abort marker's value: `version int16` then EndTxnMarker. A version above 0 is read as
 * version 0 (Kafka does the same and ignores what follows); a negative one is refused.
 */
export function decodeEndTxnMarker(value: Buffer | null, at: number): EndTxnMarker {
  if (value === null || value.length < 6) {
    throw new DecodeError(
      `transaction marker value must hold version int16 and coordinatorEpoch int32, got ${value === null ? 'null' : `${value.length} bytes`}`,
      at,
    );
  }
  const version = value.readInt16BE(0);
  if (version < 0) throw new DecodeError(`transaction marker value version ${version} is negative`, at);
  return { version, coordinatorEpoch: value.readInt32BE(2) };
}

export function encodeEndTxnMarker(coordinatorEpoch: number): Buffer {
  const b = Buffer.allocUnsafe(6);
  b.writeInt16BE(0, 0);
  b.writeInt32BE(coordinatorEpoch, 2);
  return b;
}

// ---- any control record -------------------------------------------------------------------------

/** A control record's value, decoded by its key's type. */
export type ControlRecordValue =
  | { type: 'abort' | 'commit'; schema: 'EndTxnMarker'; value: EndTxnMarker }
  | { type: 'leader-change'; schema: 'LeaderChangeMessage'; value: LeaderChange }
  | { type: 'snapshot-header'; schema: 'SnapshotHeaderRecord'; value: SnapshotHeader }
  | { type: 'snapshot-footer'; schema: 'SnapshotFooterRecord'; value: SnapshotFooter }
  | { type: 'kraft-version'; schema: 'KRaftVersionRecord'; value: KRaftVersion }
  | { type: 'kraft-voters'; schema: 'VotersRecord'; value: Voters };

export interface DecodeControlOptions {
  /** Where the value's bytes start in the input, for error offsets and spans. */
  at?: number;
  /** Collects spans of the value's fields (paths under the recorder's current path). */
  recorder?: SpanRecorder;
  /** Added to span offsets (a frame offset when the value sits in a frame). */
  spanOffset?: number;
}

/**
 * Decodes a control record's value by its key's type. Returns undefined for a type Kafka does not
 * define (its value stays opaque bytes); a value that does not match its schema is a DecodeError at
 * the byte where it went wrong.
 */
export function decodeControlValue(
  key: ControlRecordKey,
  value: Buffer | null,
  options: DecodeControlOptions = {},
): ControlRecordValue | undefined {
  const at = options.at ?? 0;
  if (key.type === 0 || key.type === 1) {
    const marker = decodeEndTxnMarker(value, at);
    if (options.recorder) markerSpans(options.recorder, options.spanOffset ?? at, marker, value!.length);
    return { type: key.type === 1 ? 'commit' : 'abort', schema: 'EndTxnMarker', value: marker };
  }
  const spec = KRAFT_VALUE_SCHEMAS[key.type];
  if (!spec) return undefined;
  if (value === null) throw new DecodeError(`${key.typeName} control record has a null value`, at);
  const spans = options.recorder ? new SpanRecorder() : undefined;
  if (spans) spans.enter(options.recorder!.path);
  let decoded: unknown;
  try {
    decoded = codecFor(spec, 0).decode(value, { recorder: spans });
  } catch (err) {
    if (err instanceof DecodeError) {
      throw new DecodeError(
        `${key.typeName} control record value (${spec.name} v0): ${err.reason}`,
        at + err.offset,
        err.path,
      );
    }
    throw err;
  }
  if (spans) {
    const shift = options.spanOffset ?? at;
    for (const s of spans.spans) options.recorder!.add({ ...s, offset: s.offset + shift });
  }
  return { type: CONTROL_TYPES[key.type], schema: spec.name, value: decoded } as ControlRecordValue;
}

function markerSpans(rec: SpanRecorder, offset: number, marker: EndTxnMarker, length: number): void {
  const path = rec.path;
  rec.add({ offset, length, path, wireType: 'STRUCT', kind: 'container', note: 'EndTxnMarker' });
  rec.add({
    offset,
    length: 2,
    path: `${path}.version`,
    wireType: 'INT16',
    value: marker.version,
    kind: 'value',
    note: marker.version > 0 ? `version ${marker.version}, read as 0 as Kafka does` : 'marker value version',
  });
  rec.add({
    offset: offset + 2,
    length: 4,
    path: `${path}.coordinatorEpoch`,
    wireType: 'INT32',
    value: marker.coordinatorEpoch,
    kind: 'value',
    note: 'the transaction coordinator epoch that wrote the marker',
  });
  if (length > 6) {
    rec.add({
      offset: offset + 6,
      length: length - 6,
      path: `${path}.<ignored>`,
      wireType: 'RAW',
      kind: 'value',
      note: 'bytes after coordinatorEpoch, ignored as Kafka does',
    });
  }
}

/** Spans of a control record's key: version and type, with the type named. */
export function controlKeySpans(rec: SpanRecorder, offset: number, key: ControlRecordKey): void {
  const path = rec.path;
  rec.add({ offset, length: 4, path, wireType: 'STRUCT', kind: 'container', note: 'control record key' });
  rec.add({
    offset,
    length: 2,
    path: `${path}.version`,
    wireType: 'INT16',
    value: key.version,
    kind: 'value',
    note: key.version > 0 ? `version ${key.version}, read as 0 as Kafka does` : 'control key version',
  });
  rec.add({
    offset: offset + 2,
    length: 2,
    path: `${path}.type`,
    wireType: 'INT16',
    value: key.type,
    kind: 'value',
    note: `${key.typeName.toUpperCase().replace(/-/g, '_')}${CONTROL_NOTES[key.type] ? `: ${CONTROL_NOTES[key.type]}` : ''}`,
  });
}

const CONTROL_NOTES: Record<number, string> = {
  0: 'end-transaction marker, the transaction was aborted (KIP-98)',
  1: 'end-transaction marker, the transaction was committed (KIP-98)',
  2: 'a new KRaft quorum leader (KIP-595)',
  3: 'start of a KRaft snapshot (KIP-630)',
  4: 'end of a KRaft snapshot (KIP-630)',
  5: 'the kraft.version feature level (KIP-853)',
  6: 'the KRaft voter set (KIP-853)',
};

/** One line for listings: "COMMIT marker (coordinatorEpoch 3)", "LeaderChange: leader 1, voters 1,2,3". */
export function describeControlRecord(key: ControlRecordKey, value: ControlRecordValue | undefined): string {
  if (!value) return `control record of unknown type ${key.type}: value not decoded`;
  switch (value.type) {
    case 'abort':
    case 'commit':
      return `${value.type.toUpperCase()} marker (coordinatorEpoch ${value.value.coordinatorEpoch})`;
    case 'leader-change': {
      const ids = (vs: { voterId: number }[]) => vs.map((v) => v.voterId).join(',') || 'none';
      return `LeaderChange: leader ${value.value.leaderId}, voters ${ids(value.value.voters)}, granted by ${ids(value.value.grantingVoters)}`;
    }
    case 'snapshot-header':
      return `SnapshotHeader: last contained log timestamp ${value.value.lastContainedLogTimestamp}`;
    case 'snapshot-footer':
      return 'SnapshotFooter';
    case 'kraft-version':
      return `KRaftVersion: kraft.version ${value.value.kRaftVersion}`;
    case 'kraft-voters':
      return `Voters: ${value.value.voters.map((v) => `${v.voterId}@${v.endpoints.map((e) => `${e.host}:${e.port}`).join('/') || '?'}`).join(', ') || 'none'}`;
  }
}

/** Encodes a KRaft control record's value (types 2-6) at version 0, as Kafka writes them. */
export function encodeControlValue(type: number, value: Record<string, unknown>): Buffer {
  const spec = KRAFT_VALUE_SCHEMAS[type];
  if (!spec) throw new Error(`control type ${type} has no value schema (0/1 use encodeEndTxnMarker)`);
  return codecFor(spec, 0).encode(value as never);
}
