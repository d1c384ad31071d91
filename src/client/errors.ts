/**
 * Typed client errors. "Decode, then interpret": codecs hand back plain data with error codes in it;
 * the client turns a non-zero code into a `KafkaProtocolError` that names Kafka's error, whether a
 * retry may help, and where in which response it was found. Failures of the connection itself are
 * `ConnectionError`s that name the broker address (and, for addresses learnt from Metadata, where
 * that address came from).
 */
import { errorByCode } from '../protocol/error-codes.js';

/** Where an error was found: the API, and the topic/partition (or group) it concerns. */
export interface ErrorLocation {
  api?: string;
  topic?: string;
  partition?: number;
  /** A group id, transactional id or other resource name, when the code belongs to one. */
  resource?: string;
  /** The broker that answered, as `host:port` (node id when known). */
  broker?: string;
}

/** Every error this client raises. `retriable` says whether the same call may succeed if tried again. */
export class KafkaClientError extends Error {
  override name = 'KafkaClientError';
  readonly retriable: boolean;

  constructor(message: string, options: { retriable: boolean; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retriable = options.retriable;
  }
}

/**
 * Error codes whose Java exception extends InvalidMetadataException: the client's view of the cluster
 * (leaders, topics) is stale, so refresh Metadata before retrying.
 */
const STALE_METADATA_CODES = new Set([
  3, // UNKNOWN_TOPIC_OR_PARTITION
  5, // LEADER_NOT_AVAILABLE
  6, // NOT_LEADER_OR_FOLLOWER
  9, // REPLICA_NOT_AVAILABLE
  56, // KAFKA_STORAGE_ERROR
  74, // FENCED_LEADER_EPOCH
  100, // UNKNOWN_TOPIC_ID
  103, // INCONSISTENT_TOPIC_ID
]);

/** A non-zero error code a broker sent back. */
export class KafkaProtocolError extends KafkaClientError {
  override name = 'KafkaProtocolError';
  /** Kafka's numeric error code. */
  readonly code: number;
  /** Kafka's NAME for it (`NOT_LEADER_OR_FOLLOWER`), or `UNKNOWN_CODE_N`. */
  readonly type: string;
  /** The refresh-metadata-then-retry family (Java's InvalidMetadataException). */
  readonly staleMetadata: boolean;
  readonly location: ErrorLocation;
  /** The broker's own errorMessage, when the response carries one. */
  readonly brokerMessage: string | null;

  constructor(code: number, location: ErrorLocation = {}, brokerMessage: string | null = null) {
    const known = errorByCode(code);
    const type = known?.name ?? `UNKNOWN_CODE_${code}`;
    super(describe(code, type, known?.message, location, brokerMessage), {
      retriable: known?.retriable ?? false,
    });
    this.code = code;
    this.type = type;
    this.staleMetadata = STALE_METADATA_CODES.has(code);
    this.location = location;
    this.brokerMessage = brokerMessage;
  }
}

function describe(
  code: number,
  type: string,
  summary: string | undefined,
  where: ErrorLocation,
  brokerMessage: string | null,
): string {
  const place: string[] = [];
  if (where.api) place.push(where.api);
  if (where.topic !== undefined) {
    place.push(where.partition !== undefined ? `${where.topic}-${where.partition}` : `topic ${where.topic}`);
  }
  if (where.resource !== undefined) place.push(where.resource);
  if (where.broker) place.push(`broker ${where.broker}`);
  const head = `${type} (${code})${place.length ? ` in ${place.join(', ')}` : ''}`;
  const detail = brokerMessage ?? summary;
  return detail ? `${head}: ${detail}` : head;
}

/** `undefined` for 0 (NONE), else the typed error. */
export function errorFromCode(
  code: number,
  location: ErrorLocation = {},
  brokerMessage: string | null = null,
): KafkaProtocolError | undefined {
  return code === 0 ? undefined : new KafkaProtocolError(code, location, brokerMessage);
}

/** Throws the typed error for a non-zero code. */
export function throwIfError(
  code: number,
  location: ErrorLocation = {},
  brokerMessage: string | null = null,
): void {
  if (code !== 0) throw new KafkaProtocolError(code, location, brokerMessage);
}

/** The socket failed, closed, or never opened. Retriable: a new connection may work. */
export class ConnectionError extends KafkaClientError {
  override name = 'ConnectionError';
  /** `host:port` of the broker. */
  readonly broker: string;

  constructor(message: string, options: { broker: string; retriable?: boolean; cause?: unknown }) {
    super(message, { retriable: options.retriable ?? true, cause: options.cause });
    this.broker = options.broker;
  }
}

/**
 * A broker address learnt from Metadata that cannot be reached: almost always a broker whose
 * advertised.listeners names a host or port that only makes sense inside its own machine or container.
 */
export class UnreachableAdvertisedAddressError extends ConnectionError {
  override name = 'UnreachableAdvertisedAddressError';
  readonly nodeId: number;
  /** The bootstrap (or other) broker whose Metadata answer named this address. */
  readonly advertisedBy: string;

  constructor(options: { broker: string; nodeId: number; advertisedBy: string; cause?: unknown }) {
    const why =
      options.cause instanceof Error ? options.cause.message : String(options.cause ?? 'unreachable');
    super(
      `cannot connect to broker ${options.nodeId} at ${options.broker} (${why}). That address came from ` +
        `the Metadata answer of ${options.advertisedBy}: the broker advertises it through its ` +
        'advertised.listeners setting. Set advertised.listeners to a host:port this client can reach.',
      { broker: options.broker, cause: options.cause },
    );
    this.nodeId = options.nodeId;
    this.advertisedBy = options.advertisedBy;
  }
}

/** No response within the request timeout. Java's client closes the connection then; so do we. */
export class RequestTimeoutError extends KafkaClientError {
  override name = 'RequestTimeoutError';
  readonly broker: string;
  readonly api: string;

  constructor(options: { broker: string; api: string; timeoutMs: number }) {
    super(`${options.api} request to ${options.broker} got no response within ${options.timeoutMs} ms`, {
      retriable: true,
    });
    this.broker = options.broker;
    this.api = options.api;
  }
}

/** The broker and this client share no version of an API. */
export class UnsupportedVersionError extends KafkaClientError {
  override name = 'UnsupportedVersionError';

  constructor(message: string) {
    super(message, { retriable: false });
  }
}
