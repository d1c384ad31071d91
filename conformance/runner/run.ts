/**
 * Runs scenarios against targets with our client, one at a time (targets in turn, so that the
 * exchange observer sees one broker's traffic), then compares each scenario's normalised checkpoints
 * between the emulator and the real broker. A difference is accepted only when KNOWN-DIFFERENCES.md
 * lists it.
 */
import { randomBytes } from 'node:crypto';
import { parseAddress } from '../../src/client/cluster.js';
import { Connection, observeExchanges } from '../../src/client/connection.js';
import { ALL_APIS } from '../../src/protocol/messages/index.js';
import { toKafkaJson } from '../../src/protocol/schema/json.js';
import { RunContext } from './context.js';
import { type Difference, diff } from './diff.js';
import { findKnown, type KnownDifference } from './known-differences.js';
import { normalise, type Plain } from './normalise.js';
import type { RecordedExchange, Scenario, Target, TargetName } from './types.js';

export interface TargetRun {
  target: TargetName;
  status: 'pass' | 'fail';
  error?: string;
  durationMs: number;
  /** Normalised checkpoints, by label. */
  checkpoints: Map<string, Plain>;
  exchanges: RecordedExchange[];
}

export interface ComparedDifference extends Difference {
  known?: KnownDifference;
}

export interface ScenarioResult {
  scenario: Scenario;
  runs: Partial<Record<TargetName, TargetRun>>;
  /** Present when both targets ran and passed. */
  differences?: ComparedDifference[];
}

export interface SuiteResult {
  runId: string;
  targets: Target[];
  scenarios: ScenarioResult[];
  known: KnownDifference[];
  /** Known differences that matched nothing in this run. */
  unusedKnown: KnownDifference[];
  ok: boolean;
  durationMs: number;
}

export interface RunSuiteOptions {
  targets: Target[];
  scenarios: readonly Scenario[];
  known: KnownDifference[];
  /** Called after each scenario on each target (progress output). */
  onRun?(scenario: Scenario, run: TargetRun): void;
  runId?: string;
}

/** Per API key, the highest version that every target serves (from each one's ApiVersions). */
export async function commonVersions(targets: readonly Target[]): Promise<Map<number, number>> {
  const common = new Map<number, number>();
  for (const [i, target] of targets.entries()) {
    const { host, port } = parseAddress(target.bootstrap);
    const conn = new Connection({ host, port, clientId: 'kafkalab-conformance' });
    try {
      await conn.connect();
      for (const api of ALL_APIS) {
        const range = conn.brokerRange(api);
        const max = range?.max ?? -1;
        common.set(api.apiKey, i === 0 ? max : Math.min(common.get(api.apiKey) ?? -1, max));
      }
    } finally {
      await conn.close();
    }
  }
  return common;
}

async function runOne(
  scenario: Scenario,
  target: Target,
  runId: string,
  commonMax: ReadonlyMap<number, number>,
): Promise<TargetRun> {
  const ctx = new RunContext(target, runId, commonMax);
  const exchanges: RecordedExchange[] = [];
  const stop = observeExchanges((e) => {
    if (e.response === undefined && e.error === undefined && e.api.name !== 'Produce') return;
    exchanges.push({
      api: e.api.name,
      version: e.version,
      request: safeJson(() => toKafkaJson(e.api.request, e.version, e.request)),
      response:
        e.response === undefined
          ? undefined
          : safeJson(() => toKafkaJson(e.api.response, e.version, e.response)),
      error: e.error?.message,
    });
  });
  const started = performance.now();
  const timeoutMs = scenario.timeoutMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  let error: string | undefined;
  try {
    await Promise.race([
      scenario.run(ctx),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`scenario timed out after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (err) {
    error = err instanceof Error ? (err.stack ?? err.message) : String(err);
  } finally {
    clearTimeout(timer);
    await ctx.close();
    stop();
  }
  const checkpoints = new Map<string, Plain>();
  for (const c of ctx.checkpoints) {
    const value = normalise(c.value, { runId });
    checkpoints.set(c.label, c.api ? { api: c.api, version: c.version ?? -1, response: value } : value);
  }
  return {
    target: target.name,
    status: error === undefined ? 'pass' : 'fail',
    error,
    durationMs: performance.now() - started,
    checkpoints,
    exchanges,
  };
}

function safeJson(f: () => unknown): unknown {
  try {
    return JSON.parse(JSON.stringify(f(), (_k, v) => (typeof v === 'bigint' ? Number(v) : v)));
  } catch (err) {
    return `(not representable as Kafka JSON: ${(err as Error).message})`;
  }
}

export function compareRuns(
  scenario: Scenario,
  emulator: TargetRun,
  real: TargetRun,
  known: readonly KnownDifference[],
): ComparedDifference[] {
  const labels = new Set([...emulator.checkpoints.keys(), ...real.checkpoints.keys()]);
  const out: ComparedDifference[] = [];
  for (const label of labels) {
    const found = diff(emulator.checkpoints.get(label), real.checkpoints.get(label), label);
    for (const d of found) out.push({ ...d, known: findKnown(known, scenario.name, d) });
  }
  return out;
}

export async function runSuite(options: RunSuiteOptions): Promise<SuiteResult> {
  const runId = options.runId ?? randomBytes(4).toString('hex');
  const started = performance.now();
  const results: ScenarioResult[] = [];
  const commonMax = await commonVersions(options.targets);
  for (const scenario of options.scenarios) {
    const result: ScenarioResult = { scenario, runs: {} };
    for (const target of options.targets) {
      const run = await runOne(scenario, target, runId, commonMax);
      result.runs[target.name] = run;
      options.onRun?.(scenario, run);
    }
    const { emulator, real } = result.runs;
    if (emulator?.status === 'pass' && real?.status === 'pass') {
      result.differences = compareRuns(scenario, emulator, real, options.known);
    }
    results.push(result);
  }
  const used = new Set(
    results.flatMap((r) => (r.differences ?? []).flatMap((d) => (d.known ? [d.known] : []))),
  );
  const bothTargets = options.targets.length === 2;
  const ok = results.every(
    (r) =>
      Object.values(r.runs).every((run) => run.status === 'pass') &&
      (r.differences ?? []).every((d) => d.known),
  );
  return {
    runId,
    targets: options.targets,
    scenarios: results,
    known: options.known,
    unusedKnown: bothTargets ? options.known.filter((k) => !used.has(k)) : [],
    ok,
    durationMs: performance.now() - started,
  };
}

/** pass / fail for a target; for the emulator "differs" when it passed but unlisted differences remain. */
export function cellFor(result: ScenarioResult, target: TargetName): string {
  const run = result.runs[target];
  if (!run) return '—';
  if (run.status === 'fail') return 'fail';
  const unlisted = (result.differences ?? []).filter((d) => !d.known).length;
  if (target === 'emulator' && unlisted > 0) return 'differs';
  return 'pass';
}
