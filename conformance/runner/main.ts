/**
 * npm run conformance [-- --target emulator|real|both] [--bootstrap-server host:port] [--scenario NAME]
 *
 * Starts what the chosen targets need (the emulator in-process; a real Apache Kafka 4.1.1 through
 * kafka.sh unless --bootstrap-server names a running broker), runs every scenario against each with
 * our client, prints the table, writes conformance/REPORT.md and the decoded exchanges of every run
 * (conformance/runner/.out/, git-ignored). Exit status 1 when a scenario fails on a target or the
 * emulator differs from the real broker in a way KNOWN-DIFFERENCES.md does not list.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SCENARIOS } from '../scenarios/index.js';
import { loadKnownDifferences } from './known-differences.js';
import { renderMarkdown, renderTable } from './report.js';
import { runSuite } from './run.js';
import { type StartedTarget, startEmulatorTarget, startRealTarget } from './targets.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const CONFORMANCE = join(HERE, '..');

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      target: { type: 'string', default: 'both' },
      'bootstrap-server': { type: 'string' },
      scenario: { type: 'string', multiple: true },
    },
  });
  const which = values.target;
  if (which !== 'emulator' && which !== 'real' && which !== 'both') {
    console.error(`--target must be emulator, real or both (not ${which})`);
    return 2;
  }
  const scenarios = values.scenario?.length
    ? SCENARIOS.filter((s) => values.scenario!.includes(s.name))
    : SCENARIOS;
  if (scenarios.length === 0) {
    console.error(
      `no scenario named ${values.scenario?.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`,
    );
    return 2;
  }
  const known = loadKnownDifferences(join(CONFORMANCE, 'KNOWN-DIFFERENCES.md'));
  const started: StartedTarget[] = [];
  const stopAll = async () => {
    for (const t of started.splice(0))
      await t.stop().catch((err) => console.error(`stopping ${t.target.name}: ${err}`));
  };
  const onSignal = () => void stopAll().then(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    if (which !== 'real') started.push(await startEmulatorTarget());
    if (which !== 'emulator') {
      console.error(
        values['bootstrap-server']
          ? `using ${values['bootstrap-server']}`
          : 'starting Apache Kafka (kafka.sh)...',
      );
      started.push(await startRealTarget({ bootstrapServer: values['bootstrap-server'] }));
    }
    const result = await runSuite({
      targets: started.map((s) => s.target),
      scenarios,
      known,
      onRun: (scenario, run) =>
        console.error(
          `${run.status === 'pass' ? 'ok  ' : 'FAIL'} ${scenario.name} on ${run.target} (${Math.round(run.durationMs)} ms)`,
        ),
    });
    console.log(renderTable(result));
    writeFileSync(join(CONFORMANCE, 'REPORT.md'), renderMarkdown(result));
    const out = join(HERE, '.out');
    for (const r of result.scenarios) {
      for (const run of Object.values(r.runs)) {
        mkdirSync(join(out, run.target), { recursive: true });
        writeFileSync(
          join(out, run.target, `${r.scenario.name}.jsonl`),
          run.exchanges.map((e) => JSON.stringify(e)).join('\n') + '\n',
        );
      }
    }
    console.error(`wrote conformance/REPORT.md and the exchanges in conformance/runner/.out/`);
    return result.ok ? 0 : 1;
  } finally {
    await stopAll();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
