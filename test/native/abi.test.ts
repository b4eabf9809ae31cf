// abi.test.ts — every constant in src/native/abi.ts equals the value compiled into the addon.
import test from 'ava';
import * as abi from '../../src/native/abi.js';
import { native } from '../../src/native/binding.js';

test('ABI version of the addon matches the TypeScript mirror', (t) => {
  t.is(native.abiVersion(), abi.ABI_VERSION);
});

test('every abi.h constant has the same value in abi.ts, and no constant is missing', (t) => {
  const compiled = native.abiConstants();
  const mirrored = abi as unknown as Record<string, number>;
  t.deepEqual(Object.keys(compiled).sort(), Object.keys(mirrored).sort());
  for (const [name, value] of Object.entries(compiled)) t.is(mirrored[name], value, name);
});
