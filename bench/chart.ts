// bench/chart.ts — the README's figure (bench/results/latest.svg): one panel per contract row
// (algorithm for verify, case for parse, resolver work for resolve/serve), one horizontal bar per
// implementation (adbit first, then each peer), scaled within the row because units differ.
// Hand-written SVG 1.1, no dependency; every text is XML-escaped.
import type { BenchReport, BenchRow } from './report.js';

const WIDTH = 860;
const LABEL_W = 190;
const VALUE_W = 110;
const BAR_H = 13;
const GAP = 3;
const PALETTE = ['#1f6feb', '#d1242f', '#8250df', '#1a7f37', '#bf8700', '#6e7781', '#e16f24', '#0a8f8f'];

/** Escapes the five XML special characters. */
export function xmlEscape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

const fmt = (x: number, unit: string): string =>
  unit === 'MB' ? `${x.toFixed(2)} MB` : `${Math.round(x).toLocaleString('en-US')} ${unit}`;

/** Implementation names in first-seen order, so every peer keeps its colour across panels. */
function colours(rows: readonly BenchRow[]): Map<string, string> {
  const m = new Map<string, string>([['adbit', PALETTE[0] ?? '#000']]);
  for (const r of rows) for (const k of Object.keys(r.peers)) if (!m.has(k)) m.set(k, PALETTE[m.size % PALETTE.length] ?? '#000');
  return m;
}

/** Renders the whole report; an empty report gives a valid SVG that says so. */
export function renderChart(report: BenchReport, title = 'adbit bench'): string {
  const col = colours(report.results);
  const parts: string[] = [];
  let y = 48;
  let lastBench = '';
  for (const row of report.results) {
    if (row.benchmark !== lastBench) {
      y += 10;
      parts.push(`<text x="8" y="${y}" class="h">${xmlEscape(row.benchmark)}</text>`);
      y += 8;
      lastBench = row.benchmark;
    }
    const bars: [string, number][] = [['adbit', row.adbit], ...Object.entries(row.peers)];
    const max = Math.max(...bars.map(([, v]) => v), 1e-9);
    const label = `${row.case}${row.unit === 'MB' ? ' (lower is better)' : ''}`;
    parts.push(`<text x="8" y="${y + BAR_H}" class="l">${xmlEscape(label)}</text>`);
    for (const [name, v] of bars) {
      const w = Math.max(1, ((WIDTH - LABEL_W - VALUE_W - 16) * v) / max);
      parts.push(`<rect x="${LABEL_W}" y="${y + 2}" width="${w.toFixed(1)}" height="${BAR_H}" fill="${col.get(name) ?? '#000'}"><title>${xmlEscape(`${name}: ${fmt(v, row.unit)}`)}</title></rect>`);
      parts.push(`<text x="${(LABEL_W + w + 4).toFixed(1)}" y="${y + BAR_H}" class="v">${xmlEscape(fmt(v, row.unit))}</text>`);
      y += BAR_H + GAP;
    }
    y += 8;
  }
  if (report.results.length === 0) { parts.push(`<text x="8" y="${y + 14}" class="l">no results</text>`); y += 24; }
  const legend = [...col.entries()].map(([name, c], i) =>
    `<rect x="${8 + i * 140}" y="${y + 8}" width="12" height="12" fill="${c}"/><text x="${24 + i * 140}" y="${y + 18}" class="l">${xmlEscape(name)}</text>`);
  const m = report.machine;
  const height = y + 36;
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}">`,
    `<style>text{font-family:sans-serif;fill:#24292f}.h{font-size:15px;font-weight:bold}.l{font-size:12px}.v{font-size:11px}.t{font-size:16px;font-weight:bold}</style>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="8" y="22" class="t">${xmlEscape(title)}</text>`,
    `<text x="8" y="40" class="l">${xmlEscape(`${m.cpus} CPUs · Node ${m.node} · ${m.openssl} · medians; bars scaled per row`)}</text>`,
    ...parts, ...legend, `</svg>`, '',
  ].join('\n');
}
