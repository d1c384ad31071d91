/**
 * The experiment as a picture: one bar per consumer count (median messages/s), a whisker from the
 * slowest to the fastest run, and a dot per run. With the join-while-reading runs, a timeline per
 * protocol below it (its first run): one lane per partition, coloured by the member that owned it,
 * a tick per batch of records received, the time nobody owned anything shaded red. Hand-written SVG 1.1, no dependency; text uses
 * generic font families so that any viewer (browser, rsvg, Inkscape) draws it the same way.
 */
import type { ConsumersExperimentResult } from './consumers-experiment.js';
import type { RebalanceRun } from './consumers-rebalance.js';
import { formatMs, requestsOf, splitOf } from './consumers-report.js';

const WIDTH = 720;
const HEIGHT = 440;
const MARGIN = { top: 70, right: 30, bottom: 80, left: 90 };
const COLORS = ['#4c78a8', '#f58518', '#54a24b', '#e45756', '#72b7b2', '#b279a2'];
const PANEL_HEIGHT = 190;

export function renderConsumersChart(r: ConsumersExperimentResult): string {
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const perRun = r.results.map((c) => c.runs.map((run) => r.messages / (run.elapsedMs / 1000)));
  const top = Math.max(1, ...perRun.flat(), ...r.results.map((c) => c.messagesPerSecond));
  const { step, max } = niceScale(top);
  const y = (v: number) => MARGIN.top + plotH - (v / max) * plotH;
  const slot = plotW / Math.max(1, r.results.length);
  const barW = Math.min(120, slot * 0.5);
  const compare = (r.protocols ?? []).length > 1;

  const panels = firstRunPerProtocol(r.rebalance ?? []);
  const height = HEIGHT + panels.length * PANEL_HEIGHT;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    text(WIDTH / 2, 28, `Reading ${r.messages} messages from ${r.topic} (${r.partitions} partitions)`, {
      size: 18,
      anchor: 'middle',
      weight: 'bold',
    }),
    text(
      WIDTH / 2,
      50,
      `median of ${r.results[0]?.runs.length ?? 0} runs per bar, whisker = slowest to fastest run, dot = one run`,
      { size: 12, anchor: 'middle', fill: '#555555' },
    ),
  );
  // Grid and y axis.
  for (let v = 0; v <= max + step / 2; v += step) {
    const yy = round(y(v));
    parts.push(
      `<line x1="${MARGIN.left}" y1="${yy}" x2="${WIDTH - MARGIN.right}" y2="${yy}" stroke="#e0e0e0" stroke-width="1"/>`,
      text(MARGIN.left - 8, yy + 4, formatCount(v), { size: 12, anchor: 'end', fill: '#333333' }),
    );
  }
  parts.push(
    `<line x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${MARGIN.top + plotH}" stroke="#333333" stroke-width="1"/>`,
    `<line x1="${MARGIN.left}" y1="${MARGIN.top + plotH}" x2="${WIDTH - MARGIN.right}" y2="${MARGIN.top + plotH}" stroke="#333333" stroke-width="1"/>`,
    text(22, MARGIN.top + plotH / 2, 'messages / second', {
      size: 13,
      anchor: 'middle',
      rotate: true,
      fill: '#333333',
    }),
  );
  r.results.forEach((c, i) => {
    const cx = MARGIN.left + slot * i + slot / 2;
    const color = COLORS[i % COLORS.length];
    const barTop = round(y(c.messagesPerSecond));
    parts.push(
      `<rect x="${round(cx - barW / 2)}" y="${barTop}" width="${round(barW)}" height="${round(MARGIN.top + plotH - barTop)}" fill="${color}" fill-opacity="0.85"/>`,
    );
    const runs = perRun[i];
    const lo = round(y(Math.min(...runs)));
    const hi = round(y(Math.max(...runs)));
    parts.push(
      `<line x1="${round(cx)}" y1="${lo}" x2="${round(cx)}" y2="${hi}" stroke="#222222" stroke-width="2"/>`,
      `<line x1="${round(cx - 10)}" y1="${lo}" x2="${round(cx + 10)}" y2="${lo}" stroke="#222222" stroke-width="2"/>`,
      `<line x1="${round(cx - 10)}" y1="${hi}" x2="${round(cx + 10)}" y2="${hi}" stroke="#222222" stroke-width="2"/>`,
    );
    runs.forEach((v, k) => {
      // Spread the dots sideways a little so that equal runs stay distinguishable.
      const dx = runs.length === 1 ? 0 : (k / (runs.length - 1) - 0.5) * (barW * 0.5);
      parts.push(
        `<circle cx="${round(cx + dx)}" cy="${round(y(v))}" r="3.5" fill="#ffffff" stroke="#222222" stroke-width="1.5"/>`,
      );
    });
    parts.push(
      text(cx, Math.min(barTop, hi) - 14, formatCount(Math.round(c.messagesPerSecond)), {
        size: 13,
        anchor: 'middle',
        weight: 'bold',
      }),
      text(
        cx,
        MARGIN.top + plotH + 22,
        `${compare ? `${c.protocol}: ` : ''}${c.consumers} consumer${c.consumers === 1 ? '' : 's'}`,
        {
          size: 14,
          anchor: 'middle',
        },
      ),
      text(
        cx,
        MARGIN.top + plotH + 40,
        `partitions each: ${c.runs[0] ? splitOf(c.runs[0].partitionsEach) : '-'}`,
        {
          size: 12,
          anchor: 'middle',
          fill: '#555555',
        },
      ),
      text(cx, MARGIN.top + plotH + 56, `median ${formatSeconds(c.elapsed.median)}`, {
        size: 12,
        anchor: 'middle',
        fill: '#555555',
      }),
    );
  });
  panels.forEach((run, i) => {
    parts.push(...timelinePanel(run, HEIGHT + i * PANEL_HEIGHT));
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function firstRunPerProtocol(runs: readonly RebalanceRun[]): RebalanceRun[] {
  const seen = new Set<string>();
  return runs.filter((run) => !seen.has(run.protocol) && seen.add(run.protocol));
}

/** One owner span of a partition: [from, to) with the owning member. */
interface Span {
  partition: number;
  member: number;
  from: number;
  to: number;
}

/** Owner spans per partition replayed from the listener events, cut to [from, to]. */
export function ownerSpans(run: RebalanceRun, from: number, to: number): Span[] {
  const open = new Map<number, { member: number; since: number }>();
  const spans: Span[] = [];
  const close = (p: number, at: number) => {
    const o = open.get(p);
    if (!o) return;
    open.delete(p);
    if (at > from)
      spans.push({ partition: p, member: o.member, from: Math.max(from, o.since), to: Math.min(to, at) });
  };
  for (const e of [...run.events].sort((a, b) => a.at - b.at)) {
    if (e.at > to) break;
    if (e.kind === 'assigned') for (const p of e.partitions) open.set(p, { member: e.member, since: e.at });
    else if (e.kind === 'revoked' || e.kind === 'lost') for (const p of e.partitions) close(p, e.at);
  }
  for (const p of [...open.keys()]) close(p, to);
  return spans;
}

/** A protocol's first join-while-reading run as lanes of partitions over time. */
function timelinePanel(run: RebalanceRun, top: number): string[] {
  const f = run.figures;
  const end = Math.max(1, f.rebalanceMs);
  const from = -0.08 * end;
  const to = end * 1.08;
  const left = MARGIN.left;
  const width = WIDTH - MARGIN.left - MARGIN.right;
  const laneH = Math.min(26, 100 / Math.max(1, f.partitions));
  const lanesTop = top + 52;
  const x = (t: number) => left + ((t - from) / (to - from)) * width;
  const parts: string[] = [
    text(
      WIDTH / 2,
      top + 20,
      `${run.protocol}: a consumer joins ${f.membersBefore} that are reading (all partitions read again after ${formatMs(f.rebalanceMs)})`,
      { size: 14, anchor: 'middle', weight: 'bold' },
    ),
    text(
      WIDTH / 2,
      top + 38,
      `all stopped ${formatMs(f.allStoppedMs)}, members stopped ${f.membersStopped} of ${f.membersBefore}, ` +
        `partitions paused ${f.partitionsPaused} of ${f.partitions}; ${requestsOf(f.requests)}`,
      { size: 11, anchor: 'middle', fill: '#555555' },
    ),
  ];
  const stopped = allStoppedIntervals(run, to);
  for (const s of stopped) {
    parts.push(
      `<rect x="${round(x(s.from))}" y="${round(lanesTop - 4)}" width="${round(Math.max(1, x(s.to) - x(s.from)))}" height="${round(f.partitions * laneH + 8)}" fill="#e45756" fill-opacity="0.25"/>`,
    );
  }
  for (const s of ownerSpans(run, from, to)) {
    parts.push(
      `<rect x="${round(x(s.from))}" y="${round(lanesTop + s.partition * laneH + 3)}" width="${round(Math.max(0.5, x(s.to) - x(s.from)))}" height="${round(laneH - 6)}" fill="${COLORS[s.member % COLORS.length]}" fill-opacity="0.75"/>`,
    );
  }
  for (const e of run.events) {
    if (e.kind !== 'records' || e.at < from || e.at > to) continue;
    const yy = lanesTop + e.partition * laneH;
    parts.push(
      `<line x1="${round(x(e.at))}" y1="${round(yy + 2)}" x2="${round(x(e.at))}" y2="${round(yy + laneH - 2)}" stroke="#222222" stroke-width="0.6"/>`,
    );
  }
  for (let p = 0; p < f.partitions; p++)
    parts.push(
      text(left - 8, lanesTop + p * laneH + laneH / 2 + 4, `partition ${p}`, { size: 11, anchor: 'end' }),
    );
  const axisY = lanesTop + f.partitions * laneH + 8;
  parts.push(
    `<line x1="${round(x(0))}" y1="${round(lanesTop - 8)}" x2="${round(x(0))}" y2="${round(axisY)}" stroke="#222222" stroke-width="1" stroke-dasharray="4 3"/>`,
    text(x(0), axisY + 14, 'join', { size: 11, anchor: 'middle' }),
    text(x(end), axisY + 14, formatMs(end), { size: 11, anchor: 'middle' }),
    text(
      left,
      axisY + 32,
      'colour = member that owned the partition (1, 2: reading before; 3: the newcomer), tick = records received, red = nobody owned anything',
      { size: 10, fill: '#555555' },
    ),
  );
  return parts;
}

/** The intervals (up to `to`) during which no member owned any partition, after the join. */
function allStoppedIntervals(run: RebalanceRun, to: number): { from: number; to: number }[] {
  const owners = new Map<number, number>();
  const out: { from: number; to: number }[] = [];
  let since: number | undefined;
  for (const e of [...run.events].sort((a, b) => a.at - b.at)) {
    if (e.at > to) break;
    if (e.kind === 'assigned') {
      for (const p of e.partitions) owners.set(p, e.member);
      if (since !== undefined && owners.size > 0) {
        out.push({ from: since, to: e.at });
        since = undefined;
      }
    } else if (e.kind === 'revoked' || e.kind === 'lost') {
      for (const p of e.partitions) if (owners.get(p) === e.member) owners.delete(p);
      if (e.at >= 0 && owners.size === 0 && since === undefined) since = e.at;
    }
  }
  if (since !== undefined) out.push({ from: since, to });
  return out;
}

/** A round axis maximum and tick step (1, 2 or 5 × 10ⁿ) with 4–8 ticks. */
export function niceScale(top: number): { step: number; max: number } {
  const raw = top / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  return { step, max: Math.ceil(top / step) * step };
}

function formatCount(v: number): string {
  if (v >= 1_000_000) return `${trim(v / 1_000_000)}M`;
  if (v >= 10_000) return `${trim(v / 1000)}k`;
  return String(Math.round(v));
}

function trim(v: number): string {
  return Number(v.toFixed(1)).toString();
}

function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function text(
  x: number,
  y: number,
  content: string,
  o: { size: number; anchor?: 'start' | 'middle' | 'end'; weight?: string; fill?: string; rotate?: boolean },
): string {
  const attrs = [
    `x="${round(x)}"`,
    `y="${round(y)}"`,
    `font-size="${o.size}"`,
    `text-anchor="${o.anchor ?? 'start'}"`,
    `fill="${o.fill ?? '#111111'}"`,
  ];
  if (o.weight) attrs.push(`font-weight="${o.weight}"`);
  if (o.rotate) attrs.push(`transform="rotate(-90 ${round(x)} ${round(y)})"`);
  return `<text ${attrs.join(' ')}>${escapeXml(content)}</text>`;
}
