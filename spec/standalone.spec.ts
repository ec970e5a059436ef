/**
 * The repository stands alone: a clone with nothing beside it must test, run and build.
 * This spec scans the project's own text files for paths that leave the repository:
 * a relative path that climbs above the root from the file that names it, a path into
 * a sibling folder the project was once developed beside, or an absolute path of some
 * machine. Any such path would work on one checkout and fail on a user's clone.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SCANNED = ['lib', 'spec', 'examples', 'bench', 'tools', 'docs', '.ci'];
const TOP_FILES = ['README.md', 'package.json', 'tsconfig.json', 'tsconfig.build.json', 'typedoc.json', 'vitest.config.ts'];
const TEXT = /\.(ts|mts|cts|js|mjs|cjs|md|json|sh|yml|yaml|html)$|^run$/;
// generated or third-party trees, and the reference data (numbers, no paths)
const SKIPPED = new Set(['node_modules', 'api', 'results', 'fixtures', 'dist']);

/** Every scanned text file, as a path relative to the root. */
const projectFiles = (): string[] => {
  const found: string[] = [];
  const visit = (dir: string): void => {
    for (const name of readdirSync(join(ROOT, dir))) {
      const path = join(dir, name);
      if (statSync(join(ROOT, path)).isDirectory()) {
        if (!SKIPPED.has(name)) visit(path);
      } else if (TEXT.test(name)) found.push(path);
    }
  };
  for (const dir of SCANNED) if (statSync(join(ROOT, dir), { throwIfNoEntry: false })?.isDirectory()) visit(dir);
  return [...found, ...TOP_FILES.filter((f) => statSync(join(ROOT, f), { throwIfNoEntry: false }))];
};

/** The offending paths a file's text names, each with why. */
export const leavingPaths = (file: string, text: string): string[] => {
  const problems: string[] = [];
  for (const match of text.matchAll(/(?:\.\.\/)+[\w@.\-/]*/g)) {
    const target = resolve(ROOT, dirname(file), match[0]);
    const rel = relative(ROOT, target);
    if (rel === '..' || rel.startsWith(`..${sep}`)) problems.push(`${match[0]} (climbs above the repository)`);
  }
  for (const match of text.matchAll(/(?<![\w.])(?:\/work\/|\/home\/|\/Users\/|\/root\/)[\w.\-/]*/g)) {
    problems.push(`${match[0]} (an absolute path of some machine)`);
  }
  for (const match of text.matchAll(/shared\/(?:fixtures|article|bench|DESIGN)/g)) {
    problems.push(`${match[0]} (the folder beside the repository, not in a clone)`);
  }
  return problems;
};

describe('the repository stands alone', () => {
  it('no file in lib, spec, examples, bench, tools, docs or .ci names a path outside the repository', () => {
    const files = projectFiles();
    expect(files.length).toBeGreaterThan(100);
    const found = files.flatMap((f) => leavingPaths(f, readFileSync(join(ROOT, f), 'utf8')).map((p) => `${f}: ${p}`));
    expect(found).toEqual([]);
  });

  it('the scan catches a climbing path, a sibling folder and a machine path', () => {
    // spelt out piecewise, so this file does not trip its own scan
    expect(leavingPaths('spec/support/x.ts', `resolve(here, '${'../'.repeat(3)}data/torch')`)).toHaveLength(1);
    expect(leavingPaths('spec/support/x.ts', "resolve(here, '../fixtures/torch')")).toEqual([]);
    expect(leavingPaths('docs/x.md', `see the ${['shared', 'fixtures'].join('/')} folder`)).toHaveLength(1);
    expect(leavingPaths('docs/x.md', `cd ${['', 'home', 'someone', 'project'].join('/')}`)).toHaveLength(1);
  });

  it('the PyTorch reference files and the article are inside the repository', () => {
    for (const folder of ['article', 'cell', 'loss', 'optim', 'rnn', 'seq2seq', 'train']) {
      expect(readdirSync(join(ROOT, 'spec/fixtures/torch', folder)).some((f) => f.endsWith('.json'))).toBe(true);
    }
    expect(readFileSync(join(ROOT, 'spec/fixtures/torch/README.md'), 'utf8')).toContain('PyTorch');
    expect(statSync(join(ROOT, 'docs/article/rnn-article.zh.md')).size).toBeGreaterThan(1000);
  });
});
