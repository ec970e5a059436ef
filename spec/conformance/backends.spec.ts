/**
 * The PyTorch reference files of rnn/ and cell/ on each backend named explicitly. The
 * other conformance specs run on the default backend (WebAssembly unless
 * SEQGRAD_BACKEND=js), so here float32 runs under `useBackend('wasm')` and under
 * `useBackend('js')`, each within the runner's 1e-4; the gated files must reach the
 * WebAssembly fused gate kernels with float32 data (at these fixture sizes many
 * products and maps fall below the module's size thresholds and run in the reference;
 * spec/kernels/agreement*.spec.ts cover them at sizes above). Float64 runs the
 * reference's code on either backend, so its results are bit-for-bit the same.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { formatResult, runFile, type FileResult } from '../../tools/conformance/runner.js';
import { kernels } from '../../lib/kernels/index.js';
import { backendName, useBackend, type BackendName } from '../../lib/index.js';
import { FIXTURES, fixtureFiles } from '../support/fixtures.js';

const initial = backendName() as BackendName;
const files = ['rnn', 'cell'].flatMap((folder) => fixtureFiles(folder));

/** Runs `file` in `dtype` on `backend`, counting the float32 calls of the fused gate kernels. */
const runOn = (backend: BackendName, file: string, dtype: 'float32' | 'float64'): { result: FileResult; gateCalls: number } => {
  useBackend(backend);
  expect(backendName()).toBe(backend);
  const active = kernels();
  const spies = (['lstmGates', 'lstmGatesBackward', 'gruGates', 'gruGatesBackward', 'gruResetGates', 'gruUpdate'] as const).map((name) => vi.spyOn(active, name));
  try {
    const result = runFile(join(FIXTURES, file), dtype);
    const gateCalls = spies.reduce((n, spy) => n + spy.mock.calls.filter((args) => args[0] instanceof Float32Array).length, 0);
    return { result, gateCalls };
  } finally {
    spies.forEach((spy) => spy.mockRestore());
  }
};

describe('conformance of rnn/ and cell/ on each backend', () => {
  afterAll(() => useBackend(initial));

  it('the default backend, which the other conformance specs use, is wasm unless SEQGRAD_BACKEND=js', () => {
    expect(initial).toBe(process.env.SEQGRAD_BACKEND === 'js' ? 'js' : 'wasm');
  });

  it('finds the reference files', () => {
    expect(files.length).toBeGreaterThanOrEqual(14);
  });

  for (const file of files) {
    it(`${file}: float32 on wasm and on js, float64 the same on both`, () => {
      for (const backend of ['wasm', 'js'] as const) {
        const { result, gateCalls } = runOn(backend, file, 'float32');
        expect(result.ok, `${backend}: ${formatResult(result, FIXTURES)}`).toBe(true);
        expect(result.worst!.error).toBeLessThanOrEqual(1e-4);
        // lstm_*, gru_* (rnn/ and cell/) go through the fused gates; the Elman RNN does not
        if (/(lstm|gru)/.test(file)) expect(gateCalls, `${backend}: float32 fused gate calls`).toBeGreaterThan(0);
      }
      const [onWasm, onJs] = (['wasm', 'js'] as const).map((backend) => runOn(backend, file, 'float64').result);
      expect(onWasm!.ok, formatResult(onWasm!, FIXTURES)).toBe(true);
      expect(onWasm!.worst, 'float64 on wasm is the reference computation').toEqual(onJs!.worst);
    });
  }
});
