/**
 * The committed module.generated.ts is what the AssemblyScript source compiles to now:
 * the build is rebuilt into a temporary file and compared byte for byte (asc's output
 * is deterministic), so a source change without `npm run build:wasm` fails here.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('wasm module build', () => {
  it('the committed generated module matches a fresh build of the source', () => {
    const dir = mkdtempSync(join(tmpdir(), 'seqgrad-wasm-'));
    try {
      const fresh = join(dir, 'module.generated.ts');
      execFileSync(process.execPath, ['tools/build-wasm.mjs', fresh], { stdio: 'pipe' });
      const committed = readFileSync('lib/kernels/wasm/module.generated.ts', 'utf8');
      expect(readFileSync(fresh, 'utf8') === committed, 'module.generated.ts is stale: run npm run build:wasm').toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
