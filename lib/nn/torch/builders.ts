/**
 * `rnn`, `lstm` and `gru` with PyTorch's module semantics: a config like
 * `torch.nn.LSTM`'s, parameters keyed by state_dict names, `(x, h0[, c0]) -> (y, hn[, cn])`
 * with batch-first `x` and states `[layers·directions, batch, hidden]`, and packed
 * sequences through `lengths`. Each is a thin renaming over the combinators: one cell,
 * `recurrent`, `bidirectional(…, 'concat')` when bidirectional, and `stacked` with
 * dropout between layers — so a PyTorch checkpoint's tensors drive the same code as
 * every other model here.
 *
 * @module
 */
import { stack, slice, squeeze } from '../../ops/shape.js';
import type { DType } from '../../tensor/dtype.js';
import { SeqgradError, showShape } from '../../tensor/errors.js';
import { splitKey, type Key } from '../../tensor/random.js';
import { isTensor, type Tensor } from '../../tensor/tensor.js';
import { bidirectional, type Directions } from '../bidirectional.js';
import type { Cell } from '../cell.js';
import { gru as gruCell } from '../cells/gru.js';
import { lstm as lstmCell, type LstmCarry, type LstmParams } from '../cells/lstm.js';
import { rnn as rnnCell } from '../cells/rnn.js';
import type { CellSizes } from '../cells/gated.js';
import { checkSequence, recurrent, type SequenceLayer } from '../recurrent.js';
import { stacked } from '../stacked.js';
import type { Lengths } from '../../tensor/lengths.js';
import {
  checkInitialState, checkStateDict, directionShapes, outputSize, paramName, range, resolveConfig,
  type BaseName, type ResolvedConfig, type StateDict, type TorchConfig,
} from './layout.js';

/** Options of a PyTorch-layout module call. */
export interface TorchCallOptions {
  /** Initial hidden state `[layers·directions, batch, output]` (default zeros). */
  readonly h0?: Tensor;
  /** LSTM only: initial cell state `[layers·directions, batch, hidden]` (default zeros). */
  readonly c0?: Tensor;
  /** Valid length of each batch row (PyTorch's packed sequences): numbers or an int32 tensor. */
  readonly lengths?: Lengths;
  /** Apply the configured dropout between layers (default false). */
  readonly train?: boolean;
  /** The dropout key, needed when `train` is true and dropout is above 0. */
  readonly key?: Key;
}

/** What a PyTorch-layout module returns. */
export interface TorchOutput {
  /** The last layer's outputs `[batch, time, directions·output]`, zero past each length. */
  readonly y: Tensor;
  /** Final hidden states `[layers·directions, batch, output]`. */
  readonly hn: Tensor;
  /** LSTM only: final cell states `[layers·directions, batch, hidden]`. */
  readonly cn?: Tensor;
}

/** A recurrent module in PyTorch's layout. */
export interface TorchRecurrent {
  /** The configuration with its defaults filled in. */
  readonly config: Readonly<Required<TorchConfig>>;
  /** Fresh parameters (PyTorch's uniform ±1/√hidden), keyed and ordered as PyTorch's state_dict. */
  readonly init: (key: Key, dtype?: DType) => StateDict;
  /** Runs the module: `x [batch, time, input]` to `{ y, hn, cn }`. */
  readonly apply: (params: StateDict, x: Tensor, options?: TorchCallOptions) => TorchOutput;
}

// ---------------------------------------------------------------------------
// builders
// ---------------------------------------------------------------------------

/**
 * `torch.nn.RNN` (tanh or relu).
 *
 * @example
 * ```ts
 * const model = torch.rnn({ inputSize: 4, hiddenSize: 5, numLayers: 2, nonlinearity: 'relu' });
 * const params = model.init(key(0), 'float64');       // weight_ih_l0, weight_hh_l0, bias_ih_l0, ...
 * const { y, hn } = model.apply(params, x, { h0 });    // x: [batch, time, 4]; h0: [2, batch, 5]
 * ```
 */
export const rnn = (config: TorchConfig): TorchRecurrent => {
  const c = resolveConfig('RNN', config);
  return build(c, rnnCell({ nonlinearity: c.nonlinearity }), hiddenOnly);
};

/**
 * `torch.nn.LSTM`, with `projSize` for projected LSTMs.
 *
 * @example
 * ```ts
 * const model = torch.lstm({ inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true });
 * const params = model.init(key(0));                    // ..., weight_hh_l1_reverse, bias_hh_l1_reverse
 * const { y, hn, cn } = model.apply(params, x, { lengths: [6, 4, 1] });   // y: [3, 6, 8]; hn, cn: [4, 3, 4]
 * ```
 */
export const lstm = (config: TorchConfig): TorchRecurrent => {
  const c = resolveConfig('LSTM', config);
  return build(c, lstmCell({ projSize: c.projSize }), hiddenAndCell);
};

/**
 * `torch.nn.GRU` (the reset-after convention, as PyTorch).
 *
 * @example
 * ```ts
 * const model = torch.gru({ inputSize: 3, hiddenSize: 4, numLayers: 2, dropout: 0.1 });
 * const params = model.init(key(0));
 * const { y, hn } = model.apply(params, x, { train: true, key: key(1) });
 * ```
 */
export const gru = (config: TorchConfig): TorchRecurrent => {
  const c = resolveConfig('GRU', config);
  return build(c, gruCell({ convention: 'reset-after' }), hiddenOnly);
};

// ---------------------------------------------------------------------------
// the shared construction
// ---------------------------------------------------------------------------

/** How a cell's carry maps to the module's h and c states. */
interface StateAdapter<C> {
  readonly toCarry: (h: Tensor | null, c: Tensor | null, zero: C) => C;
  readonly fromCarry: (carry: C) => { readonly h: Tensor; readonly c: Tensor | null };
}

const hiddenOnly: StateAdapter<Tensor> = {
  toCarry: (h, _c, zero) => h ?? zero,
  fromCarry: (h) => ({ h, c: null }),
};

const hiddenAndCell: StateAdapter<LstmCarry> = {
  toCarry: (h, c, zero) => ({ h: h ?? zero.h, c: c ?? zero.c }),
  fromCarry: (carry) => carry,
};

type LayerParams = LstmParams | Directions<LstmParams>;

const build = <C>(c: ResolvedConfig, cell: Cell<LstmParams, C, CellSizes>, state: StateAdapter<C>): TorchRecurrent => {
  const unit = recurrent(cell);
  const layer = (c.directions === 2 ? bidirectional(unit, 'concat') : unit) as SequenceLayer<LayerParams, C | Directions<C>>;
  const deep = stacked(range(c.numLayers).map(() => layer), { dropout: c.dropout });
  const config = { inputSize: c.inputSize, hiddenSize: c.hiddenSize, numLayers: c.numLayers, bidirectional: c.directions === 2,
    bias: c.bias, nonlinearity: c.nonlinearity, projSize: c.projSize, dropout: c.dropout };
  return {
    config,
    init: (k, dtype = 'float32') => initStateDict(c, cell, k, dtype),
    apply: (params, x, options = {}) => {
      checkInputs(c, params, x, options);
      const perLayer = range(c.numLayers).map((l) => directionsOf(c, (d) => cellParams(c, params, l, d)));
      const carries = initialCarries(c, cell, state, params, x, options);
      const { outputs, carry } = deep(perLayer, x, { lengths: options.lengths, initialCarry: carries, train: options.train, key: options.key });
      const finals = carry.flatMap((lc) => (c.directions === 2 ? [(lc as Directions<C>).forward, (lc as Directions<C>).backward] : [lc as C])).map(state.fromCarry);
      const hn = stack(finals.map((f) => f.h), 0);
      return c.kind === 'LSTM' ? { y: outputs, hn, cn: stack(finals.map((f) => f.c!), 0) } : { y: outputs, hn };
    },
  };
};

/** One value per direction: the value itself, or `{ forward, backward }`. */
const directionsOf = <T>(c: ResolvedConfig, of: (direction: number) => T): T | Directions<T> =>
  c.directions === 2 ? { forward: of(0), backward: of(1) } : of(0);

/** The cell params of direction `d` of layer `l`, read from the state_dict. */
const cellParams = (c: ResolvedConfig, params: StateDict, l: number, d: number): LstmParams => {
  const get = (b: BaseName): Tensor | null => params[paramName(b, l, d)] ?? null;
  const base = { weight_ih: get('weight_ih')!, weight_hh: get('weight_hh')!, bias_ih: get('bias_ih'), bias_hh: get('bias_hh') };
  return c.projSize ? { ...base, weight_hr: get('weight_hr') } : base;
};

/** Per-layer initial carries sliced from h0 and c0 (the zero carry fills in a missing one), or undefined when neither is given. */
const initialCarries = <C>(
  c: ResolvedConfig, cell: Cell<LstmParams, C, CellSizes>, state: StateAdapter<C>,
  params: StateDict, x: Tensor, options: TorchCallOptions,
): (C | Directions<C>)[] | undefined => {
  const { h0, c0 } = options;
  if (h0 === undefined && c0 === undefined) return undefined;
  const at = (s: Tensor | undefined, i: number): Tensor | null => (s ? squeeze(slice(s, [i, 0, 0], [1, -1, -1]), 0) : null);
  return range(c.numLayers).map((l) => directionsOf(c, (d) => {
    const i = l * c.directions + d;
    return state.toCarry(at(h0, i), at(c0, i), cell.initialCarry(cellParams(c, params, l, d), x.shape[0]!));
  }));
};

const checkInputs = (c: ResolvedConfig, params: StateDict, x: Tensor, options: TorchCallOptions): void => {
  checkStateDict(c, params);
  if (!isTensor(x) || x.rank !== 3 || x.shape[2] !== c.inputSize) {
    throw new SeqgradError(c.op, `x has ${isTensor(x) ? `shape ${showShape(x.shape)}` : typeof x} but needs [batch, time, ${c.inputSize}] (batch-first, inputSize ${c.inputSize})`);
  }
  checkSequence(c.op, x, options.lengths);
  const batch = x.shape[0]!;
  if (options.h0 !== undefined) checkInitialState(c, 'h0', options.h0, batch, outputSize(c));
  if (options.c0 !== undefined) {
    if (c.kind !== 'LSTM') throw new SeqgradError(c.op, 'c0 applies to lstm only');
    checkInitialState(c, 'c0', options.c0, batch, c.hiddenSize);
  }
};

const initStateDict = <C>(c: ResolvedConfig, cell: Cell<LstmParams, C, CellSizes>, k: Key, dtype: DType): StateDict => {
  const keys = splitKey(k, c.numLayers * c.directions);
  const out: Record<string, Tensor> = {};
  for (const l of range(c.numLayers)) {
    for (const d of range(c.directions)) {
      const input = directionShapes(c, l).weight_ih![1]!;
      const p = cell.init(keys[l * c.directions + d]!, { inputSize: input, hiddenSize: c.hiddenSize, bias: c.bias, dtype });
      for (const [b, t] of Object.entries(p) as [BaseName, Tensor | null | undefined][]) if (t) out[paramName(b, l, d)] = t;
    }
  }
  return out;
};
