/**
 * The conformance suite (conformance/scenarios/) against both targets: the emulator in-process and
 * one real Apache Kafka 4.1.1 broker (kafka.sh, auto.create.topics.enable=false) for the whole file,
 * stopped in afterAll whatever happened. Each scenario must pass on both targets, and every
 * difference between their normalised answers must be listed in conformance/KNOWN-DIFFERENCES.md.
 * (REPORT.md is written by `npm run conformance`, not by this test.)
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKnownDifferences } from '../../conformance/runner/known-differences.js';
import { renderTable } from '../../conformance/runner/report.js';
import { runSuite, type SuiteResult } from '../../conformance/runner/run.js';
import {
  type StartedTarget,
  startEmulatorTarget,
  startRealTarget,
} from '../../conformance/runner/targets.js';
import { SCENARIOS } from '../../conformance/scenarios/index.js';

const started: StartedTarget[] = [];
let result: SuiteResult | undefined;

beforeAll(async () => {
  try {
    started.push(await startEmulatorTarget());
    started.push(await startRealTarget());
    result = await runSuite({
      targets: started.map((s) => s.target),
      scenarios: SCENARIOS,
      known: loadKnownDifferences(join(import.meta.dirname, '../../conformance/KNOWN-DIFFERENCES.md')),
    });
    console.log(renderTable(result));
  } finally {
    // The broker is not needed once the suite ran; stop it now rather than after the assertions.
    for (const s of started.splice(0).reverse()) await s.stop();
  }
}, 600_000); // a bare machine first downloads the Kafka jars (bounded inside); here the run takes ~1 min

afterAll(async () => {
  for (const s of started.splice(0).reverse()) await s.stop();
}, 90_000);

describe('conformance: emulator and Apache Kafka 4.1.1 with the kafkalab client', () => {
  for (const scenario of SCENARIOS) {
    it(`${scenario.name} (${scenario.source})`, () => {
      const r = result!.scenarios.find((s) => s.scenario.name === scenario.name)!;
      for (const target of ['emulator', 'real'] as const) {
        const run = r.runs[target]!;
        expect(run.error ?? 'passed', `${scenario.name} on ${target}`).toBe('passed');
        expect(run.checkpoints.size, `${target} checkpoints recorded`).toBeGreaterThan(0);
      }
      const unlisted = (r.differences ?? [])
        .filter((d) => !d.known)
        .map((d) => `${d.path}: emulator ${JSON.stringify(d.emulator)}, real ${JSON.stringify(d.real)}`);
      expect(unlisted, 'differences not in KNOWN-DIFFERENCES.md').toEqual([]);
    });
  }
});
