/**
 * The core entry runs in a browser: esbuild bundles `lib/index.ts` (and the byte-level
 * `seqgrad/io`) for the browser platform, and any import of a Node built-in, with or
 * without the `node:` prefix, fails the spec with the module that made it. Node-only
 * code (files, the terminal, worker threads) belongs behind `seqgrad/io/node`,
 * `seqgrad/train` and `seqgrad/threads`. Top-level await is refused too: Node's
 * `require` of an ES module and some bundlers cannot load a module graph that has it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BUILTIN = new Set(builtinModules);

/** Bundles `entry` (relative to the root, or absolute) for the browser; returns each Node built-in import as `importer → module`. */
const nodeImports = async (entry: string): Promise<string[]> => {
  const found: string[] = [];
  const watch: Plugin = {
    name: 'node-builtins',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        const bare = args.path.replace(/^node:/, '').split('/')[0]!;
        if (!args.path.startsWith('node:') && !BUILTIN.has(bare)) return undefined;
        found.push(`${relative(ROOT, args.importer)} → ${args.path}`);
        return { path: args.path, external: true };
      });
    },
  };
  await build({
    entryPoints: [isAbsolute(entry) ? entry : join(ROOT, entry)],
    bundle: true, platform: 'browser', format: 'esm', write: false, logLevel: 'silent', plugins: [watch],
    supported: { 'top-level-await': false },
  });
  return found;
};

describe('the browser bundle', () => {
  it('bundles the core entry with no Node built-in', async () => {
    expect(await nodeImports('lib/index.ts')).toEqual([]);
  });

  it('bundles seqgrad/io with no Node built-in', async () => {
    expect(await nodeImports('lib/io/index.ts')).toEqual([]);
  });

  it('bundles seqgrad/onnx with no Node built-in (onnx-proto is imported on first use)', async () => {
    expect(await nodeImports('lib/onnx/index.ts')).toEqual([]);
  });

  it('refuses top-level await', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seqgrad-bundle-'));
    try {
      writeFileSync(join(dir, 'tla.js'), 'export const x = await Promise.resolve(1);\n');
      await expect(nodeImports(join(dir, 'tla.js'))).rejects.toThrow(/[Tt]op-level await/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('catches Node built-ins where they are: the file functions of seqgrad/io/node', async () => {
    const found = await nodeImports('lib/io/node.ts');
    expect(found).toContain(`${join('lib', 'io', 'checkpoint.ts')} → node:fs/promises`);
    expect(found).toContain(`${join('lib', 'io', 'rotation.ts')} → node:os`);
  });
});
