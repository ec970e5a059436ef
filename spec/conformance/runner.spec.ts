/**
 * The conformance runner and its command line: passing and failing files, files of an
 * unknown kind, unreadable files, the per-file lines, the summary and the exit code.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { relativeError, runFile, toleranceFor } from '../../tools/conformance/runner.js';
import { tensor } from '../../lib/index.js';
import { FIXTURES } from '../support/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'seqgrad-conformance-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const article = JSON.parse(readFileSync(join(FIXTURES, 'article/worked_example_T3.json'), 'utf8'));
const write = (name: string, content: unknown): string => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

describe('relativeError', () => {
  it('measures |a - e| / max(|e|, floor) with the floor scaled to the tensor (hand-computed)', () => {
    const expected = tensor([100, 1e-9], { dtype: 'float64' });
    const actual = tensor([100.001, 2e-9], { dtype: 'float64' });
    // element 0: 0.001 / 100 = 1e-5; element 1: 1e-9 / max(1e-9, 1e-6 * 100) = 1e-11
    expect(relativeError({ name: 't', actual, expected }, 'float64')).toBeCloseTo(1e-5, 12);
  });

  it('is infinite on a shape mismatch and on NaN', () => {
    const e = tensor([1, 2], { dtype: 'float64' });
    expect(relativeError({ name: 't', actual: tensor([1, 2, 3], { dtype: 'float64' }), expected: e }, 'float64')).toBe(Infinity);
    expect(relativeError({ name: 't', actual: tensor([1, NaN], { dtype: 'float64' }), expected: e }, 'float64')).toBeNaN();
  });
});

describe('runFile', () => {
  it('passes a reference file in both dtypes', () => {
    for (const dtype of ['float64', 'float32'] as const) {
      const r = runFile(write('good.json', article), dtype);
      expect(r.ok).toBe(true);
      expect(r.worst!.error).toBeLessThanOrEqual(toleranceFor(dtype));
    }
  });

  it('fails a file whose reference was altered, naming the tensor', () => {
    const altered = structuredClone(article);
    altered.grads.W_hh.data[4] += 1e-3;
    const r = runFile(write('altered.json', altered), 'float64');
    expect(r.ok).toBe(false);
    expect(r.worst!.name).toBe('grads.W_hh');
  });

  it('fails a file of an unknown kind with a reason, not a skip', () => {
    const r = runFile(write('mystery.json', { name: 'mystery_case' }), 'float64');
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/no checker knows this kind of file.*mystery_case/);
  });

  it('fails unreadable and nameless files with a reason', () => {
    expect(runFile(write('broken.json', '{"name": '), 'float64').reason).toMatch(/cannot read it as JSON/);
    expect(runFile(write('nameless.json', { data: [] }), 'float64').reason).toMatch(/no "name" field/);
  });

  it('fails a file with a missing field, naming it', () => {
    const missing = structuredClone(article);
    delete missing.inputs.target;
    expect(runFile(write('missing.json', missing), 'float64').reason).toMatch(/inputs\.target/);
  });
});

describe('npm run conformance', () => {
  const cli = (args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'tools/conformance/cli.ts', ...args], { encoding: 'utf8' });

  it('prints a line per file and dtype, the summary, and exits 0 when all pass', () => {
    const out = cli([join(FIXTURES, 'article')]);
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/^PASS float64 article\/worked_example_T3\.json +worst /m);
    expect(out.stdout).toMatch(/^PASS float32 article\/worked_example_T3\.json/m);
    expect(out.stdout.trim().split('\n').at(-1)).toBe('2 passed, 0 failed');
  });

  it('exits non-zero and counts failures when any file fails', () => {
    const bad = mkdtempSync(join(tmpdir(), 'seqgrad-conformance-bad-'));
    writeFileSync(join(bad, 'mystery.json'), JSON.stringify({ name: 'mystery' }));
    const out = cli([bad, '--dtype', 'float64']);
    rmSync(bad, { recursive: true, force: true });
    expect(out.status).toBe(1);
    expect(out.stdout).toMatch(/^FAIL float64 .*mystery\.json +error: no checker knows/m);
    expect(out.stdout.trim().split('\n').at(-1)).toBe('0 passed, 1 failed');
  });

  it('refuses a missing directory and a bad --dtype', () => {
    expect(cli([join(dir, 'nowhere')]).stdout).toMatch(/FAIL .*no such file or directory/);
    expect(cli([dir, '--dtype', 'float16']).status).toBe(2);
  });
});
