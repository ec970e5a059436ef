/**
 * The lint rules that keep lib/'s layers and forbid import cycles can fail: in-memory
 * files that break them, linted with the project's own ESLint config, get the errors,
 * and files that keep them do not. Type information is left off here (the rules read
 * import paths only), so no TypeScript program is built.
 */
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const eslint = new ESLint({
  cwd: ROOT,
  overrideConfig: {
    languageOptions: { parserOptions: { project: null } },
    rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/await-thenable': 'off' },
  },
});

/** The messages of `rule` for `code` linted as the file at `filePath` (relative to the repository). */
const messagesOf = async (rule: string, filePath: string, code: string): Promise<string[]> => {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}${filePath}` });
  const messages = result?.messages ?? [];
  // a parse error would leave the rules unrun and the assertions below vacuous
  expect(messages.filter((m) => m.fatal)).toEqual([]);
  return messages.filter((m) => m.ruleId === rule).map((m) => m.message);
};

describe('seqgrad/layers', () => {
  it('refuses an import against the layer directions: kernels may import nothing', async () => {
    expect(await messagesOf('seqgrad/layers', 'lib/kernels/probe.ts', "export { Tensor } from '../tensor/tensor.js';\n"))
      .toEqual(['lib/kernels/ may not import lib/tensor/tensor.js (allowed: nothing).']);
  });

  it('lets a folder import itself and the folders below it', async () => {
    expect(await messagesOf('seqgrad/layers', 'lib/kernels/probe.ts', "export type { NumArray } from './types.js';\n")).toEqual([]);
    expect(await messagesOf('seqgrad/layers', 'lib/nn/probe.ts', "export { add } from '../ops/arithmetic.js';\n")).toEqual([]);
  });

  it('counts type-only imports and import types', async () => {
    const code = "import type { Cell } from '../nn/cell.js';\nexport type C = Cell<unknown, unknown, unknown> | typeof import('../train/index.js');\n";
    expect(await messagesOf('seqgrad/layers', 'lib/ops/probe.ts', code)).toEqual([
      'lib/ops/ may not import lib/nn/cell.js (allowed: lib/tensor/, lib/kernels/, lib/autodiff/, lib/tree/).',
      'lib/ops/ may not import lib/train/index.js (allowed: lib/tensor/, lib/kernels/, lib/autodiff/, lib/tree/).',
    ]);
  });

  it('keeps the entry files above every folder and lib/ inside itself', async () => {
    expect(await messagesOf('seqgrad/layers', 'lib/nn/probe.ts', "export * from '../index.js';\n"))
      .toEqual(['lib/nn/ may not import the entry file lib/index.js: entries sit above every folder.']);
    expect(await messagesOf('seqgrad/layers', 'lib/tensor/probe.ts', "export * from '../../spec/support/close.js';\nexport * from 'seqgrad/testing';\n")).toEqual([
      'A file in lib/ may not import spec/support/close.js, outside lib/.',
      'Import seqgrad/testing by relative path inside lib/, so that this rule sees the direction.',
    ]);
    expect(await messagesOf('seqgrad/layers', 'lib/probe.ts', "export * from './train/index.js';\n")).toEqual([]);
  });

  it('asks for a new folder to be given its place', async () => {
    expect(await messagesOf('seqgrad/layers', 'lib/widgets/probe.ts', 'export const x = 1;\n'))
      .toEqual(["lib/widgets/ has no place in the layer rule: add it to the rule's allow table with the folders it may import."]);
  });
});

describe('seqgrad/no-cycle', () => {
  it('refuses a type-only import that closes a cycle', async () => {
    // shape.ts imports errors.ts, so errors.ts importing shape.ts back closes a cycle
    const code = "import type { Shape } from './shape.js';\nexport type S = Shape;\n";
    expect(await messagesOf('seqgrad/no-cycle', 'lib/tensor/errors.ts', code))
      .toEqual(['Import cycle: lib/tensor/errors.ts → lib/tensor/shape.ts → lib/tensor/errors.ts.']);
  });

  it('names the whole chain of a longer cycle, and passes an import that closes none', async () => {
    const [message] = await messagesOf('seqgrad/no-cycle', 'lib/kernels/errors.ts', "import '../ops/index.js';\n");
    expect(message).toMatch(/^Import cycle: lib\/kernels\/errors\.ts → lib\/ops\/index\.ts → .* → lib\/kernels\/errors\.ts\.$/);
    expect(await messagesOf('seqgrad/no-cycle', 'lib/tensor/errors.ts', "import '../kernels/errors.js';\n")).toEqual([]);
  });
});
