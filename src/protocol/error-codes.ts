/**
 * Kafka's error codes as of Apache Kafka 4.1 (`org.apache.kafka.common.protocol.Errors`): the number
 * carried in every `errorCode` field, Kafka's NAME for it, and whether the client-side exception class
 * extends `RetriableException` — i.e. whether a client may simply try the same request again (maybe
 * after refreshing metadata or finding the coordinator). The messages are short summaries in our own
 * words; Kafka's `errorMessage` fields, where present, carry the broker's specific text.
 *
 * Codes are contiguous from -1 to 133; Kafka never reuses or renumbers a code (names have changed:
 * NOT_LEADER_FOR_PARTITION became NOT_LEADER_OR_FOLLOWER in KIP-392, UNKNOWN became UNKNOWN_SERVER_ERROR).
 */

export interface KafkaErrorCode {
  code: number;
  name: string;
  retriable: boolean;
  message: string;
}

type Row = [code: number, name: string, retriable: boolean, message: string];

const R = true;
const F = false;

// Kept in code order; errorCodes.test.ts checks that the list is contiguous and the names unique.
const ROWS: Row[] = [
  [-1, 'UNKNOWN_SERVER_ERROR', F, 'The broker hit an unexpected error while handling the request.'],
  [0, 'NONE', F, 'No error.'],
  [1, 'OFFSET_OUT_OF_RANGE', F, 'The offset asked for is outside the range the partition holds.'],
  [2, 'CORRUPT_MESSAGE', R, 'A record failed its CRC check, was too large, or is otherwise malformed.'],
  [3, 'UNKNOWN_TOPIC_OR_PARTITION', R, 'This broker does not host that topic-partition.'],
  [4, 'INVALID_FETCH_SIZE', F, 'The fetch size asked for is not valid.'],
  [5, 'LEADER_NOT_AVAILABLE', R, 'The partition has no leader right now (an election is under way).'],
  [6, 'NOT_LEADER_OR_FOLLOWER', R, 'This broker is not the leader (or not a replica) of the partition.'],
  [7, 'REQUEST_TIMED_OUT', R, 'The request timed out on the broker.'],
  [8, 'BROKER_NOT_AVAILABLE', F, 'The broker is not available.'],
  [9, 'REPLICA_NOT_AVAILABLE', R, 'A replica of the partition is not available.'],
  [10, 'MESSAGE_TOO_LARGE', F, 'A record batch is larger than the broker or topic accepts.'],
  [11, 'STALE_CONTROLLER_EPOCH', F, 'The request came from a controller whose epoch is out of date.'],
  [12, 'OFFSET_METADATA_TOO_LARGE', F, 'The metadata string of an offset commit is too long.'],
  [13, 'NETWORK_EXCEPTION', R, 'The connection closed before a response arrived.'],
  [14, 'COORDINATOR_LOAD_IN_PROGRESS', R, 'The coordinator is still loading its state; try again shortly.'],
  [15, 'COORDINATOR_NOT_AVAILABLE', R, 'The coordinator is not available.'],
  [16, 'NOT_COORDINATOR', R, 'This broker is not the coordinator for that group or transaction.'],
  [17, 'INVALID_TOPIC_EXCEPTION', F, 'The topic name is not valid or the operation is not allowed on it.'],
  [18, 'RECORD_LIST_TOO_LARGE', F, 'A record batch is larger than the log segment size.'],
  [19, 'NOT_ENOUGH_REPLICAS', R, 'Fewer in-sync replicas than min.insync.replicas: records rejected.'],
  [
    20,
    'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
    R,
    'Records were appended, but to fewer in-sync replicas than required.',
  ],
  [21, 'INVALID_REQUIRED_ACKS', F, 'The acks value of a Produce request is not valid.'],
  [22, 'ILLEGAL_GENERATION', F, 'The group generation id given is not the current one.'],
  [
    23,
    'INCONSISTENT_GROUP_PROTOCOL',
    F,
    "The member's protocols do not match the group's, or none were given.",
  ],
  [24, 'INVALID_GROUP_ID', F, 'The group id is not valid.'],
  [25, 'UNKNOWN_MEMBER_ID', F, 'The coordinator does not know this member id.'],
  [26, 'INVALID_SESSION_TIMEOUT', F, 'The session timeout is outside the range the broker allows.'],
  [27, 'REBALANCE_IN_PROGRESS', F, 'The group is rebalancing; the member must rejoin.'],
  [28, 'INVALID_COMMIT_OFFSET_SIZE', F, 'The offset commit data has an invalid size.'],
  [29, 'TOPIC_AUTHORIZATION_FAILED', F, 'Not authorized to access the topic.'],
  [30, 'GROUP_AUTHORIZATION_FAILED', F, 'Not authorized to access the group.'],
  [31, 'CLUSTER_AUTHORIZATION_FAILED', F, 'Not authorized for this cluster-level operation.'],
  [32, 'INVALID_TIMESTAMP', F, 'A record timestamp is outside the accepted range.'],
  [33, 'UNSUPPORTED_SASL_MECHANISM', F, 'The broker does not offer that SASL mechanism.'],
  [34, 'ILLEGAL_SASL_STATE', F, 'The request is not allowed in the current SASL state.'],
  [35, 'UNSUPPORTED_VERSION', F, 'The broker does not support this API version.'],
  [36, 'TOPIC_ALREADY_EXISTS', F, 'A topic with this name already exists.'],
  [37, 'INVALID_PARTITIONS', F, 'The number of partitions is not valid.'],
  [38, 'INVALID_REPLICATION_FACTOR', F, 'The replication factor is below 1 or above the number of brokers.'],
  [39, 'INVALID_REPLICA_ASSIGNMENT', F, 'The replica assignment is not valid.'],
  [40, 'INVALID_CONFIG', F, 'A configuration value is not valid.'],
  [41, 'NOT_CONTROLLER', R, 'This broker is not the active controller.'],
  [42, 'INVALID_REQUEST', F, 'The request is malformed or not valid for this broker; see the broker log.'],
  [43, 'UNSUPPORTED_FOR_MESSAGE_FORMAT', F, "The topic's message format does not support this request."],
  [44, 'POLICY_VIOLATION', F, 'The request breaks a policy configured on the broker.'],
  [45, 'OUT_OF_ORDER_SEQUENCE_NUMBER', F, 'The broker received a producer sequence number out of order.'],
  [46, 'DUPLICATE_SEQUENCE_NUMBER', F, 'The broker already has a batch with this producer sequence number.'],
  [47, 'INVALID_PRODUCER_EPOCH', F, 'The producer epoch is older than the current one.'],
  [48, 'INVALID_TXN_STATE', F, 'The transactional operation is not allowed in the current state.'],
  [49, 'INVALID_PRODUCER_ID_MAPPING', F, 'The producer id is not the one assigned to this transactional id.'],
  [50, 'INVALID_TRANSACTION_TIMEOUT', F, 'The transaction timeout exceeds transaction.max.timeout.ms.'],
  [51, 'CONCURRENT_TRANSACTIONS', R, 'Another operation on the same transaction is still in progress.'],
  [
    52,
    'TRANSACTION_COORDINATOR_FENCED',
    F,
    'The transaction coordinator sending markers is no longer current.',
  ],
  [53, 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED', F, 'Not authorized for this transactional id.'],
  [54, 'SECURITY_DISABLED', F, 'Security features are disabled on this broker.'],
  [55, 'OPERATION_NOT_ATTEMPTED', F, 'Not attempted because another part of the batched request failed.'],
  [56, 'KAFKA_STORAGE_ERROR', R, 'A disk error occurred while accessing the log.'],
  [57, 'LOG_DIR_NOT_FOUND', F, 'The log directory named is not configured on the broker.'],
  [58, 'SASL_AUTHENTICATION_FAILED', F, 'SASL authentication failed.'],
  [59, 'UNKNOWN_PRODUCER_ID', F, 'The broker has no state for this producer id (e.g. its records expired).'],
  [60, 'REASSIGNMENT_IN_PROGRESS', F, 'A partition reassignment is already in progress.'],
  [61, 'DELEGATION_TOKEN_AUTH_DISABLED', F, 'Delegation tokens are not enabled.'],
  [62, 'DELEGATION_TOKEN_NOT_FOUND', F, 'No such delegation token.'],
  [63, 'DELEGATION_TOKEN_OWNER_MISMATCH', F, 'The principal is not the owner or a renewer of the token.'],
  [64, 'DELEGATION_TOKEN_REQUEST_NOT_ALLOWED', F, 'Token requests are not allowed on this kind of channel.'],
  [65, 'DELEGATION_TOKEN_AUTHORIZATION_FAILED', F, 'Not authorized for this delegation token operation.'],
  [66, 'DELEGATION_TOKEN_EXPIRED', F, 'The delegation token has expired.'],
  [67, 'INVALID_PRINCIPAL_TYPE', F, 'The principal type is not supported.'],
  [68, 'NON_EMPTY_GROUP', F, 'The group still has members.'],
  [69, 'GROUP_ID_NOT_FOUND', F, 'No such group.'],
  [70, 'FETCH_SESSION_ID_NOT_FOUND', R, 'The fetch session id is not known to the broker.'],
  [71, 'INVALID_FETCH_SESSION_EPOCH', R, 'The fetch session epoch is not the expected one.'],
  [72, 'LISTENER_NOT_FOUND', R, 'The leader has no listener matching the one this request came in on.'],
  [73, 'TOPIC_DELETION_DISABLED', F, 'Topic deletion is disabled on this cluster.'],
  [74, 'FENCED_LEADER_EPOCH', R, "The leader epoch in the request is older than the broker's."],
  [75, 'UNKNOWN_LEADER_EPOCH', R, "The leader epoch in the request is newer than the broker's."],
  [76, 'UNSUPPORTED_COMPRESSION_TYPE', F, 'The client cannot handle the compression type of this partition.'],
  [77, 'STALE_BROKER_EPOCH', F, 'The broker epoch has changed.'],
  [78, 'OFFSET_NOT_AVAILABLE', R, 'The new leader has not caught up its high watermark yet.'],
  [
    79,
    'MEMBER_ID_REQUIRED',
    F,
    'The member must rejoin with the member id the coordinator just assigned (KIP-394).',
  ],
  [80, 'PREFERRED_LEADER_NOT_AVAILABLE', R, 'The preferred leader is not available.'],
  [81, 'GROUP_MAX_SIZE_REACHED', F, 'The group is already at its maximum size.'],
  [82, 'FENCED_INSTANCE_ID', F, 'Another member has registered with the same group.instance.id.'],
  [83, 'ELIGIBLE_LEADERS_NOT_AVAILABLE', R, 'No eligible leader is available for the partition.'],
  [84, 'ELECTION_NOT_NEEDED', R, 'The partition already has the leader an election would choose.'],
  [85, 'NO_REASSIGNMENT_IN_PROGRESS', F, 'There is no partition reassignment in progress.'],
  [
    86,
    'GROUP_SUBSCRIBED_TO_TOPIC',
    F,
    "Cannot delete a topic's offsets while the group is subscribed to it.",
  ],
  [87, 'INVALID_RECORD', F, 'The broker rejected a record that failed validation.'],
  [88, 'UNSTABLE_OFFSET_COMMIT', R, 'There are pending transactional offsets for this partition.'],
  [89, 'THROTTLING_QUOTA_EXCEEDED', R, 'The throttling quota has been exceeded.'],
  [90, 'PRODUCER_FENCED', F, 'A newer producer with the same transactional id has fenced this one.'],
  [91, 'RESOURCE_NOT_FOUND', F, 'The request refers to a resource that does not exist.'],
  [92, 'DUPLICATE_RESOURCE', F, 'The request names the same resource twice.'],
  [93, 'UNACCEPTABLE_CREDENTIAL', F, 'The credential does not meet the acceptance criteria.'],
  [94, 'INCONSISTENT_VOTER_SET', F, 'The sender or receiver of a voter request is not an expected voter.'],
  [95, 'INVALID_UPDATE_VERSION', F, 'The feature update version is not valid.'],
  [96, 'FEATURE_UPDATE_FAILED', F, 'The finalized features could not be updated.'],
  [
    97,
    'PRINCIPAL_DESERIALIZATION_FAILURE',
    F,
    'A forwarded request carried a principal the controller could not read.',
  ],
  [98, 'SNAPSHOT_NOT_FOUND', F, 'The requested snapshot does not exist.'],
  [99, 'POSITION_OUT_OF_RANGE', F, 'The snapshot position is negative or past its end.'],
  [100, 'UNKNOWN_TOPIC_ID', R, 'This broker does not host a topic with this id.'],
  [101, 'DUPLICATE_BROKER_REGISTRATION', F, 'The broker id is already registered.'],
  [102, 'BROKER_ID_NOT_REGISTERED', F, 'The broker id is not registered.'],
  [103, 'INCONSISTENT_TOPIC_ID', R, "The topic id in the request does not match the log's."],
  [104, 'INCONSISTENT_CLUSTER_ID', F, "The cluster id in the request does not match the server's."],
  [105, 'TRANSACTIONAL_ID_NOT_FOUND', F, 'No such transactional id.'],
  [106, 'FETCH_SESSION_TOPIC_ID_ERROR', R, 'The fetch session used topic ids inconsistently.'],
  [107, 'INELIGIBLE_REPLICA', F, 'The proposed ISR contains a replica that may not join it.'],
  [108, 'NEW_LEADER_ELECTED', F, 'The partition state was updated but the leader has since changed.'],
  [109, 'OFFSET_MOVED_TO_TIERED_STORAGE', F, 'The offset now lives in tiered (remote) storage.'],
  [110, 'FENCED_MEMBER_EPOCH', F, 'The member epoch is fenced: give up all partitions and rejoin (KIP-848).'],
  [111, 'UNRELEASED_INSTANCE_ID', F, 'Another member still holds this instance id; it must leave first.'],
  [112, 'UNSUPPORTED_ASSIGNOR', F, 'The group does not support this assignor or its version range.'],
  [113, 'STALE_MEMBER_EPOCH', F, 'The member epoch is stale; retry once the heartbeat has refreshed it.'],
  [
    114,
    'MISMATCHED_ENDPOINT_TYPE',
    F,
    'The request reached an endpoint of the wrong kind (broker vs controller).',
  ],
  [115, 'UNSUPPORTED_ENDPOINT_TYPE', F, 'This endpoint kind is not supported yet.'],
  [116, 'UNKNOWN_CONTROLLER_ID', F, 'The controller id is not known.'],
  [117, 'UNKNOWN_SUBSCRIPTION_ID', F, 'The telemetry subscription id is unknown or outdated (KIP-714).'],
  [118, 'TELEMETRY_TOO_LARGE', F, 'The telemetry push is larger than the broker accepts.'],
  [119, 'INVALID_REGISTRATION', F, 'The controller considers the broker registration invalid.'],
  [
    120,
    'TRANSACTION_ABORTABLE',
    F,
    'The transaction hit an error; abort it to keep using the transactional id.',
  ],
  [
    121,
    'INVALID_RECORD_STATE',
    F,
    'The record is not in a state that allows this acknowledgement (KIP-932).',
  ],
  [122, 'SHARE_SESSION_NOT_FOUND', R, 'The share session does not exist.'],
  [123, 'INVALID_SHARE_SESSION_EPOCH', R, 'The share session epoch is not the expected one.'],
  [124, 'FENCED_STATE_EPOCH', F, 'The share-group state epoch does not match the coordinator.'],
  [125, 'INVALID_VOTER_KEY', F, "The voter key does not match the receiving replica's."],
  [126, 'DUPLICATE_VOTER', F, 'The voter is already in the voter set.'],
  [127, 'VOTER_NOT_FOUND', F, 'The voter is not in the voter set.'],
  [128, 'INVALID_REGULAR_EXPRESSION', F, 'The subscription regular expression is not valid.'],
  [129, 'REBOOTSTRAP_REQUIRED', F, 'Client metadata is stale: go back to the bootstrap servers (KIP-1102).'],
  [130, 'STREAMS_INVALID_TOPOLOGY', F, 'The Streams topology supplied is not valid (KIP-1071).'],
  [131, 'STREAMS_INVALID_TOPOLOGY_EPOCH', F, 'The Streams topology epoch is not valid.'],
  [132, 'STREAMS_TOPOLOGY_FENCED', F, 'The Streams topology epoch is out of date.'],
  [133, 'SHARE_SESSION_LIMIT_REACHED', R, 'The broker already holds as many share sessions as it allows.'],
];

/** Every Kafka error, in code order. */
export const ERROR_CODES: readonly KafkaErrorCode[] = Object.freeze(
  ROWS.map(([code, name, retriable, message]) => Object.freeze({ code, name, retriable, message })),
);

const byCode = new Map<number, KafkaErrorCode>(ERROR_CODES.map((e) => [e.code, e]));
const byName = new Map<string, KafkaErrorCode>(ERROR_CODES.map((e) => [e.name, e]));

/** The error with this code, or undefined for a code Kafka 4.1 does not define. */
export function errorByCode(code: number): KafkaErrorCode | undefined {
  return byCode.get(code);
}

/** Looks up by Kafka's NAME; case and `-`/space separators are forgiven (`not_coordinator`). */
export function errorByName(name: string): KafkaErrorCode | undefined {
  return byName.get(
    name
      .trim()
      .toUpperCase()
      .replace(/[-\s]+/g, '_'),
  );
}

/** `NAME (code)`, or `unknown error code N` — for notes in explanations and client errors. */
export function describeErrorCode(code: number): string {
  const e = byCode.get(code);
  return e ? `${e.name} (${code})` : `unknown error code ${code}`;
}
