/**
 * Hooks for tests and learners: observe every exchange, intercept, delay or drop a request by API key,
 * and inject an error code once or for good — so a test can step through frames or stage a failure
 * without a real network fault. Rules apply in the order they were added; each returns a remover.
 */
import type { RequestHeaderValue } from '../protocol/headers.js';
import type { ApiSpec } from '../protocol/schema/declare.js';
import type { ConnectionInfo } from './handler.js';
import type { GroupTransition } from './state/group-classic/types.js';
import type { ConsumerGroupTransition } from './state/group-consumer/types.js';
import type { TxnTransition } from './state/transactions/types.js';

/**
 * A coordinator's state change, as the trace prints it: a classic group's state (Empty,
 * PreparingRebalance, ...), a KIP-848 member's epoch and assignment, a transaction's state with the
 * markers that ended it. Given to `observeState` listeners as it happens, among the exchanges.
 */
export type StateChange =
  | { kind: 'group'; change: GroupTransition }
  | { kind: 'consumer-group'; change: ConsumerGroupTransition }
  | { kind: 'transaction'; change: TxnTransition };

/** A request as it reaches the emulator, before any handler runs. */
export interface RequestEvent {
  readonly connection: ConnectionInfo;
  readonly api: ApiSpec;
  readonly version: number;
  readonly header: RequestHeaderValue;
  /** Decoded body. */
  readonly request: any;
  /** The whole frame, size prefix included. */
  readonly raw: Buffer;
}

/** One finished exchange. `response` is absent when none was sent (acks=0, drop, close). */
export interface Exchange extends RequestEvent {
  readonly response?: { readonly body: any; readonly raw: Buffer };
  /**
   * Version of the response body when it differs from the request's: a too-new ApiVersions request
   * is answered with a v0 body (KIP-511).
   */
  readonly responseVersion?: number;
  /** What happened instead of (or besides) a normal response. */
  readonly outcome: 'response' | 'no-response' | 'closed';
  /** Every non-zero errorCode found in the response body. */
  readonly errorCodes: readonly number[];
  readonly receivedAt: number;
  readonly latencyMs: number;
}

/**
 * What an interceptor decides: go on (undefined), answer with this body instead, swallow, or close.
 * `version` writes the body at another version than the request's — as a broker answers a too-new
 * ApiVersions request in the v0 form (KIP-511).
 */
export type InterceptDecision = undefined | { respond: any; version?: number } | 'drop' | 'close';

export type ApiSelector = number | '*';

export interface RuleOptions {
  /** How many requests the rule applies to (default: 1 for injectError, Infinity for the others). */
  times?: number;
}

export interface Removable {
  remove(): void;
}

type Action =
  | { kind: 'intercept'; fn: (e: RequestEvent) => InterceptDecision | Promise<InterceptDecision> }
  | { kind: 'delay'; ms: number }
  | { kind: 'drop'; close: boolean }
  | { kind: 'error'; errorCode: number };

interface Rule {
  apiKey: ApiSelector;
  remaining: number;
  action: Action;
}

/** What the server does with a request after the rules ran. */
export interface Plan {
  delayMs: number;
  /** 'drop' sends nothing, 'close' closes the connection; a body is sent as the response. */
  override?: { respond: any; version?: number } | 'drop' | 'close';
  injectErrorCode?: number;
}

export class Hooks {
  private rules: Rule[] = [];
  /**
   * Replaced, never mutated, on observe/remove: notify() iterates the array it read, so an observer
   * that removes itself (or adds another) mid-notify changes only the next exchange's list — without
   * copying the set for every exchange, which the inspector's 10,000 a second would pay for.
   */
  private observers: readonly { apiKey: ApiSelector; fn: (e: Exchange) => void }[] = [];

  private add(apiKey: ApiSelector, action: Action, times: number): Removable {
    const rule: Rule = { apiKey, remaining: times, action };
    this.rules.push(rule);
    return {
      remove: () => {
        this.rules = this.rules.filter((r) => r !== rule);
      },
    };
  }

  /** Called with every finished exchange of that API (or '*' for all). */
  observe(apiKey: ApiSelector, fn: (e: Exchange) => void): Removable {
    const o = { apiKey, fn };
    this.observers = [...this.observers, o];
    return {
      remove: () => {
        this.observers = this.observers.filter((x) => x !== o);
      },
    };
  }

  /** Called before the handler: may replace the response, swallow the request, or close the connection. */
  intercept(
    apiKey: ApiSelector,
    fn: (e: RequestEvent) => InterceptDecision | Promise<InterceptDecision>,
    options: RuleOptions = {},
  ): Removable {
    return this.add(apiKey, { kind: 'intercept', fn }, options.times ?? Number.POSITIVE_INFINITY);
  }

  /** Holds the request `ms` milliseconds before handling it (the connection waits too, as in Kafka). */
  delay(apiKey: ApiSelector, ms: number, options: RuleOptions = {}): Removable {
    return this.add(apiKey, { kind: 'delay', ms }, options.times ?? Number.POSITIVE_INFINITY);
  }

  /** Never answers the request (the client times out) or, with close, closes the connection instead. */
  drop(apiKey: ApiSelector, options: RuleOptions & { close?: boolean } = {}): Removable {
    return this.add(
      apiKey,
      { kind: 'drop', close: options.close ?? false },
      options.times ?? Number.POSITIVE_INFINITY,
    );
  }

  /** Answers with `errorCode` (every errorCode of the response) instead of the real outcome; once by default. */
  injectError(apiKey: ApiSelector, errorCode: number, options: RuleOptions = {}): Removable {
    return this.add(apiKey, { kind: 'error', errorCode }, options.times ?? 1);
  }

  /** Removes every rule and observer. */
  clear(): void {
    this.rules = [];
    this.observers = [];
  }

  get active(): boolean {
    return this.rules.length > 0;
  }

  /** Runs the rules that match this request and consumes their counts. */
  async plan(e: RequestEvent): Promise<Plan> {
    const plan: Plan = { delayMs: 0 };
    for (const rule of [...this.rules]) {
      if (rule.apiKey !== '*' && rule.apiKey !== e.api.apiKey) continue;
      if (rule.remaining <= 0) continue;
      const a = rule.action;
      if (a.kind === 'intercept') {
        const d = await a.fn(e);
        if (d === undefined) continue;
        plan.override = d;
      } else if (a.kind === 'delay') {
        plan.delayMs += a.ms;
      } else if (a.kind === 'drop') {
        plan.override = a.close ? 'close' : 'drop';
      } else if (plan.injectErrorCode === undefined) {
        plan.injectErrorCode = a.errorCode;
      } else {
        continue;
      }
      rule.remaining--;
      if (rule.remaining <= 0) this.rules = this.rules.filter((r) => r !== rule);
      if (plan.override) break;
    }
    return plan;
  }

  get observing(): boolean {
    return this.observers.length > 0;
  }

  private stateObservers: readonly ((c: StateChange) => void)[] = [];

  /** Called with every coordinator state change (groups, KIP-848 members, transactions). */
  observeState(fn: (c: StateChange) => void): Removable {
    this.stateObservers = [...this.stateObservers, fn];
    return {
      remove: () => {
        this.stateObservers = this.stateObservers.filter((x) => x !== fn);
      },
    };
  }

  notifyState(c: StateChange): void {
    for (const fn of this.stateObservers) fn(c);
  }

  notify(e: Exchange): void {
    for (const o of this.observers) {
      if (o.apiKey === '*' || o.apiKey === e.api.apiKey) o.fn(e);
    }
  }
}

/** Every non-zero `errorCode` in a response body, depth first (for traces and exchanges). */
export function collectErrorCodes(body: unknown, out: number[] = [], depth = 0): number[] {
  if (depth > 16 || body === null || typeof body !== 'object') return out;
  if (Array.isArray(body)) {
    for (const item of body) collectErrorCodes(item, out, depth + 1);
    return out;
  }
  if (body instanceof Uint8Array) return out;
  // for…in over own data properties (decoded bodies are plain objects): no entries array per object.
  const o = body as Record<string, unknown>;
  for (const k in o) {
    const v = o[k];
    if (k === 'errorCode' && typeof v === 'number') {
      if (v !== 0) out.push(v);
    } else if (typeof v === 'object') {
      collectErrorCodes(v, out, depth + 1);
    }
  }
  return out;
}

/** Sets every `errorCode` in a response body (an injected error when the handler has no errorResponse). */
export function overwriteErrorCodes(body: unknown, errorCode: number, depth = 0): void {
  if (depth > 16 || body === null || typeof body !== 'object' || body instanceof Uint8Array) return;
  if (Array.isArray(body)) {
    for (const item of body) overwriteErrorCodes(item, errorCode, depth + 1);
    return;
  }
  const o = body as Record<string, unknown>;
  for (const [k, v] of Object.entries(o)) {
    if (k === 'errorCode' && typeof v === 'number') o[k] = errorCode;
    else if (typeof v === 'object') overwriteErrorCodes(v, errorCode, depth + 1);
  }
}
