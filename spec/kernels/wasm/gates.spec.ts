/**
 * The WebAssembly fused LSTM and GRU steps, forward and backward, against the
 * reference: hidden sizes that are and are not multiples of the vector width, one and
 * several rows, pre-activations large enough to saturate the gates.
 */
import { describe, it } from 'vitest';
import { referenceKernels as ref } from '../../../lib/kernels/reference/index.js';
import { expectAllClose, freshWasm, randomF32 } from '../../support/kernels.js';

const SIZES: readonly [number, number][] = [[1, 1], [1, 6], [3, 5], [2, 64], [4, 67]];

describe('wasm fused gates', () => {
  const wasm = freshWasm();

  it('lstmGates and lstmGatesBackward match the reference', () => {
    for (const [batch, hidden] of SIZES) {
      const cells = batch * hidden;
      const gates = randomF32(4 * cells, batch + hidden, 6);
      const c = randomF32(cells, 2, 2);
      const dy = randomF32(2 * cells, 3);
      const [got, want] = [new Float32Array(2 * cells), new Float32Array(2 * cells)];
      wasm.lstmGates(gates, c, got, batch, hidden);
      ref.lstmGates(gates, c, want, batch, hidden);
      expectAllClose(got, want, 1e-5, 1e-6, `lstm ${batch}×${hidden}`);
      const [dg1, dg2, dc1, dc2] = [new Float32Array(4 * cells), new Float32Array(4 * cells), new Float32Array(cells), new Float32Array(cells)];
      wasm.lstmGatesBackward(gates, c, dy, dg1, dc1, batch, hidden);
      ref.lstmGatesBackward(gates, c, dy, dg2, dc2, batch, hidden);
      expectAllClose(dg1, dg2, 1e-4, 1e-6, `lstm dGates ${batch}×${hidden}`);
      expectAllClose(dc1, dc2, 1e-4, 1e-6, `lstm dc ${batch}×${hidden}`);
    }
  });

  it('gruGates and gruGatesBackward match the reference', () => {
    for (const [batch, hidden] of SIZES) {
      const cells = batch * hidden;
      const xg = randomF32(3 * cells, 5, 4);
      const hg = randomF32(3 * cells, 6, 4);
      const h = randomF32(cells, 7);
      const dy = randomF32(cells, 8);
      const [got, want] = [new Float32Array(cells), new Float32Array(cells)];
      wasm.gruGates(xg, hg, h, got, batch, hidden);
      ref.gruGates(xg, hg, h, want, batch, hidden);
      expectAllClose(got, want, 1e-5, 1e-6, `gru ${batch}×${hidden}`);
      const outs = () => [new Float32Array(3 * cells), new Float32Array(3 * cells), new Float32Array(cells)] as const;
      const [dx1, dh1, dhh1] = outs();
      const [dx2, dh2, dhh2] = outs();
      wasm.gruGatesBackward(xg, hg, h, dy, dx1, dh1, dhh1, batch, hidden);
      ref.gruGatesBackward(xg, hg, h, dy, dx2, dh2, dhh2, batch, hidden);
      expectAllClose(dx1, dx2, 1e-4, 1e-6, `gru dxg ${batch}×${hidden}`);
      expectAllClose(dh1, dh2, 1e-4, 1e-6, `gru dhg ${batch}×${hidden}`);
      expectAllClose(dhh1, dhh2, 1e-4, 1e-6, `gru dh ${batch}×${hidden}`);
    }
  });

  it('gruResetGates, gruUpdate and their backward passes (reset-before) match the reference', () => {
    for (const [batch, hidden] of SIZES) {
      const cells = batch * hidden;
      const xg = randomF32(3 * cells, 11, 4);
      const hrz = randomF32(2 * cells, 12, 4);
      const [h, hn, z] = [randomF32(cells, 13), randomF32(cells, 14, 3), randomF32(cells, 15)];
      const [dy2, dy] = [randomF32(2 * cells, 16), randomF32(cells, 17)];
      const pair = (n: number) => [new Float32Array(n), new Float32Array(n)] as const;
      const [rz1, rz2] = pair(2 * cells);
      wasm.gruResetGates(xg, hrz, h, rz1, batch, hidden);
      ref.gruResetGates(xg, hrz, h, rz2, batch, hidden);
      expectAllClose(rz1, rz2, 1e-5, 1e-6, `reset gates ${batch}×${hidden}`);
      const [[dr1, dr2], [dh1, dh2]] = [pair(2 * cells), pair(cells)];
      wasm.gruResetGatesBackward(xg, hrz, h, dy2, dr1, dh1, batch, hidden);
      ref.gruResetGatesBackward(xg, hrz, h, dy2, dr2, dh2, batch, hidden);
      expectAllClose(dr1, dr2, 1e-4, 1e-6, `reset dhrz ${batch}×${hidden}`);
      expectAllClose(dh1, dh2, 1e-4, 1e-6, `reset dh ${batch}×${hidden}`);
      const [u1, u2] = pair(cells);
      wasm.gruUpdate(xg, hn, z, h, u1, batch, hidden);
      ref.gruUpdate(xg, hn, z, h, u2, batch, hidden);
      expectAllClose(u1, u2, 1e-5, 1e-6, `update ${batch}×${hidden}`);
      const [[un1, un2], [uz1, uz2], [uh1, uh2]] = [pair(cells), pair(cells), pair(cells)];
      wasm.gruUpdateBackward(xg, hn, z, h, dy, un1, uz1, uh1, batch, hidden);
      ref.gruUpdateBackward(xg, hn, z, h, dy, un2, uz2, uh2, batch, hidden);
      for (const [a, b, what] of [[un1, un2, 'dhn'], [uz1, uz2, 'dz'], [uh1, uh2, 'dh']] as const) {
        expectAllClose(a, b, 1e-4, 1e-6, `update ${what} ${batch}×${hidden}`);
      }
    }
  });

  it('the one-call reset-before step and its backward match the reference, before and after the weight is resident', () => {
    // 4 rows and more take the one call once the weight's packed blocks are resident (from
    // the second call on); fewer, or the first call, go kernel by kernel: both are checked
    for (const [batch, hidden] of [[4, 8], [6, 13], [32, 20], [2, 7]] as const) {
      const cells = batch * hidden;
      const xg = randomF32(3 * cells, 21, 3);
      const h = randomF32(cells, 22);
      const w = randomF32(3 * hidden * hidden, 23, 0.5);
      const dy = randomF32(cells, 24);
      const run = (k: typeof ref, withDh: boolean) => {
        const [saved, out] = [new Float32Array(5 * cells), new Float32Array(cells)];
        k.gruBeforeStep(xg, h, w, saved, out, batch, hidden);
        const [dxg, dhrz, dhn, dh] = [new Float32Array(3 * cells), new Float32Array(2 * cells), new Float32Array(cells), new Float32Array(cells)];
        k.gruBeforeStepBackward(xg, saved, h, dy, w, dxg, dhrz, dhn, dh, withDh, batch, hidden);
        return { saved, out, dxg, dhrz, dhn, dh };
      };
      for (const call of ['first', 'second', 'third']) {
        for (const withDh of [true, false]) {
          const [got, want] = [run(wasm, withDh), run(ref, withDh)];
          for (const name of ['saved', 'out', 'dxg', 'dhrz', 'dhn', 'dh'] as const) {
            expectAllClose(got[name], want[name], 1e-4, 1e-5, `${call} call, ${batch}×${hidden}, withDh ${withDh}: ${name}`);
          }
        }
      }
    }
  });
});
