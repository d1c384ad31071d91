/**
 * A small side-by-side benchmark harness: contenders of one scenario run interleaved in the same
 * process, several rounds each, and the median rate is reported with the ratio to kafkalab's.
 * Ratios from one run on one machine are what we compare; absolute figures vary between machines.
 */
import os from 'node:os';

export interface Contender {
  name: string;
  /** One operation; may be async (kafkajs' codecs are). */
  run: () => unknown | Promise<unknown>;
}

export interface Scenario {
  name: string;
  /** Units per operation (records, bytes…) for the rate column. */
  unitsPerOp: number;
  unit: string;
  contenders: Contender[];
}

export interface Result {
  scenario: string;
  contender: string;
  opsPerSec: number;
  unitsPerSec: number;
  unit: string;
}

async function timeFor(c: Contender, ms: number): Promise<number> {
  let ops = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(ms) * 1_000_000n;
  let now = start;
  while (now < deadline) {
    // batches of calls between clock reads keep the clock out of the measurement
    for (let i = 0; i < 8; i++) {
      const r = c.run();
      if (r instanceof Promise) await r;
    }
    ops += 8;
    now = process.hrtime.bigint();
  }
  return ops / (Number(now - start) / 1e9);
}

export async function runScenario(
  s: Scenario,
  options: { rounds?: number; ms?: number } = {},
): Promise<Result[]> {
  const rounds = options.rounds ?? 5;
  const ms = options.ms ?? 300;
  for (const c of s.contenders) await timeFor(c, 100); // warm-up, JIT
  const samples = new Map<string, number[]>(s.contenders.map((c) => [c.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const c of s.contenders) samples.get(c.name)!.push(await timeFor(c, ms));
  }
  return s.contenders.map((c) => {
    const sorted = samples.get(c.name)!.sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    return {
      scenario: s.name,
      contender: c.name,
      opsPerSec: median,
      unitsPerSec: median * s.unitsPerOp,
      unit: s.unit,
    };
  });
}

function fmt(n: number): string {
  if (n >= 1e9) return (n / 1e9).toFixed(2) + ' G';
  if (n >= 1e6) return (n / 1e6).toFixed(2) + ' M';
  if (n >= 1e3) return (n / 1e3).toFixed(1) + ' k';
  return n.toFixed(1);
}

/** A markdown table: one row per contender, ratio = kafkalab's rate / the contender's. */
export function renderTable(results: Result[], ours = 'kafkalab'): string {
  const lines = ['| scenario | library | rate | kafkalab × |', '|---|---|---:|---:|'];
  for (const scenario of [...new Set(results.map((r) => r.scenario))]) {
    const rows = results.filter((r) => r.scenario === scenario);
    const base = rows.find((r) => r.contender.startsWith(ours));
    for (const r of rows) {
      const ratio =
        base && !r.contender.startsWith(ours) ? (base.unitsPerSec / r.unitsPerSec).toFixed(2) + '×' : '';
      lines.push(`| ${scenario} | ${r.contender} | ${fmt(r.unitsPerSec)}${r.unit}/s | ${ratio} |`);
    }
  }
  return lines.join('\n');
}

export function machineLine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `Node ${process.version}, ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${new Date().toISOString().slice(0, 10)}`;
}
