/**
 * Client quotas (KIP-13, KIP-55, KIP-124, KIP-546): what AlterClientQuotas stores and
 * DescribeClientQuotas reads, and the byte-rate / request-time enforcement Produce and Fetch answer
 * with `throttleTimeMs` (KIP-219: the broker answers at once, the client waits that long).
 *
 * Shaped after Kafka: the store and its validation after ClientQuotaControlManager and
 * ClientQuotasImage.describe; the enforcement after ClientQuotaManager — the quota that applies to a
 * (user, client-id) pair by KIP-55's precedence, a rate sensor per the pair's metric tags, and
 * QuotaUtils.throttleTime: X = (O − T) / T × W for an observed rate O over window W and quota T.
 * The rate is Kafka's Rate over a WindowedSum: quota.window.num (11) samples of
 * quota.window.size.seconds (1 s), the window never counted as shorter than 10 whole samples.
 *
 * Not emulated: muting the connection for the throttle time (the client is trusted to wait, as
 * KIP-219 clients do), `ip` quotas' connection_creation_rate enforcement, controller_mutation_rate
 * enforcement (stored and described only).
 */

import type { Cluster } from '../cluster.js';

export const USER = 'user';
export const CLIENT_ID = 'client-id';
export const IP = 'ip';

/** The keys an entity can carry, by its kind (QuotaConfig.userAndClientQuotaConfigs / ipConfigs). */
const USER_CLIENT_KEYS: Record<string, 'LONG' | 'DOUBLE' | 'INT'> = {
  producer_byte_rate: 'LONG',
  consumer_byte_rate: 'LONG',
  request_percentage: 'DOUBLE',
  controller_mutation_rate: 'DOUBLE',
};
const IP_KEYS: Record<string, 'LONG' | 'DOUBLE' | 'INT'> = { connection_creation_rate: 'INT' };

const INVALID_REQUEST = 42;
const UNSUPPORTED_VERSION = 35;

/** entity type → name (null: the default entity of that type). */
export type QuotaEntity = ReadonlyMap<string, string | null>;

export interface EntityData {
  entityType: string;
  entityName: string | null;
}

export interface AlterOp {
  key: string;
  value: number;
  remove: boolean;
}

export interface AlterResult {
  errorCode: number;
  errorMessage: string | null;
  entity: EntityData[];
}

export interface DescribeResult {
  errorCode: number;
  errorMessage: string | null;
  entries: { entity: EntityData[]; values: { key: string; value: number }[] }[] | null;
}

/** One Rate metric over a WindowedSum, as org.apache.kafka.common.metrics does it. */
export class RateSensor {
  private readonly samples: { start: number; last: number; value: number }[] = [];
  private current = 0;

  constructor(
    private readonly numSamples = 11,
    private readonly windowMs = 1000,
  ) {}

  record(value: number, now: number): void {
    let s = this.currentSample(now);
    if (now - s.start >= this.windowMs) s = this.advance(now);
    s.value += value;
    s.last = now;
  }

  /** The rate per second. */
  measure(now: number): number {
    this.purge(now);
    const sum = this.samples.reduce((a, s) => a + s.value, 0);
    return sum / (this.windowSize(now) / 1000);
  }

  /** Milliseconds the rate is averaged over (Rate.windowSize). */
  windowSize(now: number): number {
    this.purge(now);
    let elapsed = now - Math.min(...this.samples.map((s) => s.start), now);
    const full = Math.floor(elapsed / this.windowMs);
    const minFull = this.numSamples - 1;
    if (full < minFull) elapsed += (minFull - full) * this.windowMs;
    return Math.max(elapsed, 1);
  }

  private currentSample(now: number) {
    if (this.samples.length === 0) this.samples.push({ start: now, last: now, value: 0 });
    return this.samples[this.current];
  }

  private advance(now: number) {
    // One more sample than the window holds: the one overlapping the window's start.
    this.current = (this.current + 1) % (this.numSamples + 1);
    if (this.current >= this.samples.length) this.samples.push({ start: now, last: now, value: 0 });
    const s = this.samples[this.current];
    s.start = now;
    s.last = now;
    s.value = 0;
    return s;
  }

  private purge(now: number): void {
    const expireAge = this.numSamples * this.windowMs;
    for (const s of this.samples) {
      if (now - s.last >= expireAge) {
        s.start = now;
        s.last = now;
        s.value = 0;
      }
    }
  }
}

const entityKey = (e: QuotaEntity) =>
  [...e]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([t, n]) => `${t}=${n === null ? '\u0000' : n}`)
    .join(';');

export type QuotaKind = 'producer_byte_rate' | 'consumer_byte_rate' | 'request_percentage';

export class ClientQuotas {
  private readonly entries = new Map<
    string,
    { entity: Map<string, string | null>; values: Map<string, number> }
  >();
  private readonly sensors = new Map<string, RateSensor>();

  /** AlterClientQuotas: every entry validated and, unless validateOnly, applied; one result per entry. */
  alter(
    entries: readonly { entity: readonly EntityData[]; ops: readonly AlterOp[] }[],
    validateOnly: boolean,
  ): AlterResult[] {
    // Kafka's order is its result HashMap's (not modelled: compare as a set).
    return this.alterEach(entries, validateOnly);
  }

  private alterEach(
    entries: readonly { entity: readonly EntityData[]; ops: readonly AlterOp[] }[],
    validateOnly: boolean,
  ): AlterResult[] {
    const seen = new Set<string>();
    return entries.map((entry) => {
      const result = (errorCode: number, errorMessage: string | null): AlterResult => ({
        errorCode,
        errorMessage,
        entity: entry.entity.map((e) => ({ entityType: e.entityType, entityName: e.entityName })),
      });
      const entity = new Map<string, string | null>();
      for (const e of entry.entity) {
        if (entity.has(e.entityType))
          return result(
            INVALID_REQUEST,
            `Invalid client quota entity, duplicate entity entry ${e.entityType}`,
          );
        if (![USER, CLIENT_ID, IP].includes(e.entityType))
          return result(INVALID_REQUEST, `Unhandled client quota entity type: ${e.entityType}`);
        if (e.entityName === '') return result(INVALID_REQUEST, `Empty ${e.entityType} not supported`);
        entity.set(e.entityType, e.entityName);
      }
      if (entity.size === 0) return result(INVALID_REQUEST, 'Invalid empty client quota entity');
      const key = entityKey(entity);
      if (seen.has(key))
        return result(INVALID_REQUEST, `Ignoring duplicate entity ${describeEntity(entity)}`);
      seen.add(key);
      let keys: Record<string, string>;
      if (entity.has(IP)) {
        if (entity.has(USER) || entity.has(CLIENT_ID))
          return result(
            INVALID_REQUEST,
            'Invalid quota entity combination, IP entity shouldnot be combined with User or ClientId',
          );
        keys = IP_KEYS;
      } else keys = USER_CLIENT_KEYS;
      const changes = new Map<string, number | null>();
      for (const op of entry.ops) {
        // Kafka first records "Duplicate quota key ...", then replaces it with the duplicate-entity
        // error because the entity already has a result: the latter is what clients see.
        if (changes.has(op.key))
          return result(INVALID_REQUEST, `Ignoring duplicate entity ${describeEntity(entity)}`);
        changes.set(op.key, op.remove ? null : op.value);
      }
      for (const [k, v] of changes) {
        if (v === null) continue;
        const type = keys[k];
        if (!type) return result(INVALID_REQUEST, `Invalid configuration key ${k}`);
        if (v <= 0) return result(INVALID_REQUEST, `Quota ${k} must be greater than 0`);
        if (type === 'INT' && v > 2 ** 31 - 1)
          return result(INVALID_REQUEST, `Proposed value for ${k} is too large for an INT.`);
        if (type !== 'DOUBLE' && Math.abs(v % 1) > 1e-6)
          return result(INVALID_REQUEST, `${k} cannot be a fractional value.`);
      }
      if (!validateOnly) {
        const stored = this.entries.get(key) ?? { entity, values: new Map<string, number>() };
        for (const [k, v] of changes) {
          if (v === null) stored.values.delete(k);
          else stored.values.set(k, v);
        }
        if (stored.values.size === 0) this.entries.delete(key);
        else this.entries.set(key, stored);
      }
      return result(0, null);
    });
  }

  /** DescribeClientQuotas: the entities matching every filter component (exact, default, any). */
  describe(
    components: readonly { entityType: string; matchType: number; match: string | null }[],
    strict: boolean,
  ): DescribeResult {
    const fail = (errorCode: number, errorMessage: string): DescribeResult => ({
      errorCode,
      errorMessage,
      entries: null,
    });
    const exact = new Map<string, string | null>();
    const any = new Set<string>();
    for (const c of components) {
      if (c.entityType === '') return fail(INVALID_REQUEST, 'Invalid empty entity type.');
      if (exact.has(c.entityType) || any.has(c.entityType))
        return fail(
          INVALID_REQUEST,
          `Entity type ${c.entityType} cannot appear more than once in the filter.`,
        );
      if (![USER, CLIENT_ID, IP].includes(c.entityType))
        return fail(UNSUPPORTED_VERSION, `Unsupported entity type ${c.entityType}`);
      if (c.matchType === 0) {
        if (c.match === null)
          return fail(INVALID_REQUEST, 'Request specified MATCH_TYPE_EXACT, but set match string to null.');
        exact.set(c.entityType, c.match);
      } else if (c.matchType === 1) {
        if (c.match !== null)
          return fail(
            INVALID_REQUEST,
            'Request specified MATCH_TYPE_DEFAULT, but also specified a match string.',
          );
        exact.set(c.entityType, null);
      } else if (c.matchType === 2) {
        if (c.match !== null)
          return fail(
            INVALID_REQUEST,
            'Request specified MATCH_TYPE_SPECIFIED, but also specified a match string.',
          );
        any.add(c.entityType);
      } else return fail(INVALID_REQUEST, `Unknown match type ${c.matchType}`);
    }
    const has = (t: string) => exact.has(t) || any.has(t);
    if (has(IP) && (has(USER) || has(CLIENT_ID)))
      return fail(
        INVALID_REQUEST,
        'Invalid entity filter component combination. IP filter component should not be used with user or clientId filter component.',
      );
    const entries: NonNullable<DescribeResult['entries']> = [];
    for (const { entity, values } of [...this.entries.values()].sort((a, b) =>
      entityKey(a.entity) < entityKey(b.entity) ? -1 : 1,
    )) {
      if (strict && entity.size !== exact.size + any.size) continue;
      if ([...exact].some(([t, n]) => !entity.has(t) || entity.get(t) !== n)) continue;
      if ([...any].some((t) => !entity.has(t))) continue;
      entries.push({
        entity: [...entity].map(([entityType, entityName]) => ({ entityType, entityName })),
        values: [...values].map(([key, value]) => ({ key, value })),
      });
    }
    return { errorCode: 0, errorMessage: null, entries };
  }

  /** Nothing runs in the background: the cluster's stop needs nothing from the quotas. */
  stop(): void {}

  /** Whether any entity sets this quota (enforcement costs nothing until one does). */
  has(kind: QuotaKind): boolean {
    for (const e of this.entries.values()) if (e.values.has(kind)) return true;
    return false;
  }

  /**
   * Records `value` (bytes, or request-handler time as a percentage of a second) for the pair and
   * answers the throttle time in ms — 0 within quota. `maxThrottleMs` caps it (request time quotas
   * are capped at one quota window, as ClientRequestQuotaManager does).
   */
  recordAndThrottle(
    kind: QuotaKind,
    user: string,
    clientId: string,
    value: number,
    now: number,
    maxThrottleMs = Infinity,
  ): number {
    if (!this.has(kind)) return 0;
    const [userTag, clientTag] = this.metricTags(kind, user, clientId);
    const bound = this.quotaLimit(kind, userTag, clientTag);
    const sensorKey = `${kind}|${userTag}|${clientTag}`;
    let sensor = this.sensors.get(sensorKey);
    if (!sensor) {
      sensor = new RateSensor();
      this.sensors.set(sensorKey, sensor);
    }
    sensor.record(value, now);
    if (bound === undefined) return 0;
    const observed = sensor.measure(now);
    if (observed <= bound) return 0;
    return Math.min(Math.round(((observed - bound) / bound) * sensor.windowSize(now)), maxThrottleMs);
  }

  /** Takes back a recorded value (a throttled fetch sends no data, so its bytes do not count). */
  unrecord(kind: QuotaKind, user: string, clientId: string, value: number, now: number): void {
    const [userTag, clientTag] = this.metricTags(kind, user, clientId);
    this.sensors.get(`${kind}|${userTag}|${clientTag}`)?.record(-value, now);
  }

  private quota(
    kind: QuotaKind,
    user: string | null | undefined,
    clientId: string | null | undefined,
  ): number | undefined {
    const entity = new Map<string, string | null>();
    if (user !== undefined) entity.set(USER, user);
    if (clientId !== undefined) entity.set(CLIENT_ID, clientId);
    return this.entries.get(entityKey(entity))?.values.get(kind);
  }

  /** The quota for a sensor's tags by KIP-55's precedence (DefaultQuotaCallback.quotaLimit). */
  private quotaLimit(kind: QuotaKind, user: string, clientId: string): number | undefined {
    if (user !== '' && clientId !== '')
      return (
        this.quota(kind, user, clientId) ??
        this.quota(kind, user, null) ??
        this.quota(kind, null, clientId) ??
        this.quota(kind, null, null)
      );
    if (user !== '') return this.quota(kind, user, undefined) ?? this.quota(kind, null, undefined);
    if (clientId !== '') return this.quota(kind, undefined, clientId) ?? this.quota(kind, undefined, null);
    return undefined;
  }

  /** Which (user, client-id) tags a pair's sensor carries: who shares one rate (quotaMetricTags). */
  private metricTags(kind: QuotaKind, user: string, clientId: string): [string, string] {
    let clientOnly = false;
    let userOnly = false;
    let both = false;
    for (const { entity, values } of this.entries.values()) {
      if (!values.has(kind)) continue;
      if (entity.has(USER) && entity.has(CLIENT_ID)) both = true;
      else if (entity.has(USER)) userOnly = true;
      else if (entity.has(CLIENT_ID)) clientOnly = true;
    }
    const kinds = [clientOnly, userOnly, both].filter(Boolean).length;
    if (kinds <= 1) {
      if (userOnly) return [user, ''];
      if (both) return [user, clientId];
      return ['', clientId];
    }
    if (this.quota(kind, user, clientId) !== undefined || this.quota(kind, user, null) !== undefined)
      return [user, clientId];
    if (this.quota(kind, user, undefined) !== undefined) return [user, ''];
    if (this.quota(kind, null, clientId) !== undefined || this.quota(kind, null, null) !== undefined)
      return [user, clientId];
    if (this.quota(kind, null, undefined) !== undefined) return [user, ''];
    return ['', clientId];
  }
}

/** ClientQuotaEntity.toString, for Kafka's messages: ClientQuotaEntity(entries={user=alice}). */
function describeEntity(entity: ReadonlyMap<string, string | null>): string {
  return `ClientQuotaEntity(entries={${[...entity].map(([t, n]) => `${t}=${n}`).join(', ')}})`;
}

/** The cluster's quota store (the 'quotas' domain). */
export function quotasOf(cluster: Cluster): ClientQuotas {
  return cluster.domain('quotas', () => new ClientQuotas());
}
