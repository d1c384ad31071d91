/**
 * The consumer's embedded protocol: what a Kafka consumer puts in JoinGroup's protocol metadata
 * (a subscription) and what the leader puts in SyncGroup's assignment bytes (an assignment), when
 * the group's protocolType is "consumer". The broker never reads these bytes; only the members do.
 *
 * Unlike API messages they carry their own version: an int16 in front of the body (Kafka's
 * ConsumerProtocol writes it with MessageUtil.toVersionPrefixedByteBuffer). Kafka promises that a
 * newer version only appends fields, so a reader that meets a version newer than it knows reads the
 * body as its own newest version and ignores what follows; we do the same.
 *
 * Versions: subscription v1 adds the partitions each member owned before the rebalance, for the
 * cooperative rebalancing of KIP-429; v2 adds the member's generation so the leader can discard
 * ownership claims from out-of-date members (KIP-792); v3 adds the rack id for rack-aware
 * assignment (KIP-881). The assignment gained no fields after v0 and is bumped alongside the
 * subscription (Kafka keeps the two version ranges equal).
 */
import { DecodeError, EncodeError } from '../errors.js';
import { Reader } from '../primitives/reader.js';
import type { SpanRecorder } from '../primitives/spans.js';
import { Writer } from '../primitives/writer.js';
import { codecFor } from '../schema/codec.js';
import {
  field,
  type MessageInput,
  type MessageSpec,
  type MessageValue,
  message,
  struct,
  types,
} from '../schema/declare.js';

/** JoinGroup/SyncGroup protocolType of Kafka consumers: the one these payloads belong to. */
export const CONSUMER_PROTOCOL_TYPE = 'consumer';

export const ConsumerProtocolSubscription = message({
  name: 'ConsumerProtocolSubscription',
  type: 'data',
  validVersions: '0-3',
  flexibleVersions: 'none',
  fields: {
    topics: field.array('0+', types.string),
    // Assignor-specific bytes (the sticky assignor keeps its previous assignment here).
    userData: field.bytes('0+', { nullableVersions: '0+', default: null }),
    ownedPartitions: field.array(
      '1+',
      struct('TopicPartition', {
        topic: field.string('1+'),
        partitions: field.array('1+', types.int32),
      }),
      { ignorable: true },
    ),
    generationId: field.int32('2+', { default: -1, ignorable: true }),
    rackId: field.string('3+', { nullableVersions: '3+', default: null, ignorable: true }),
  },
});

export const ConsumerProtocolAssignment = message({
  name: 'ConsumerProtocolAssignment',
  type: 'data',
  validVersions: '0-3',
  flexibleVersions: 'none',
  fields: {
    assignedPartitions: field.array(
      '0+',
      struct('TopicPartition', {
        topic: field.string('0+'),
        partitions: field.array('0+', types.int32),
      }),
    ),
    userData: field.bytes('0+', { nullableVersions: '0+', default: null }),
  },
});

export type ConsumerSubscription = MessageValue<typeof ConsumerProtocolSubscription>;
export type ConsumerAssignment = MessageValue<typeof ConsumerProtocolAssignment>;

/** What a version-prefixed payload decodes to. */
export interface VersionPrefixed<T> {
  /** The version the sender wrote in the int16 prefix. */
  version: number;
  /** The version the body was read as: `version`, or our newest when the sender's is newer. */
  readAs: number;
  value: T;
  /**
   * Bytes left after the body. Kafka ignores them (they hold fields of a newer version, or are
   * junk it does not check for); we report the count so a viewer can show them.
   */
  unreadBytes: number;
}

/** Our newest version of each payload (Kafka's HIGHEST_SUPPORTED_VERSION). */
export const CONSUMER_PROTOCOL_LATEST_VERSION = 3;

export function encodeSubscription(
  value: MessageInput<typeof ConsumerProtocolSubscription>,
  version = CONSUMER_PROTOCOL_LATEST_VERSION,
): Buffer {
  return encodePrefixed(ConsumerProtocolSubscription, value, version);
}

export function decodeSubscription(
  bytes: Uint8Array,
  options: { recorder?: SpanRecorder } = {},
): VersionPrefixed<ConsumerSubscription> {
  return decodePrefixed(ConsumerProtocolSubscription, bytes, options.recorder);
}

export function encodeAssignment(
  value: MessageInput<typeof ConsumerProtocolAssignment>,
  version = CONSUMER_PROTOCOL_LATEST_VERSION,
): Buffer {
  return encodePrefixed(ConsumerProtocolAssignment, value, version);
}

export function decodeAssignment(
  bytes: Uint8Array,
  options: { recorder?: SpanRecorder } = {},
): VersionPrefixed<ConsumerAssignment> {
  return decodePrefixed(ConsumerProtocolAssignment, bytes, options.recorder);
}

/**
 * Like Kafka's ConsumerProtocol.serialize*: a version above ours is lowered to our newest (and the
 * prefix says so), a negative one is refused.
 */
function encodePrefixed<M extends MessageSpec<any>>(
  spec: M,
  value: MessageInput<M>,
  version: number,
): Buffer {
  if (!Number.isInteger(version) || version < 0 || version > 0x7fff) {
    throw new EncodeError(`${spec.name} version must be an int16 of at least 0, got ${version}`, 'version');
  }
  const effective = Math.min(version, CONSUMER_PROTOCOL_LATEST_VERSION);
  const w = new Writer(64);
  w.int16(effective);
  codecFor(spec, effective).write(w, value);
  return w.finish();
}

function decodePrefixed<M extends MessageSpec<any>>(
  spec: M,
  bytes: Uint8Array,
  recorder: SpanRecorder | undefined,
): VersionPrefixed<MessageValue<M>> {
  const r = new Reader(bytes, { recorder });
  if (r.remaining < 2) {
    throw new DecodeError(
      `${spec.name} needs a 2-byte version prefix, have ${r.remaining} bytes`,
      0,
      'version',
    );
  }
  const version = r.int16();
  if (version < 0) throw new DecodeError(`unsupported ${spec.name} version ${version}`, 0, 'version');
  const readAs = Math.min(version, CONSUMER_PROTOCOL_LATEST_VERSION);
  recorder?.add({
    offset: 0,
    length: 2,
    path: 'version',
    wireType: 'INT16',
    kind: 'value',
    value: version,
    note:
      readAs === version
        ? 'payload version'
        : `payload version ${version}, newer than ours: read as v${readAs}`,
  });
  const value = codecFor(spec, readAs).read(r);
  const unreadBytes = r.remaining;
  if (recorder && unreadBytes > 0) {
    recorder.add({
      offset: r.offset,
      length: unreadBytes,
      path: '<unread>',
      wireType: 'RAW',
      kind: 'value',
      value: r.buf.subarray(r.offset, r.end),
      note: 'not read: fields of a newer version, ignored as Kafka does',
    });
  }
  return { version, readAs, value, unreadBytes };
}
