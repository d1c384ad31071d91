/**
 * Frames: an int32 size, then a header, then a body. Encoding and decoding of whole request and
 * response frames, and a streaming splitter that cuts a TCP byte stream into frames.
 */
import { DecodeError } from './errors.js';
import {
  RequestHeader,
  type RequestHeaderValue,
  ResponseHeader,
  type ResponseHeaderValue,
  requestHeaderVersion,
  responseHeaderVersion,
} from './headers.js';
import { apiByKey } from './messages/index.js';
import { Reader } from './primitives/reader.js';
import type { SpanRecorder } from './primitives/spans.js';
import { Writer } from './primitives/writer.js';
import { codecFor, isFlexible } from './schema/codec.js';
import type { ApiSpec, MessageInput, MessageSpec, MessageValue } from './schema/declare.js';
import { inVersions } from './schema/versions.js';

/** Kafka's socket.request.max.bytes default. */
export const DEFAULT_MAX_FRAME_BYTES = 104_857_600;

export interface EncodeRequestOptions<A extends ApiSpec> {
  api: A;
  version: number;
  correlationId: number;
  clientId?: string | null;
  body: MessageInput<A['request']>;
}

/** A whole request frame, size prefix included. */
export function encodeRequestFrame<A extends ApiSpec>(o: EncodeRequestOptions<A>): Buffer {
  const bodyCodec = codecFor(o.api.request, o.version);
  const headerVersion = requestHeaderVersion(o.api.apiKey, o.version, bodyCodec.flexible);
  const w = new Writer(512);
  const sizeAt = w.reserve(4);
  codecFor(RequestHeader, headerVersion).write(w, {
    requestApiKey: o.api.apiKey,
    requestApiVersion: o.version,
    correlationId: o.correlationId,
    clientId: o.clientId ?? null,
  });
  bodyCodec.write(w, o.body);
  w.buf.writeInt32BE(w.offset - 4, sizeAt);
  return w.finish();
}

export interface EncodeResponseOptions<A extends ApiSpec> {
  api: A;
  version: number;
  correlationId: number;
  body: MessageInput<A['response']>;
  /**
   * The buffer to start with, in bytes (default 512). The writer doubles when full, copying what it
   * holds: a broker answering 4 MiB Fetch responses saves that copying by passing the last size.
   */
  initialSize?: number;
}

export function encodeResponseFrame<A extends ApiSpec>(o: EncodeResponseOptions<A>): Buffer {
  const bodyCodec = codecFor(o.api.response, o.version);
  const w = new Writer(Math.max(64, o.initialSize ?? 512));
  const sizeAt = w.reserve(4);
  codecFor(ResponseHeader, responseHeaderVersion(o.api.apiKey, bodyCodec.flexible)).write(w, {
    correlationId: o.correlationId,
  });
  bodyCodec.write(w, o.body);
  w.buf.writeInt32BE(w.offset - 4, sizeAt);
  return w.finish();
}

export interface DecodeOptions {
  recorder?: SpanRecorder;
  /** Whether the bytes start with the int32 size (default true). */
  sizePrefixed?: boolean;
}

export interface DecodedRequestHeader {
  header: RequestHeaderValue;
  headerVersion: number;
  api: ApiSpec;
  /** Offset of the body within the bytes given. */
  bodyOffset: number;
}

function openFrame(bytes: Uint8Array, o: DecodeOptions): Reader {
  const r = new Reader(bytes, { recorder: o.recorder });
  if (o.sizePrefixed === false) return r;
  const size = r.int32();
  o.recorder?.add({
    offset: 0,
    length: 4,
    path: 'size',
    wireType: 'INT32',
    kind: 'length',
    value: size,
    note: 'frame size: bytes after this field',
  });
  if (size < 0) throw new DecodeError(`frame size ${size} is negative`, 0, 'size');
  if (size !== r.remaining)
    throw new DecodeError(
      `frame size ${size} does not match the ${r.remaining} bytes that follow`,
      0,
      'size',
    );
  return r;
}

/**
 * Reads a request header. The key and version decide the header version, so they are peeked first;
 * an unknown key or a version outside the declaration is a DecodeError (a broker closes the connection).
 */
export function decodeRequestHeader(bytes: Uint8Array, o: DecodeOptions = {}): DecodedRequestHeader {
  const r = openFrame(bytes, o);
  return readRequestHeader(r, o.recorder);
}

function readRequestHeader(r: Reader, recorder?: SpanRecorder): DecodedRequestHeader {
  const start = r.offset;
  r.need(4);
  const apiKey = r.buf.readInt16BE(start);
  const apiVersion = r.buf.readInt16BE(start + 2);
  const api = apiByKey(apiKey);
  if (!api) throw new DecodeError(`unknown API key ${apiKey}`, start, 'header.requestApiKey');
  if (!inVersions(apiVersion, api.request.validVersions)) {
    throw new DecodeError(
      `${api.name} has no version ${apiVersion} (valid: ${api.request.validVersions})`,
      start + 2,
      'header.requestApiVersion',
    );
  }
  const headerVersion = requestHeaderVersion(apiKey, apiVersion, isFlexible(api.request, apiVersion));
  recorder?.enter('header');
  try {
    const header = codecFor(RequestHeader, headerVersion).read(r) as RequestHeaderValue;
    if (recorder) renameContainer(recorder, start, `request header v${headerVersion}`);
    return { header, headerVersion, api, bodyOffset: r.offset };
  } catch (err) {
    throw err instanceof DecodeError ? err.within('header') : err;
  } finally {
    recorder?.leave();
  }
}

export interface DecodedRequest<V = any> extends DecodedRequestHeader {
  version: number;
  body: V;
}

/** Decodes a whole request frame: it describes itself, so no API needs to be named. */
export function decodeRequestFrame(bytes: Uint8Array, o: DecodeOptions = {}): DecodedRequest {
  const r = openFrame(bytes, o);
  const h = readRequestHeader(r, o.recorder);
  const version = h.header.requestApiVersion;
  const body = readBody(r, h.api.request, version);
  return { ...h, version, body };
}

export interface DecodedResponse<V = any> {
  header: ResponseHeaderValue;
  headerVersion: number;
  body: V;
}

/** A response does not say what it answers: the caller names the API and version. */
export function decodeResponseFrame<A extends ApiSpec>(
  bytes: Uint8Array,
  api: A,
  version: number,
  o: DecodeOptions = {},
): DecodedResponse<MessageValue<A['response']>> {
  const r = openFrame(bytes, o);
  const bodyCodec = codecFor(api.response, version);
  const headerVersion = responseHeaderVersion(api.apiKey, bodyCodec.flexible);
  const start = r.offset;
  const rec = o.recorder;
  rec?.enter('header');
  let header: ResponseHeaderValue;
  try {
    header = codecFor(ResponseHeader, headerVersion).read(r) as ResponseHeaderValue;
  } catch (err) {
    throw err instanceof DecodeError ? err.within('header') : err;
  } finally {
    rec?.leave();
  }
  const note =
    api.apiKey === 18 && bodyCodec.flexible
      ? 'response header v0: ApiVersions always (KIP-511)'
      : `response header v${headerVersion}`;
  if (rec) renameContainer(rec, start, note);
  const body = readBody(r, api.response, version);
  return { header, headerVersion, body };
}

function readBody(r: Reader, spec: MessageSpec, version: number): any {
  const start = r.offset;
  const body = codecFor(spec, version).read(r);
  if (r.remaining !== 0) {
    throw new DecodeError(`${r.remaining} unexpected bytes after ${spec.name} v${version}`, r.offset);
  }
  if (r.recorder) renameContainer(r.recorder, start, `${spec.name} v${version}`);
  return body;
}

/** Gives the outermost struct span that starts at `offset` a more telling note (header version, body version). */
function renameContainer(recorder: SpanRecorder, offset: number, note: string): void {
  const span = recorder.spans.find(
    (s) => s.kind === 'container' && s.offset === offset && s.wireType === 'STRUCT',
  );
  if (span) span.note = note;
}

/**
 * Cuts a byte stream into frames (size prefix included). Survives any split point; refuses a size
 * that is negative or above the limit, as a broker does, before buffering a single byte of it.
 */
export class FrameSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Settable: a SASL listener accepts small frames until login, then socket.request.max.bytes. */
  maxFrameBytes: number;

  constructor(options: { maxFrameBytes?: number } = {}) {
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  }

  /** Bytes held that do not yet make a whole frame. */
  get buffered(): number {
    return this.pendingBytes;
  }

  push(chunk: Uint8Array): Buffer[] {
    const frames: Buffer[] = [];
    if (chunk.length === 0) return frames;
    this.pending.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    this.pendingBytes += chunk.length;
    while (this.pendingBytes >= 4) {
      const head = this.pending[0].length >= 4 ? this.pending[0] : this.flatten();
      const size = head.readInt32BE(0);
      if (size < 0) throw new DecodeError(`frame size ${size} is negative`, 0, 'size');
      if (size > this.maxFrameBytes) {
        throw new DecodeError(`frame size ${size} is larger than the limit ${this.maxFrameBytes}`, 0, 'size');
      }
      if (this.pendingBytes < size + 4) break;
      const all = this.flatten();
      frames.push(all.subarray(0, size + 4));
      const rest = all.subarray(size + 4);
      this.pending = rest.length > 0 ? [rest] : [];
      this.pendingBytes = rest.length;
    }
    return frames;
  }

  private flatten(): Buffer {
    if (this.pending.length > 1) this.pending = [Buffer.concat(this.pending, this.pendingBytes)];
    return this.pending[0];
  }
}
