/**
 * Builds the WebAssembly SIMD kernels from their AssemblyScript source
 * (lib/kernels/wasm/assembly) and writes lib/kernels/wasm/module.generated.ts, which
 * holds the module's bytes as base64 text. The bytes live in a TypeScript module,
 * not a .wasm file beside it, so the library loads the same way under `import`,
 * `require`, a bundler or a browser, with no file system access and no top-level await.
 * asc's output is deterministic, so a spec rebuilds into a temporary file and checks
 * the committed module is byte for byte what the source compiles to.
 *
 * Usage: node tools/build-wasm.mjs [output.ts]   (npm run build:wasm)
 */
import asc from 'assemblyscript/asc';
import { writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = 'lib/kernels/wasm/assembly/index.ts';
const target = process.argv[2] ?? join(root, 'lib/kernels/wasm/module.generated.ts');

// SIMD only (relaxed SIMD needs a V8 flag on Node 20); the stub runtime because the
// kernels never allocate; no abort import, so the module needs no imports at all
const FLAGS = ['--enable', 'simd', '-O3', '--runtime', 'stub', '--noAssert', '--use', 'abort='];

/** Compiles the AssemblyScript entry and returns the module's bytes. */
export const compile = async () => {
  let bytes = null;
  const stderr = [];
  const { error } = await asc.main([entry, ...FLAGS, '--outFile', 'kernels.wasm'], {
    baseDir: root,
    writeFile: (name, contents) => {
      if (name.endsWith('.wasm')) bytes = contents;
    },
    stdout: { write: () => true },
    stderr: { write: (text) => stderr.push(String(text)) },
  });
  if (error) throw new Error(`asc failed: ${error.message}\n${stderr.join('')}`);
  if (bytes === null) throw new Error('asc wrote no .wasm output');
  return bytes;
};

/** The generated TypeScript module holding `bytes`. */
export const render = (bytes) => {
  const base64 = Buffer.from(bytes).toString('base64');
  const lines = base64.match(/.{1,100}/g) ?? [];
  return `/**
 * The compiled WebAssembly SIMD kernels (${bytes.length} bytes) as base64 text, generated
 * by tools/build-wasm.mjs from lib/kernels/wasm/assembly; do not edit: run
 * \`npm run build:wasm\` after changing the source (a spec checks this file is current).
 *
 * @module
 * @internal
 */

/** The module's bytes, base64-encoded. @internal */
export const WASM_BASE64 =
${lines.map((line) => `  '${line}'`).join(' +\n')};
`;
};

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const bytes = await compile();
  await writeFile(target, render(bytes));
  console.log(`wrote ${relative(process.cwd(), target)} (${bytes.length} bytes of WebAssembly)`);
}
