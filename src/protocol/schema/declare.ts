/**
 * The declaration language for Kafka messages. A declaration carries what Kafka's message JSON
 * carries (validVersions, flexibleVersions; per field versions, nullableVersions, tag, taggedVersions,
 * default, ignorable) and nothing else; the TypeScript type of every message is inferred from it.
 *
 * Field names are the object keys, in Kafka's names turned camelCase, in wire order.
 */

export type ScalarKind =
  | 'bool'
  | 'int8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'float64'
  | 'string'
  | 'bytes'
  | 'records'
  | 'uuid';

export interface ScalarType<K extends ScalarKind = ScalarKind> {
  readonly kind: K;
}

export interface ArrayType<I extends Type = Type> {
  readonly kind: 'array';
  readonly items: I;
}

export interface StructType<F extends Fields = Fields> {
  readonly kind: 'struct';
  /** Kafka's struct name (`MetadataRequestTopic`), kept for spec sync and explanations. */
  readonly name: string;
  readonly fields: F;
}

export type Type = ScalarType | ArrayType<any> | StructType<any>;

export interface FieldOptions {
  nullableVersions?: string;
  tag?: number;
  taggedVersions?: string;
  /** A JS value of the field's type (bigint for int64); Kafka's default when absent. */
  default?: unknown;
  /** When true, a non-default value at a version that cannot carry the field is dropped silently. */
  ignorable?: boolean;
  /** Per-field override of the message's flexibleVersions (RequestHeader.clientId uses "none"). */
  flexibleVersions?: string;
}

export interface Field<T extends Type = Type, N extends boolean = boolean> extends FieldOptions {
  readonly type: T;
  readonly versions: string;
  /** Type-level marker only: whether some version allows null. */
  readonly __nullable?: N;
}

export type Fields = Record<string, Field<any, any>>;

/** A tagged field this declaration does not know, kept verbatim so that decode → encode loses nothing. */
export interface RawTaggedField {
  tag: number;
  data: Uint8Array;
}

type ScalarValue<K extends ScalarKind> = K extends 'bool'
  ? boolean
  : K extends 'int64'
    ? bigint
    : K extends 'string' | 'uuid'
      ? string
      : K extends 'bytes' | 'records'
        ? Uint8Array
        : number;

export type ValueOf<T> =
  T extends ScalarType<infer K>
    ? ScalarValue<K>
    : T extends ArrayType<infer I>
      ? ValueOf<I>[]
      : T extends StructType<infer F>
        ? StructValue<F>
        : never;

type FieldValue<F> =
  F extends Field<infer T, infer N> ? (N extends true ? ValueOf<T> | null : ValueOf<T>) : never;

export type StructValue<F extends Fields> = { -readonly [K in keyof F]: FieldValue<F[K]> } & {
  _unknownTaggedFields?: RawTaggedField[];
};

/** What callers may pass to an encoder: any field may be left out and takes its default. */
export type StructInput<F extends Fields> = {
  -readonly [K in keyof F]?: F[K] extends Field<infer T, infer N>
    ? N extends true
      ? InputOf<T> | null
      : InputOf<T>
    : never;
} & { _unknownTaggedFields?: RawTaggedField[] };

export type InputOf<T> =
  T extends ScalarType<infer K>
    ? ScalarValue<K>
    : T extends ArrayType<infer I>
      ? InputOf<I>[]
      : T extends StructType<infer F>
        ? StructInput<F>
        : never;

// ---- builders ----------------------------------------------------------------------------------

type Nullable<O> = O extends { nullableVersions: string } ? true : false;

function scalarField<K extends ScalarKind>(kind: K) {
  const type: ScalarType<K> = { kind };
  return <const O extends FieldOptions = {}>(
    versions: string,
    options?: O,
  ): Field<ScalarType<K>, Nullable<O>> =>
    ({ type, versions, ...options }) as Field<ScalarType<K>, Nullable<O>>;
}

/** Field builders, one per Kafka JSON type. */
export const field = {
  bool: scalarField('bool'),
  int8: scalarField('int8'),
  int16: scalarField('int16'),
  uint16: scalarField('uint16'),
  int32: scalarField('int32'),
  uint32: scalarField('uint32'),
  int64: scalarField('int64'),
  float64: scalarField('float64'),
  string: scalarField('string'),
  bytes: scalarField('bytes'),
  records: scalarField('records'),
  uuid: scalarField('uuid'),
  /** `[]T` in Kafka's JSON: `items` is a scalar type (see `types`) or a `struct(...)`. */
  array<I extends Type, const O extends FieldOptions = {}>(
    versions: string,
    items: I,
    options?: O,
  ): Field<ArrayType<I>, Nullable<O>> {
    return { type: { kind: 'array', items }, versions, ...options } as Field<ArrayType<I>, Nullable<O>>;
  },
  /** A single nested struct (Kafka JSON `"type": "SomeStruct"`). */
  struct<S extends StructType<any>, const O extends FieldOptions = {}>(
    versions: string,
    type: S,
    options?: O,
  ): Field<S, Nullable<O>> {
    return { type, versions, ...options } as Field<S, Nullable<O>>;
  },
};

/** Scalar types for arrays of scalars: `field.array('0+', types.int32)`. */
export const types = {
  bool: { kind: 'bool' },
  int8: { kind: 'int8' },
  int16: { kind: 'int16' },
  uint16: { kind: 'uint16' },
  int32: { kind: 'int32' },
  uint32: { kind: 'uint32' },
  int64: { kind: 'int64' },
  float64: { kind: 'float64' },
  string: { kind: 'string' },
  bytes: { kind: 'bytes' },
  uuid: { kind: 'uuid' },
} as const satisfies Record<string, ScalarType>;

export function struct<F extends Fields>(name: string, fields: F): StructType<F> {
  return { kind: 'struct', name, fields };
}

// ---- messages and APIs -------------------------------------------------------------------------

export interface MessageSpec<F extends Fields = Fields> {
  readonly name: string;
  readonly type: 'request' | 'response' | 'header' | 'data';
  readonly apiKey?: number;
  readonly validVersions: string;
  readonly flexibleVersions: string;
  readonly body: StructType<F>;
}

export function message<F extends Fields>(spec: {
  name: string;
  type: MessageSpec['type'];
  apiKey?: number;
  validVersions: string;
  flexibleVersions: string;
  fields: F;
}): MessageSpec<F> {
  const { fields, ...rest } = spec;
  return { ...rest, body: struct(spec.name, fields) };
}

export type MessageValue<M> = M extends MessageSpec<infer F> ? StructValue<F> : never;
export type MessageInput<M> = M extends MessageSpec<infer F> ? StructInput<F> : never;

export interface ApiSpec<
  Req extends MessageSpec<any> = MessageSpec<any>,
  Res extends MessageSpec<any> = MessageSpec<any>,
> {
  readonly apiKey: number;
  /** Kafka's API name without the Request/Response suffix: `Metadata`. */
  readonly name: string;
  readonly request: Req;
  readonly response: Res;
}

interface MessageBody<F extends Fields> {
  validVersions: string;
  flexibleVersions: string;
  fields: F;
}

/** Declares one API key: request and response together, named `${name}Request` / `${name}Response`. */
export function api<ReqF extends Fields, ResF extends Fields>(spec: {
  apiKey: number;
  name: string;
  request: MessageBody<ReqF>;
  response: MessageBody<ResF>;
}): ApiSpec<MessageSpec<ReqF>, MessageSpec<ResF>> {
  const { apiKey, name } = spec;
  return {
    apiKey,
    name,
    request: message({ ...spec.request, name: `${name}Request`, type: 'request', apiKey }),
    response: message({ ...spec.response, name: `${name}Response`, type: 'response', apiKey }),
  };
}
