/**
 * The layer-normalised LSTM of Ba, Kiros and Hinton (2016, "Layer Normalization",
 * section 3.1): the input and hidden contributions to the gates are each normalised
 * over all 4·hidden gate units before they are summed, and the cell state is
 * normalised before the output tanh:
 *
 *   (i, f, g, o) = LN(x·W_ihᵀ; α₁, β₁) + LN(h·W_hhᵀ; α₂, β₂) + b,
 *   c' = σ(f)·c + σ(i)·tanh(g),   h' = σ(o)·tanh(LN(c'; α₃, β₃)).
 *
 * Gate order and weight layout are PyTorch's LSTM ones; the gains and shifts are
 * layer-norm parameter records `{ weight, bias }`.
 *
 * @module
 */
import { add, mul } from '../../ops/arithmetic.js';
import { matmul } from '../../ops/matmul.js';
import { split } from '../../ops/shape.js';
import { sigmoid, tanh } from '../../ops/unary.js';
import { SeqgradError, showShape } from '../../tensor/errors.js';
import { splitKey, type Key } from '../../tensor/random.js';
import { isTensor, type Tensor } from '../../tensor/tensor.js';
import type { Cell } from '../cell.js';
import { initWeight, pytorchUniform } from '../init.js';
import { initLayerNorm, layerNorm, type LayerNormParams } from '../layer-norm.js';
import { checkSizes, checkState, checkStep, setBlock, zeroState, type CellSizes } from './gated.js';
import type { LstmCarry } from './lstm.js';

/** Parameters of the layer-normalised LSTM. */
export interface LayerNormLstmParams {
  /** Input weights `[4·hidden, input]`, gates i, f, g, o. */
  readonly weight_ih: Tensor;
  /** Hidden weights `[4·hidden, hidden]`. */
  readonly weight_hh: Tensor;
  /** Gate bias `[4·hidden]` (b), or null without bias. */
  readonly bias: Tensor | null;
  /** Layer norm of the input contribution (α₁, β₁: `[4·hidden]`). */
  readonly ln_ih: LayerNormParams;
  /** Layer norm of the hidden contribution (α₂, β₂: `[4·hidden]`). */
  readonly ln_hh: LayerNormParams;
  /** Layer norm of the cell state before the output tanh (α₃, β₃: `[hidden]`). */
  readonly ln_c: LayerNormParams;
}

/** Options of the `layerNormLstm` cell. */
export interface LayerNormLstmOptions {
  /** Added to the variance inside each layer norm (default 1e-5). */
  readonly eps?: number;
}

/**
 * A layer-normalised LSTM cell (Ba et al. 2016); gains start at 1, shifts at 0.
 *
 * @example
 * ```ts
 * const cell = layerNormLstm();
 * const p = cell.init(key(0), { inputSize: 3, hiddenSize: 4, initializer: { forgetBias: 1 } });
 * const { outputs } = recurrent(cell)(p, x);   // x: [batch, time, 3] -> outputs [batch, time, 4]
 * ```
 */
export const layerNormLstm = (options: LayerNormLstmOptions = {}): Cell<LayerNormLstmParams, LstmCarry, CellSizes> => {
  const eps = options.eps ?? 1e-5;
  const ln = (v: Tensor, p: LayerNormParams): Tensor => layerNorm(v, p, { eps });
  return {
    name: 'layerNormLstm',
    init: (k, sizes) => initLayerNormLstm(k, sizes),
    initialCarry: (p, batch) => ({
      h: zeroState(p.weight_hh, batch, p.weight_hh.shape[1]!),
      c: zeroState(p.weight_hh, batch, p.weight_hh.shape[1]!),
    }),
    step: (p, carry, x) => {
      check(p, carry, x);
      const xs = ln(matmul(x, p.weight_ih, { transposeB: true }), p.ln_ih);
      const hs = ln(matmul(carry.h, p.weight_hh, { transposeB: true }), p.ln_hh);
      const gates = p.bias ? add(add(xs, hs), p.bias) : add(xs, hs);
      const [i, f, g, o] = split(gates, 4, 1);
      const c = add(mul(sigmoid(f), carry.c), mul(sigmoid(i), tanh(g)));
      const h = mul(sigmoid(o), tanh(ln(c, p.ln_c)));
      return [{ h, c }, h];
    },
  };
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

const initLayerNormLstm = (k: Key, sizes: CellSizes): LayerNormLstmParams => {
  const { inputSize, hiddenSize: hidden, bias = true, dtype = 'float32', initializer = {} } = checkSizes('layerNormLstm', sizes);
  const [kih, khh, kb] = splitKey(k, 3);
  const options = { dtype, hiddenSize: hidden, blocks: 4 };
  const drawn = bias ? pytorchUniform(kb, [4 * hidden], hidden, { dtype }) : null;
  // one bias b here (PyTorch's two are summed), so the forget block simply takes the value
  const b = drawn && initializer.forgetBias !== undefined ? setBlock(drawn, 1, hidden, initializer.forgetBias) : drawn;
  return {
    weight_ih: initWeight(initializer.inputWeights ?? 'uniform', kih, [4 * hidden, inputSize], options),
    weight_hh: initWeight(initializer.hiddenWeights ?? 'uniform', khh, [4 * hidden, hidden], options),
    bias: b,
    ln_ih: initLayerNorm(4 * hidden, { dtype }),
    ln_hh: initLayerNorm(4 * hidden, { dtype }),
    ln_c: initLayerNorm(hidden, { dtype }),
  };
};

const check = (p: LayerNormLstmParams, carry: LstmCarry, x: Tensor): void => {
  if (typeof carry !== 'object' || carry === null || isTensor(carry)) {
    throw new SeqgradError('layerNormLstm', 'the carry must be a record { h, c }');
  }
  checkStep('layerNormLstm', { weight_ih: p.weight_ih, weight_hh: p.weight_hh, bias_ih: p.bias, bias_hh: null }, 4, x, carry.h);
  const hidden = p.weight_hh.shape[0]! / 4;
  if (p.weight_hh.shape[1] !== hidden) {
    throw new SeqgradError('layerNormLstm', `weight_hh has shape ${showShape(p.weight_hh.shape)} but needs [${4 * hidden}, ${hidden}]`);
  }
  checkState('layerNormLstm', 'c', carry.c, [x.shape[0]!, hidden]);
};
