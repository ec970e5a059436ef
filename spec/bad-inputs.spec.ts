/**
 * Bad inputs for every public function. The functions are listed from package.json's
 * `exports` (each entry's lib module), so a new export without a case fails here; each
 * case must throw a SeqgradError whose message starts with the function's name and
 * names the argument at fault (spec/support/bad-inputs.ts holds the table).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CASES, EXCLUDED, type Exports, type Fixtures } from './support/bad-inputs.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, { default: string }> };

/** dist/io/index.js → lib/io/index.ts: the module each entry is built from. */
const sourceOf = (built: string): string => join(root, built.replace(/^\.\/dist\//, 'lib/').replace(/\.js$/, '.ts'));

const modules: Record<string, Exports> = {};
for (const [entry, { default: built }] of Object.entries(manifest.exports)) modules[entry] = (await import(sourceOf(built))) as Exports;
const all: Exports = Object.assign({}, ...Object.values(modules)) as Exports;
const functions = Object.entries(modules).flatMap(([entry, m]) =>
  Object.keys(m).filter((name) => typeof m[name] === 'function').map((name) => ({ entry, name })));

const dir = mkdtempSync(join(tmpdir(), 'seqgrad-bad-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const tensor = all.tensor as (v: unknown, o?: unknown) => never;
const fixtures: Fixtures = {
  x: tensor([[1, 2], [3, 4]]),
  x64: tensor([1, 2], { dtype: 'float64' }),
  seq: tensor(new Float32Array(16), { shape: [2, 4, 2] }),
  ids: tensor([[1, 2, 3], [2, 3, 4]], { dtype: 'int32' }),
  k: (all.key as (s: number) => unknown)(0),
  dir,
};

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('every public function has a bad-input case', () => {
  it.each(functions)('$entry $name', ({ name }) => {
    expect(CASES[name] !== undefined || EXCLUDED[name] !== undefined, `${name} has no case in spec/support/bad-inputs*.ts and no reason to be excluded`).toBe(true);
  });
  it('every excluded name is an export, and none has a case too', () => {
    const exported = new Set(functions.map(({ name }) => name));
    expect(Object.keys(EXCLUDED).filter((name) => !exported.has(name) || CASES[name] !== undefined)).toEqual([]);
  });
});

describe('bad inputs are refused with a SeqgradError naming the function and the argument', () => {
  const cases = Object.entries(CASES).flatMap(([name, calls]) => calls.map((c, i) => ({ name, i, ...c })));
  it.each(cases)('$name #$i', async ({ name, call, arg, op }) => {
    let error: unknown;
    try {
      await call(all, fixtures);
    } catch (e) {
      error = e;
    }
    expect(error, `${name} did not throw`).toBeInstanceOf(all.SeqgradError as unknown as new () => Error);
    const message = (error as Error).message;
    expect(message).toMatch(new RegExp(`^${escape(op ?? name)}: `));
    if (typeof arg === 'string') expect(message).toContain(arg);
    else expect(message).toMatch(arg);
  });
});
