/**
 * PyTorch's layout of multi-layer recurrent modules, as data: the constructor
 * settings, the state_dict names and shapes of every parameter
 * (`weight_ih_l{k}[_reverse]`, `weight_hh_...`, `bias_ih_...`, `bias_hh_...`,
 * `weight_hr_...`), and the `[layers·directions, batch, hidden]` state tensors indexed
 * `layer·directions + direction`. The builders translate between this layout and the
 * combinators; nothing here computes.
 *
 * @module
 */
import { SeqgradError, showShape } from '../../tensor/errors.js';
import type { Shape } from '../../tensor/shape.js';
import { isTensor, type Tensor } from '../../tensor/tensor.js';
import { checkSize } from '../init.js';

/**
 * Constructor settings of `rnn`, `lstm` and `gru`, as PyTorch's (camel-cased).
 *
 * @example
 * ```ts
 * // torch.nn.LSTM(input_size=3, hidden_size=6, num_layers=2, proj_size=2, batch_first=True)
 * const model = torch.lstm({ inputSize: 3, hiddenSize: 6, numLayers: 2, projSize: 2 });
 * ```
 */
export interface TorchConfig {
  /** Features per time step of the input (`input_size`). */
  readonly inputSize: number;
  /** Units of the hidden state (`hidden_size`). */
  readonly hiddenSize: number;
  /** Number of stacked layers (`num_layers`, default 1). */
  readonly numLayers?: number;
  /** Run each layer both ways and concatenate (`bidirectional`, default false). */
  readonly bidirectional?: boolean;
  /** Include `bias_ih` and `bias_hh` (`bias`, default true). */
  readonly bias?: boolean;
  /** RNN only: `tanh` (default) or `relu` (`nonlinearity`). */
  readonly nonlinearity?: 'tanh' | 'relu';
  /** LSTM only: project h to this many units (`proj_size`, default 0: none). */
  readonly projSize?: number;
  /** Dropout between layers while training (`dropout`, default 0). */
  readonly dropout?: number;
}

/** A parameter record with PyTorch's state_dict names, e.g. `weight_ih_l0`, `bias_hh_l1_reverse`. */
export type StateDict = Readonly<Record<string, Tensor>>;

/** The three module kinds, as PyTorch names them. */
export type TorchKind = 'RNN' | 'LSTM' | 'GRU';

/** A configuration with every default filled in. @internal */
export interface ResolvedConfig {
  readonly kind: TorchKind;
  readonly op: string;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly directions: 1 | 2;
  readonly bias: boolean;
  readonly nonlinearity: 'tanh' | 'relu';
  readonly projSize: number;
  readonly dropout: number;
}

/** The parameter names of one direction of one layer, in PyTorch's order. @internal */
export const BASES = ['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh', 'weight_hr'] as const;

/** One of the per-direction parameter names without its suffix. @internal */
export type BaseName = (typeof BASES)[number];

// ---------------------------------------------------------------------------
// configuration
// ---------------------------------------------------------------------------

/** Fills defaults and checks a configuration, naming the builder (`torch.lstm`, ...). @internal */
export const resolveConfig = (kind: TorchKind, config: TorchConfig): ResolvedConfig => {
  const op = `torch.${kind.toLowerCase()}`;
  if (typeof config !== 'object' || config === null) throw new SeqgradError(op, 'needs a config { inputSize, hiddenSize, ... }');
  const { inputSize, hiddenSize, numLayers = 1, bidirectional = false, bias = true, nonlinearity = 'tanh', projSize = 0, dropout = 0 } = config;
  for (const [name, n] of Object.entries({ inputSize, hiddenSize, numLayers })) checkSize(op, name, n);
  if (!Number.isInteger(projSize) || projSize < 0 || (projSize > 0 && (kind !== 'LSTM' || projSize >= hiddenSize))) {
    throw new SeqgradError(op, `projSize must be 0, or (LSTM only) an integer in [1, hiddenSize ${hiddenSize}), got ${projSize}`);
  }
  if (nonlinearity !== 'tanh' && nonlinearity !== 'relu') throw new SeqgradError(op, `nonlinearity must be 'tanh' or 'relu', got ${JSON.stringify(nonlinearity)}`);
  if (kind !== 'RNN' && config.nonlinearity !== undefined) throw new SeqgradError(op, 'nonlinearity applies to rnn only');
  if (!(dropout >= 0 && dropout < 1)) throw new SeqgradError(op, `dropout must lie in [0, 1), got ${dropout}`);
  return { kind, op, inputSize, hiddenSize, numLayers, directions: bidirectional ? 2 : 1, bias, nonlinearity, projSize, dropout };
};

// ---------------------------------------------------------------------------
// names and shapes
// ---------------------------------------------------------------------------

/** `weight_ih_l0`, `bias_hh_l1_reverse`, ... @internal */
export const paramName = (base: BaseName, layer: number, direction: number): string => `${base}_l${layer}${direction === 1 ? '_reverse' : ''}`;

/** Width of the hidden state as it leaves a layer (the projection size when there is one). @internal */
export const outputSize = (c: ResolvedConfig): number => c.projSize || c.hiddenSize;

/** The shapes of one direction of layer `layer`, by base name (absent names are not parameters). @internal */
export const directionShapes = (c: ResolvedConfig, layer: number): Partial<Record<BaseName, Shape>> => {
  const rows = { RNN: 1, LSTM: 4, GRU: 3 }[c.kind] * c.hiddenSize;
  const input = layer === 0 ? c.inputSize : c.directions * outputSize(c);
  return {
    weight_ih: [rows, input],
    weight_hh: [rows, outputSize(c)],
    ...(c.bias ? { bias_ih: [rows], bias_hh: [rows] } : {}),
    ...(c.projSize ? { weight_hr: [c.projSize, c.hiddenSize] } : {}),
  };
};

/** Every state_dict name with its shape, in PyTorch's order. @internal */
export const stateDictShapes = (c: ResolvedConfig): [string, Shape][] =>
  range(c.numLayers).flatMap((l) => range(c.directions).flatMap((d) =>
    BASES.flatMap((b) => {
      const shape = directionShapes(c, l)[b];
      return shape ? [[paramName(b, l, d), shape] as [string, Shape]] : [];
    })));

/** Checks that `params` holds exactly the configured names with their shapes. @internal */
export const checkStateDict = (c: ResolvedConfig, params: StateDict): void => {
  if (typeof params !== 'object' || params === null) throw new SeqgradError(c.op, 'params must be a record of state_dict tensors');
  const expected = stateDictShapes(c);
  for (const [name, shape] of expected) {
    const t = params[name];
    if (!isTensor(t)) throw new SeqgradError(c.op, `params has no tensor ${name} (expected shape ${showShape(shape)})`);
    if (t.rank !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      throw new SeqgradError(c.op, `params.${name} has shape ${showShape(t.shape)} but the config needs ${showShape(shape)}`);
    }
  }
  const known = new Set(expected.map(([n]) => n));
  const extra = Object.keys(params).filter((n) => !known.has(n));
  if (extra.length > 0) throw new SeqgradError(c.op, `params has entries the config does not use: ${extra.join(', ')}`);
};

/** Checks an initial state `[layers·directions, batch, width]`. @internal */
export const checkInitialState = (c: ResolvedConfig, name: string, s: Tensor, batch: number, width: number): void => {
  const want = [c.numLayers * c.directions, batch, width];
  if (!isTensor(s) || s.rank !== 3 || s.shape.some((d, i) => d !== want[i])) {
    throw new SeqgradError(c.op, `${name} has ${isTensor(s) ? `shape ${showShape(s.shape)}` : typeof s} but needs ${showShape(want)} (numLayers·numDirections, batch, ${name === 'c0' ? 'hiddenSize' : 'output size'})`);
  }
};

/** `0 .. n-1`. @internal */
export const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
