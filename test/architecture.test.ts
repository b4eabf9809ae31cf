// architecture.test.ts — enforces the dependency direction of DESIGN.md / ARCHITECTURE.md §6 by
// reading every import in src/, and the rule that only src/native loads the addon and only
// util/clock, util/random and transport/ touch time, randomness and sockets.
import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const srcDir = path.join(root, 'src');

// Layer of each top-level folder of src/. A module may import from its own layer or lower ones.
const LAYER: Record<string, number> = {
  util: 0, native: 1, wire: 2, dnssec: 3, cache: 3, transport: 3, resolver: 4, server: 5, apps: 5, cli: 6, 'index.ts': 7,
};
// Same-layer folders that must not import each other.
const FORBIDDEN: Array<[string, string]> = [
  ['dnssec', 'resolver'], ['dnssec', 'transport'], ['dnssec', 'cache'], ['wire', 'dnssec'],
  ['cache', 'transport'], ['transport', 'cache'], ['server', 'apps'], ['apps', 'server'],
];

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

function area(file: string): string {
  const rel = path.relative(srcDir, file).split(path.sep);
  return rel.length === 1 ? (rel[0] ?? '') : (rel[0] ?? '');
}

const files = walk(srcDir);

test('imports follow the layer order and the forbidden pairs', (t) => {
  const violations: string[] = [];
  for (const file of files) {
    const from = area(file);
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]/g)) {
      const spec = m[1] ?? '';
      const target = path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts'));
      if (!target.startsWith(srcDir)) {
        violations.push(`${path.relative(root, file)} imports outside src/: ${spec}`);
        continue;
      }
      const to = area(target);
      const isTypeOnly = /^\s*import\s+type\b/.test(m[0]);
      if ((LAYER[to] ?? 99) > (LAYER[from] ?? -1) && !isTypeOnly) {
        violations.push(`${path.relative(root, file)} (${from}) imports upward ${spec} (${to})`);
      }
      if (FORBIDDEN.some(([a, b]) => a === from && b === to) && !(from === 'cache' && isTypeOnly)) {
        violations.push(`${path.relative(root, file)} (${from}) must not import ${to}: ${spec}`);
      }
    }
  }
  t.deepEqual(violations, []);
});

test('only src/native loads the addon; time, randomness and sockets only where injected', (t) => {
  const violations: string[] = [];
  for (const file of files) {
    const rel = path.relative(srcDir, file).split(path.sep).join('/');
    const text = fs.readFileSync(file, 'utf8');
    if (/adbit_native|\.node['"]/.test(text) && !rel.startsWith('native/')) violations.push(`${rel} loads the addon`);
    if (/\bDate\.now\(|\bnew Date\(\)/.test(text) && !/^(util\/clock|cli\/)/.test(rel)) violations.push(`${rel} reads the wall clock`);
    if (/\bMath\.random\(/.test(text)) violations.push(`${rel} uses Math.random`);
    if (/from ['"]node:dgram['"]/.test(text) && !/^(transport|server)\//.test(rel)) violations.push(`${rel} opens UDP sockets`);
  }
  t.deepEqual(violations, []);
});
