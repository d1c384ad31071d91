// The log-retention conformance scenario (conformance/scenarios/log-retention.ts) against the emulator
// and a real Kafka 4.1.1, both started with the short retention-check and cleaner intervals it needs
// (RETENTION_BROKER_SETTINGS), through the suite's own runner and known-differences list: both runs
// pass and every checkpoint is equal or listed in conformance/KNOWN-DIFFERENCES.md.
//
// It lives here and not in the suite's default run because the default targets keep Kafka's 5-minute
// retention check (see the scenario's header).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKnownDifferences } from '../../conformance/runner/known-differences.js';
import { renderTable } from '../../conformance/runner/report.js';
import { runSuite } from '../../conformance/runner/run.js';
import type { Target } from '../../conformance/runner/types.js';
import { logRetention, RETENTION_BROKER_SETTINGS } from '../../conformance/scenarios/log-retention.js';
import { BROKER_PROPERTIES, brokerOverrides } from '../../src/emulator/broker-properties.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { ROOT } from '../support/cli.js';
import { type RealKafka, startRealKafka } from '../support/real-kafka.js';

const java = process.env.JAVA ?? (process.env.JAVA_HOME ? `${process.env.JAVA_HOME}/bin/java` : 'java');
const hasJava = spawnSync(java, ['-version'], { stdio: 'ignore', timeout: 30_000 }).status === 0;

let emulator: Emulator | undefined;
let kafka: RealKafka | undefined;

beforeAll(async () => {
  // The emulator takes the settings it acts on; log.initial.task.delay.ms has no counterpart (its
  // first check is one interval after start, see state/log/log-manager.ts).
  const emulatorSettings = Object.entries(RETENTION_BROKER_SETTINGS)
    .filter(([k]) => k in BROKER_PROPERTIES)
    .map(([k, v]) => `${k}=${v}`);
  emulator = await startEmulator({
    port: 0,
    autoCreateTopics: false,
    offsetsTopicNumPartitions: 1,
    ...brokerOverrides(emulatorSettings),
  });
  if (hasJava)
    kafka = await startRealKafka({
      overrides: { 'auto.create.topics.enable': 'false', ...RETENTION_BROKER_SETTINGS },
    });
}, 300_000);

afterAll(async () => {
  await emulator?.stop();
  await kafka?.stop();
}, 60_000);

describe.runIf(hasJava)('log-retention scenario, emulator vs Kafka 4.1.1', () => {
  it('reaches the same end states: log start offsets, low watermarks, the compacted log', async () => {
    const targets: Target[] = [
      {
        name: 'emulator',
        bootstrap: emulator!.bootstrap,
        description: 'kafkalab emulator (retention check 1 s, cleaner backoff 0.5 s)',
        autoCreateOff: true,
      },
      {
        name: 'real',
        bootstrap: kafka!.bootstrap,
        description: 'Apache Kafka 4.1.1 via kafka.sh (retention check 1 s, cleaner backoff 0.5 s)',
        autoCreateOff: true,
      },
    ];
    const result = await runSuite({
      targets,
      scenarios: [logRetention],
      known: loadKnownDifferences(join(ROOT, 'conformance', 'KNOWN-DIFFERENCES.md')),
    });
    const [r] = result.scenarios;
    const failures = Object.values(r.runs)
      .filter((run) => run.status !== 'pass')
      .map((run) => `${run.target}: ${run.error}`);
    expect(failures, renderTable(result)).toEqual([]);
    const unlisted = (r.differences ?? []).filter((d) => !d.known);
    expect(
      unlisted.map(
        (d) => `${d.path}: emulator ${JSON.stringify(d.emulator)} / Kafka ${JSON.stringify(d.real)}`,
      ),
    ).toEqual([]);
    // Kafka's end states pinned (the emulator's equal them through the comparison above).
    const real = (label: string) => r.runs.real?.checkpoints.get(label);
    expect(real('lag-records')).toEqual(['1:k1:b', '2:k1:c', '3:k1:d', '4:k2:z']);
    expect(real('tomb-first-clean')).toEqual(['1:k1:null', '2:k2:b', '3:k3:c']);
    expect(real('tomb-second-clean')).toEqual(['3:k3:c', '4:k2:d', '5:k4:e']);
    expect(real('both-records')).toEqual(['3:k1:v3']);
    expect(r.runs.real?.checkpoints.get('compact-records')).toEqual([
      '3:k3:d',
      '4:k2:null',
      '5:k1:e',
      '6:k4:f',
      '7:k3:g',
    ]);
  }, 600_000);
});
