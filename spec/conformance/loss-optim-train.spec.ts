/**
 * Every PyTorch reference file of loss/, optim/ and train/ recomputed by the
 * conformance runner, in float64 (tolerance 1e-8 relative) and float32 (1e-4).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFile, toleranceFor } from '../../tools/conformance/runner.js';
import { FIXTURES, fixtureFiles } from '../support/fixtures.js';

describe.each(['loss', 'optim', 'train'])('conformance: %s', (folder) => {
  const files = fixtureFiles(folder);

  it('has reference files', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files.flatMap((f) => (['float64', 'float32'] as const).map((dtype) => [f, dtype] as const)))('%s in %s', (file, dtype) => {
    const result = runFile(join(FIXTURES, file), dtype);
    expect(result.reason, 'the file ran').toBeUndefined();
    expect(result.worst!.error, `worst relative error, in ${result.worst?.name}`).toBeLessThanOrEqual(toleranceFor(dtype));
    expect(result.ok).toBe(true);
  });
});
