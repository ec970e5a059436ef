/**
 * Builds the browser demo (examples/browser) into a static folder: index.html, the page's
 * script (ui.js) and the worker's (worker.js), each bundled by esbuild with seqgrad's
 * core entry, the names model and task code of examples/names, and the two @stdlib
 * name lists (their packages' `browser` entries read the names from JSON, which
 * esbuild inlines, so the page needs no file system and no request for data).
 * The output folder, .tmp/demo, is git-ignored; tools/serve-demo.mjs serves it.
 *
 * Usage: node tools/build-demo.mjs [outDir]   (npm run demo builds and serves)
 */
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'examples', 'browser');
/** Where the demo is built unless told otherwise. */
export const DEMO_DIR = join(root, '.tmp', 'demo');

/** Bundles the demo into `outDir` (emptied first) and returns the folder and the files' sizes in bytes. */
export const buildDemo = async (outDir = DEMO_DIR) => {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const result = await build({
    entryPoints: { ui: join(source, 'ui.ts'), worker: join(source, 'worker.ts') },
    outdir: outDir,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
    // the worker is an ES module worker; both files load without top-level await
    supported: { 'top-level-await': false },
  });
  await copyFile(join(source, 'index.html'), join(outDir, 'index.html'));
  const sizes = Object.fromEntries(Object.entries(result.metafile.outputs)
    .filter(([file]) => file.endsWith('.js'))
    .map(([file, info]) => [relative(outDir, resolve(root, file)), info.bytes]));
  return { dir: outDir, sizes };
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { dir, sizes } = await buildDemo(process.argv[2] === undefined ? undefined : resolve(process.argv[2]));
  const list = Object.entries(sizes).map(([file, bytes]) => `${file} ${(bytes / 1024).toFixed(0)} KB`).join(', ');
  console.log(`built the browser demo into ${relative(process.cwd(), dir) || '.'} (${list})`);
}
