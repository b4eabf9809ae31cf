// chart.test.ts — bench/chart.ts writes well-formed SVG: a minimal XML tag-balance parse, one bar
// per implementation and row, escaped text, and a valid document for an empty report.
import test from 'ava';
import { renderChart, xmlEscape } from '../../../bench/chart.js';
import type { BenchReport } from '../../../bench/report.js';

/** Minimal XML well-formedness: balanced tags, quoted attributes, no stray '<' or '&'. */
function wellFormed(xml: string): string | null {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  const re = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  for (let m = re.exec(body); m !== null; m = re.exec(body)) {
    const text = body.slice(last, m.index);
    if (text.includes('<') || /&(?!(amp|lt|gt|quot|apos);)/.test(text)) return `bad text before offset ${m.index}`;
    last = re.lastIndex;
    const [, close, name, , self] = m;
    if (close === '/') { if (stack.pop() !== name) return `unbalanced </${name ?? ''}>`; } else if (self !== '/') stack.push(name ?? '');
  }
  if (body.slice(last).trim() !== '') return 'trailing text';
  return stack.length === 0 ? null : `unclosed <${stack.join(',')}>`;
}

const report: BenchReport = {
  machine: { cpus: 2, node: '20.19.0', openssl: 'OpenSSL 3.0.15' },
  results: [
    { benchmark: 'verify', case: 'ECDSAP256SHA256', unit: 'verifies/s', adbit: 12000, spread: [11000, 13000], peers: { 'openssl-multi': 24000, 'node-crypto-naive': 2500 } },
    { benchmark: 'parse', case: 'decode <&> "x"', unit: 'messages/s', adbit: 500000, spread: [1, 600000], peers: { 'dns-packet': 100000 } },
    { benchmark: 'serve', case: 'rss', unit: 'MB', adbit: 3.5, spread: [3, 4], peers: { unbound: 2 } },
  ],
};

test('the chart is well-formed SVG with one bar per implementation per row', (t) => {
  const svg = renderChart(report);
  t.is(wellFormed(svg), null);
  t.true(svg.includes('<svg xmlns="http://www.w3.org/2000/svg"'));
  t.is((svg.match(/<rect x="190"/g) ?? []).length, 3 + 2 + 2);
  t.true(svg.includes('decode &lt;&amp;&gt; &quot;x&quot;'));
  t.true(svg.includes('(lower is better)'));
});

test('an empty report still renders a valid document', (t) => {
  const svg = renderChart({ machine: report.machine, results: [] });
  t.is(wellFormed(svg), null);
  t.true(svg.includes('no results'));
});

test('the checker itself rejects broken XML', (t) => {
  t.not(wellFormed('<svg><g></svg>'), null);
  t.not(wellFormed('<svg>a < b</svg>'), null);
  t.is(xmlEscape(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
});
