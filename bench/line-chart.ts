/**
 * A generic line chart as hand-written SVG 1.1 (no dependency), for the scaling benchmark: x on a
 * log10 scale (a size: partitions, connections, groups), y linear from 0, one line per series.
 * Same look as src/learning/consumers-chart.ts (its niceScale gives the y ticks).
 */
import { niceScale } from '../src/learning/consumers-chart.js';

export interface Series {
  name: string;
  /** Points in any order; a missing size (a broker that could not run it) is simply absent. */
  points: { x: number; y: number }[];
  dashed?: boolean;
}

export interface LineChart {
  title: string;
  subtitle?: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
}

const WIDTH = 720;
const HEIGHT = 440;
const MARGIN = { top: 70, right: 190, bottom: 60, left: 80 };
const COLORS = ['#4c78a8', '#f58518', '#54a24b', '#e45756', '#72b7b2', '#b279a2'];

export function renderLineChart(c: LineChart): string {
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const all = c.series.flatMap((s) => s.points);
  const xs = all.map((p) => p.x).filter((x) => x > 0);
  const lo = Math.floor(Math.log10(Math.min(1, ...xs)));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(1, ...xs))));
  const x = (v: number) => MARGIN.left + ((Math.log10(v) - lo) / (hi - lo)) * plotW;
  const { step, max } = niceScale(Math.max(1e-9, ...all.map((p) => p.y)));
  const y = (v: number) => MARGIN.top + plotH - (v / max) * plotH;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    text(MARGIN.left + plotW / 2, 28, c.title, { size: 17, anchor: 'middle', weight: 'bold' }),
  ];
  if (c.subtitle)
    parts.push(
      text(MARGIN.left + plotW / 2, 48, c.subtitle, { size: 12, anchor: 'middle', fill: '#555555' }),
    );
  for (let v = 0; v <= max + step / 2; v += step) {
    const yy = round(y(v));
    parts.push(
      `<line x1="${MARGIN.left}" y1="${yy}" x2="${MARGIN.left + plotW}" y2="${yy}" stroke="#e0e0e0" stroke-width="1"/>`,
      text(MARGIN.left - 8, yy + 4, trim(v), { size: 12, anchor: 'end', fill: '#333333' }),
    );
  }
  for (let e = lo; e <= hi; e++) {
    const xx = round(x(10 ** e));
    parts.push(
      `<line x1="${xx}" y1="${MARGIN.top}" x2="${xx}" y2="${MARGIN.top + plotH}" stroke="#f0f0f0" stroke-width="1"/>`,
      text(xx, MARGIN.top + plotH + 18, (10 ** e).toLocaleString('en'), { size: 12, anchor: 'middle' }),
    );
  }
  parts.push(
    `<line x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${MARGIN.top + plotH}" stroke="#333333" stroke-width="1"/>`,
    `<line x1="${MARGIN.left}" y1="${MARGIN.top + plotH}" x2="${MARGIN.left + plotW}" y2="${MARGIN.top + plotH}" stroke="#333333" stroke-width="1"/>`,
    text(MARGIN.left + plotW / 2, HEIGHT - 16, c.xLabel, { size: 13, anchor: 'middle', fill: '#333333' }),
    text(22, MARGIN.top + plotH / 2, c.yLabel, { size: 13, anchor: 'middle', rotate: true, fill: '#333333' }),
  );
  c.series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const pts = [...s.points].filter((p) => p.x > 0).sort((a, b) => a.x - b.x);
    if (pts.length > 1) {
      const d = pts.map((p) => `${round(x(p.x))},${round(y(p.y))}`).join(' ');
      parts.push(
        `<polyline points="${d}" fill="none" stroke="${color}" stroke-width="2.5"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
      );
    }
    for (const p of pts)
      parts.push(`<circle cx="${round(x(p.x))}" cy="${round(y(p.y))}" r="3.5" fill="${color}"/>`);
    const ly = MARGIN.top + 10 + i * 22;
    const lx = MARGIN.left + plotW + 16;
    parts.push(
      `<line x1="${lx}" y1="${ly}" x2="${lx + 24}" y2="${ly}" stroke="${color}" stroke-width="2.5"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
      text(lx + 30, ly + 4, s.name, { size: 12 }),
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function trim(v: number): string {
  return Number(v.toPrecision(3)).toString();
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
