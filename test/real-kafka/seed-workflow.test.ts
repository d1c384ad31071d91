/**
 * The seed's workflow with Apache Kafka 4.1.1's own tools (from Maven Central, see
 * conformance/real-kafka/), against a real broker and against the kafkalab emulator.
 * The workflow itself, `seedWorkflowWithKafkaTools(bootstrap)`, is exported by seed-workflow.ts (not
 * from here: test files export nothing), so other suites can run it against any bootstrap address.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { kafkaToolsEnv } from '../support/kafka-tools.js';
import { type RealKafka, residentMemoryBytes, startRealKafka } from '../support/real-kafka.js';
import { type SeedWorkflowResult, seedWorkflowWithKafkaTools } from './seed-workflow.js';

// Measurements, printed so that CI logs keep them.
function report(target: string, result: SeedWorkflowResult, extra: Record<string, string> = {}): void {
  const steps = result.steps.map((s) => `${s.step} ${Math.round(s.durationMs)} ms`).join(', ');
  const more = Object.entries(extra)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  console.log(
    `[seed workflow → ${target}] total ${Math.round(result.totalMs)} ms; ${steps}${more ? `; ${more}` : ''}`,
  );
}

const mib = (bytes: number | undefined) =>
  bytes === undefined ? 'n/a' : `${(bytes / 2 ** 20).toFixed(0)} MiB`;

describe('seed workflow with Kafka tools → a real Apache Kafka broker', () => {
  let kafka: RealKafka | undefined;

  beforeAll(async () => {
    kafka = await startRealKafka();
  }, 1_200_000); // a bare machine first downloads the jars (bounded inside at 15 min)

  afterAll(async () => {
    await kafka?.stop();
  }, 90_000);

  it('creates, describes, produces, consumes in group g, and shows lag 0', async () => {
    const broker = kafka!;
    const rssBefore = await residentMemoryBytes(broker.pid);
    const result = await seedWorkflowWithKafkaTools(broker.bootstrap, { nodeId: broker.nodeId });
    const rssAfter = await residentMemoryBytes(broker.pid);
    report('real Kafka', result, {
      'broker start': `${Math.round(broker.startMs)} ms`,
      'jar fetch': `${Math.round(broker.fetchMs)} ms`,
      'broker RSS at start': mib(rssBefore),
      'after workflow': mib(rssAfter),
    });
    // The workflow throws on any deviation; this states its outcome: every record read once, from both partitions.
    expect([...result.consumedPerPartition.values()].reduce((a, b) => a + b, 0)).toBe(10);
    expect(result.consumedPerPartition.size).toBe(2);
  }, 300_000);
});

// Against the emulator (src/emulator, still being built by others). When a step fails, the
// SeedWorkflowStepError names it and shows the tool's whole output.
describe('seed workflow with Kafka tools → the kafkalab emulator, startEmulator({ port: 0 })', () => {
  let emulator: Emulator | undefined;

  beforeAll(async () => {
    await kafkaToolsEnv(); // fetch the jars outside the test's own time bound
    emulator = await startEmulator({ port: 0 });
  }, 1_200_000);

  afterAll(async () => {
    await emulator?.stop();
  }, 30_000);

  it('creates, describes, produces, consumes in group g, and shows lag 0', async () => {
    const target = emulator!;
    const result = await seedWorkflowWithKafkaTools(target.bootstrap, {
      nodeId: target.nodeId,
      toolTimeoutMs: 45_000,
    });
    report('emulator', result);
    expect(result.consumedPerPartition.size).toBe(2);
  }, 300_000);
});
