/**
 * The documentation's code compiles: every `@example` in lib's TSDoc and every ```ts
 * block of README.md and docs/*.md is type-checked against seqgrad's source, each
 * block as a module of its own, with the conventions of spec/support/doc-blocks.ts
 * (library names and the givens of spec/support/doc-givens.ts available; a fence
 * written ```` ```ts fragment ```` not compiled).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkBlocks, exampleBlocks, markdownBlocks, projectBlocks, type DocBlock } from './support/doc-blocks.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const GIVENS = 'spec/support/doc-givens.ts';
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; exports: Record<string, { default: string }> };

/** `seqgrad/io` → lib/io/index.ts, from the exports map. */
const ENTRIES = Object.fromEntries(Object.entries(manifest.exports).map(([entry, { default: built }]) =>
  [entry.replace(/^\./, manifest.name), built.replace(/^\.\/dist\//, 'lib/').replace(/\.js$/, '.ts')]));

const blocks = projectBlocks(ROOT);
const problems = checkBlocks(ROOT, ENTRIES, blocks, GIVENS);
const files = [...new Set(blocks.map((b) => b.file))];

describe('the documentation compiles', () => {
  it('finds the blocks of the README, every guide and the TSDoc', () => {
    expect(files).toEqual(expect.arrayContaining(['README.md', 'docs/autodiff.md', 'docs/recurrent.md', 'docs/training.md', 'lib/train/fit.ts']));
    expect(blocks.filter((b) => b.file.startsWith('lib/')).length).toBeGreaterThan(150);
  });

  it('the givens compile', () => {
    expect(problems.filter((p) => p.startsWith(`${GIVENS}:`))).toEqual([]);
  });

  it.each(files)('%s', (file) => {
    expect(problems.filter((p) => p.startsWith(`${file}:`))).toEqual([]);
  });

  it('allows few fragments', () => {
    // a fragment is for what cannot be a program (a signature, a shape), not for code that fails
    expect(blocks.filter((b) => b.fragment).length).toBeLessThanOrEqual(12);
  });
});

describe('the block checker', () => {
  const check = (...found: DocBlock[]) => checkBlocks(ROOT, ENTRIES, found, GIVENS);

  it('reports a call of a function that does not exist, and a wrong argument, at their lines', () => {
    const found = markdownBlocks('docs/x.md', ['text', '```ts', "import { tensor } from 'seqgrad';", 'tensor([1]).notAMethod();', '```'].join('\n'));
    expect(check(...found)).toEqual([expect.stringMatching(/^docs\/x\.md:4: Property 'notAMethod' does not exist/)]);
    const example = exampleBlocks('lib/x.ts', ['/**', ' * Sums.', ' *', ' * @example', ' * ```ts', " * sum(x, 'all');", ' * ```', ' */'].join('\n'));
    expect(check(...example)).toEqual([expect.stringMatching(/^lib\/x\.ts:6: .*'"all"'/)]);
  });

  it('requires a block that imports from seqgrad to import all it uses', () => {
    const found = markdownBlocks('docs/x.md', ['```ts', "import { tensor } from 'seqgrad';", 'sum(tensor([1]));', '```'].join('\n'));
    expect(check(...found)).toEqual([expect.stringMatching(/^docs\/x\.md:3: Cannot find name 'sum'/)]);
  });

  it('takes an unfenced @example as one block and skips a fragment', () => {
    expect(exampleBlocks('lib/x.ts', '/**\n * @example\n * sum(x);\n * @returns y\n */')).toEqual([{ file: 'lib/x.ts', line: 3, code: 'sum(x);', fragment: false }]);
    const fragment = markdownBlocks('README.md', '```ts fragment\nnot code at all\n```');
    expect(fragment).toEqual([{ file: 'README.md', line: 2, code: 'not code at all', fragment: true }]);
    expect(check(...fragment)).toEqual([]);
  });
});
