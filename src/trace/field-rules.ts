/**
 * Why a field is on the wire the way it is, read from its declaration (src/protocol/messages): the
 * versions that carry it, whether this version is flexible (compact lengths, a tag buffer per
 * struct), nullable, or tagged. The inspector shows this beside a field's wire type and the listing's
 * note, so a learner can tell a COMPACT_NULLABLE_STRING from a STRING by the rule, not by guessing.
 * Only the declaration is read; nothing here decodes bytes.
 */
import {
  RequestHeader,
  ResponseHeader,
  requestHeaderVersion,
  responseHeaderVersion,
} from '../protocol/headers.js';
import type { ApiSpec, Field, Fields, MessageSpec, Type } from '../protocol/schema/declare.js';
import { inVersions } from '../protocol/schema/versions.js';

export interface RuleContext {
  api: ApiSpec;
  direction: 'request' | 'response';
  version: number;
}

/** One field's rule as a short sentence, or undefined where no declared field owns the path. */
export function fieldRule(ctx: RuleContext, path: string, wireType: string): string | undefined {
  const body = ctx.direction === 'request' ? ctx.api.request : ctx.api.response;
  const bodyFlexible = inVersions(ctx.version, body.flexibleVersions);
  let spec: MessageSpec = body;
  let version = ctx.version;
  let rest = path;
  if (path === 'size') return 'every frame starts with its INT32 size';
  if (path === 'header' || path.startsWith('header.')) {
    spec = ctx.direction === 'request' ? RequestHeader : ResponseHeader;
    version =
      ctx.direction === 'request'
        ? requestHeaderVersion(ctx.api.apiKey, ctx.version, bodyFlexible)
        : responseHeaderVersion(ctx.api.apiKey, bodyFlexible);
    rest = path === 'header' ? '' : path.slice('header.'.length);
  }
  const flexible = inVersions(version, spec.flexibleVersions);
  const where = `${spec.name} v${version}`;
  // <count>, <length> and <tags> name the prefix of the field before them.
  const segments = rest
    .replace(/\[\d+\]/g, '')
    .split('.')
    .filter((s) => s !== '');
  const last = segments[segments.length - 1];
  const prefix = last?.startsWith('<') ? segments.pop() : undefined;
  if (wireType === 'TAG_BUFFER' || prefix === '<tags>')
    return `${where} is flexible (flexibleVersions ${spec.flexibleVersions}): every struct ends with a tag buffer`;
  if (segments.length === 0) {
    if (path === 'header') return `${where}: ${headerWhy(ctx, version)}`;
    return `${where}: validVersions ${spec.validVersions}, flexibleVersions ${spec.flexibleVersions}`;
  }
  const field = resolve(spec.body.fields, segments);
  if (!field) return recordsRule(segments, wireType);
  const parts = [`in v${field.versions}`];
  const fieldFlexible = field.flexibleVersions ? inVersions(version, field.flexibleVersions) : flexible;
  if (field.tag !== undefined)
    parts.push(
      `tagged field ${field.tag} (taggedVersions ${field.taggedVersions ?? '?'}): sent only when set`,
    );
  if (field.nullableVersions !== undefined)
    parts.push(
      inVersions(version, field.nullableVersions)
        ? `nullable (nullableVersions ${field.nullableVersions})`
        : `not nullable at v${version} (nullableVersions ${field.nullableVersions})`,
    );
  if (field.flexibleVersions === 'none' && flexible)
    parts.push('keeps its classic encoding even in a flexible version');
  else if (isLengthPrefixed(field.type))
    parts.push(
      fieldFlexible
        ? `flexible v${version} (${spec.flexibleVersions}): compact length, an UNSIGNED_VARINT of length + 1`
        : `not flexible at v${version}: classic ${field.type.kind === 'array' ? 'INT32 count' : 'INT16/INT32 length'}`,
    );
  if (field.ignorable) parts.push('ignorable');
  return `${where}: ${parts.join('; ')}`;
}

function headerWhy(ctx: RuleContext, version: number): string {
  if (ctx.direction === 'request')
    return version === 2
      ? 'header v2 because the body version is flexible'
      : version === 0
        ? 'header v0: ControlledShutdown v0 predates client ids'
        : 'header v1 because the body version is not flexible';
  if (ctx.api.apiKey === 18) return 'header v0: an ApiVersions response always uses header v0 (KIP-511)';
  return version === 1
    ? 'header v1 because the body version is flexible'
    : 'header v0 because the body version is not flexible';
}

/** The declared field at a path of field names (array indices already removed). */
function resolve(fields: Fields, segments: string[]): Field | undefined {
  let current: Fields | undefined = fields;
  let found: Field | undefined;
  for (const name of segments) {
    if (!current || !Object.hasOwn(current, name)) return undefined;
    found = current[name];
    current = structFields(found.type);
  }
  return found;
}

function structFields(t: Type): Fields | undefined {
  if (t.kind === 'struct') return t.fields;
  if (t.kind === 'array') return structFields(t.items);
  return undefined;
}

function isLengthPrefixed(t: Type): boolean {
  return t.kind === 'array' || t.kind === 'string' || t.kind === 'bytes' || t.kind === 'records';
}

/** Inside a `records` field: the record batch format (magic 2) is written by hand, not declared. */
function recordsRule(segments: string[], wireType: string): string | undefined {
  const at = segments.indexOf('batches');
  if (at < 0) return undefined;
  const inRecord = segments.indexOf('records', at) > at;
  if (inRecord)
    return /VARINT|VARLONG/.test(wireType)
      ? 'record (batch magic 2): zig-zag varint fields, lengths -1 = null'
      : 'record (batch magic 2)';
  return 'record batch header (magic 2, KIP-98): fixed 61 bytes, CRC-32C over attributes..end';
}
