/**
 * The committed generated modules (module.generated.ts and the shared-memory variant
 * threads/module-shared.generated.ts) are what the AssemblyScript source compiles to
 * now: both are rebuilt into a temporary folder and compared byte for byte (asc's
 * output is deterministic), so a source change without `npm run build:wasm` fails here.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('wasm module build', () => {
  it('the committed generated modules match a fresh build of the source', () => {
    const dir = mkdtempSync(join(tmpdir(), 'seqgrad-wasm-'));
    try {
      execFileSync(process.execPath, ['tools/build-wasm.mjs', dir], { stdio: 'pipe' });
      for (const path of ['lib/kernels/wasm/module.generated.ts', 'lib/kernels/wasm/threads/module-shared.generated.ts']) {
        const committed = readFileSync(path, 'utf8');
        expect(readFileSync(join(dir, path), 'utf8') === committed, `${path} is stale: run npm run build:wasm`).toBe(true);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
