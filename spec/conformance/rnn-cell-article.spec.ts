/**
 * Every PyTorch reference file under rnn/, cell/ and article/ runs through the
 * conformance runner in float64 (1e-8 relative) and float32 (1e-4 relative): outputs,
 * the loss and every gradient must match. The runner also refuses a file of a kind it
 * does not know.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatResult, runFile, runFixture } from '../../tools/conformance/runner.js';
import { FIXTURES, fixtureFiles } from '../support/fixtures.js';

const files = ['rnn', 'cell', 'article'].flatMap((folder) => fixtureFiles(folder));

describe('conformance of rnn/, cell/ and article/', () => {
  it('finds the reference files', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
  });

  for (const file of files) {
    for (const dtype of ['float64', 'float32'] as const) {
      it(`${file} in ${dtype}`, () => {
        const result = runFile(join(FIXTURES, file), dtype);
        expect(result.ok, formatResult(result, FIXTURES)).toBe(true);
        expect(result.worst!.error).toBeLessThanOrEqual(dtype === 'float64' ? 1e-8 : 1e-4);
      });
    }
  }

  it('fails a file whose config kind no checker knows, with the reason', () => {
    const result = runFixture({ name: 'mystery', config: { kind: 'QRNN' } }, 'mystery.json', 'float64');
    expect(result.ok).toBe(false);
    expect(result.reason).toMatch(/no checker knows this kind of file/);
  });

  it('fails a file whose numbers are off, naming the tensor', () => {
    const file = join(FIXTURES, 'cell/gru_cell.json');
    const f = JSON.parse(JSON.stringify(runFileFixture(file)));
    f.grads.weight_hh.data[3] += 1e-3;
    const result = runFixture(f, file, 'float64');
    expect(result.ok).toBe(false);
    expect(result.worst!.name).toBe('grads.weight_hh');
  });
});

/** The parsed file. */
const runFileFixture = (path: string): Record<string, any> => JSON.parse(readFileSync(path, 'utf8'));
