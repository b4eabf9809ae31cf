// ldns-diff.test.ts — differential check of the whole decode path against ldns's own parser: for
// generated messages (compressed), every question and record printed from our Message equals
// what ldnsDecode prints for the same wire (modulo whitespace and ldns's `;{...}` key comments).
import test from 'ava';
import { ldnsDecode } from '../../../src/native/text.js';
import { Message } from '../../../src/wire/message.js';
import { questionToText, recordToText } from '../../../src/wire/text.js';
import { Rng, build, randomSpec } from './gen.js';

const norm = (s: string): string => s.replace(/;\{[^}]*\}\s*$/, '').replace(/\s+/g, ' ').trim();

test('Message decode prints exactly what ldns decodes, over 600 generated messages', (t) => {
  const rng = new Rng(0x1d45);
  const problems: string[] = [];
  let checked = 0;
  for (let i = 0; i < 600; i++) {
    const spec = randomSpec(rng);
    // SPF (99) is generated as opaque bytes, which ldns insists on reading as TXT strings.
    if (spec.sections.some((s) => s.some((r) => r.type === 99))) continue;
    const wire = build(spec, true);
    const ours = Message.fromWire(wire);
    const theirs = ldnsDecode(wire);
    if (!ours.ok || !theirs.ok) {
      problems.push(`#${i}: ours ${ours.ok ? 'ok' : ours.status}, ldns ${theirs.ok ? 'ok' : theirs.error}`);
      continue;
    }
    const m = ours.message;
    const mine = [...m.question.map(questionToText), ...[...m.answer, ...m.authority, ...m.additional].map(recordToText)].map(norm);
    const want = theirs.records.map(norm);
    if (JSON.stringify(mine) !== JSON.stringify(want)) {
      const k = mine.findIndex((x, j) => x !== want[j]);
      problems.push(`#${i} line ${k}:\n ours ${mine[k]}\n ldns ${want[k]}`);
    }
    checked++;
  }
  t.deepEqual(problems.slice(0, 5), []);
  t.true(checked > 300, `only ${checked} messages compared`);
});
