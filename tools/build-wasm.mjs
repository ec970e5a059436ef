/**
 * Builds the WebAssembly SIMD kernels from their AssemblyScript source
 * (lib/kernels/wasm/assembly) in two variants and writes each as a TypeScript module
 * holding the bytes as base64 text: lib/kernels/wasm/module.generated.ts, with its own
 * memory (the core's backend), and lib/kernels/wasm/threads/module-shared.generated.ts,
 * which imports a shared memory so instances on worker threads can work on the same
 * operands (the Node-only threaded backend). The bytes live in a TypeScript module,
 * not a .wasm file beside it, so the library loads the same way under `import`,
 * `require`, a bundler or a browser, with no file system access and no top-level await.
 * asc's output is deterministic, so a spec rebuilds into a temporary file and checks
 * the committed module is byte for byte what the source compiles to.
 *
 * Usage: node tools/build-wasm.mjs [outDir]   (npm run build:wasm; outDir receives both
 * files under their names, for the spec; default: their places in lib/)
 */
import asc from 'assemblyscript/asc';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = 'lib/kernels/wasm/assembly/index.ts';
/** Where each variant's module goes, relative to the root (or to outDir). */
export const TARGETS = { plain: 'lib/kernels/wasm/module.generated.ts', shared: 'lib/kernels/wasm/threads/module-shared.generated.ts' };

// SIMD only (relaxed SIMD needs a V8 flag on Node 20); the stub runtime because the
// kernels never allocate; no abort import, so the module needs no imports at all
const FLAGS = ['--enable', 'simd', '-O3', '--runtime', 'stub', '--noAssert', '--use', 'abort='];
// the shared variant imports its memory (env.memory), which a shared memory must
// declare a maximum for: 32768 pages, 2 GiB, so every byte address fits an int32
const SHARED = ['--enable', 'threads', '--importMemory', '--sharedMemory', '--initialMemory', '16', '--maximumMemory', '32768'];

/** Compiles the AssemblyScript entry (`variant` 'plain' or 'shared') and returns the module's bytes. */
export const compile = async (variant = 'plain') => {
  let bytes = null;
  const stderr = [];
  const flags = variant === 'shared' ? [...FLAGS, ...SHARED] : FLAGS;
  const { error } = await asc.main([entry, ...flags, '--outFile', 'kernels.wasm'], {
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
export const render = (bytes, variant = 'plain') => {
  const base64 = Buffer.from(bytes).toString('base64');
  const lines = base64.match(/.{1,100}/g) ?? [];
  const what = variant === 'shared' ? 'kernels over an imported shared memory' : 'kernels';
  return `/**
 * The compiled WebAssembly SIMD ${what} (${bytes.length} bytes) as base64 text, generated
 * by tools/build-wasm.mjs from lib/kernels/wasm/assembly; do not edit: run
 * \`npm run build:wasm\` after changing the source (a spec checks this file is current).
 *
 * @module
 * @internal
 */

/** The module's bytes, base64-encoded. @internal */
export const ${variant === 'shared' ? 'SHARED_WASM_BASE64' : 'WASM_BASE64'} =
${lines.map((line) => `  '${line}'`).join(' +\n')};
`;
};

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const outDir = process.argv[2] ?? root;
  for (const [variant, path] of Object.entries(TARGETS)) {
    const bytes = await compile(variant);
    const target = join(outDir, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, render(bytes, variant));
    console.log(`wrote ${relative(process.cwd(), target)} (${bytes.length} bytes of WebAssembly)`);
  }
}
