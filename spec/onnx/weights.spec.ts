/**
 * Parameters in ONNX's layout, checked by hand on a state_dict whose every value says
 * where it came from, and the parameter checks' errors.
 */
import { describe, expect, it } from 'vitest';
import { SeqgradError, key, tensor, torch, zeros, type Tensor } from '../../lib/index.js';
import { resolveDescription } from '../../lib/onnx/description.js';
import { checkParams, layerWeights } from '../../lib/onnx/weights.js';
import type { OnnxParams } from '../../lib/onnx/index.js';

const HIDDEN = 2;

/**
 * A state_dict of `kind` (input 1, hidden 2) whose value at gate block g, row r of a
 * tensor is `base + 10·g + r`, so a reordered copy shows which block went where.
 */
const labelled = (kind: 'LSTM' | 'GRU', directions: 1 | 2): Record<string, Tensor> => {
  const gates = kind === 'LSTM' ? 4 : 3;
  const values = (base: number, cols: number) => Array.from({ length: gates * HIDDEN * cols }, (_, i) => base + 10 * Math.floor(i / (HIDDEN * cols)) + Math.floor(i / cols) % HIDDEN);
  const out: Record<string, Tensor> = {};
  for (let d = 0; d < directions; d++) {
    const suffix = d === 1 ? '_reverse' : '';
    const at = 1000 * d;
    out[`weight_ih_l0${suffix}`] = tensor(values(at + 100, 1), { shape: [gates * HIDDEN, 1] });
    out[`weight_hh_l0${suffix}`] = tensor(values(at + 200, HIDDEN), { shape: [gates * HIDDEN, HIDDEN] });
    out[`bias_ih_l0${suffix}`] = tensor(values(at + 300, 1));
    out[`bias_hh_l0${suffix}`] = tensor(values(at + 400, 1));
  }
  return out;
};

describe('layerWeights', () => {
  it('reorders LSTM gates from i, f, g, o to ONNX i, o, f, c and writes B as [Wb, Rb]', () => {
    const c = resolveDescription('exportOnnx', { rnn: { kind: 'LSTM', inputSize: 1, hiddenSize: HIDDEN } }).rnn;
    const w = layerWeights(c, labelled('LSTM', 1), 0);
    expect(w.wDims).toEqual([1, 8, 1]);
    expect(Array.from(w.W)).toEqual([100, 101, 130, 131, 110, 111, 120, 121]);
    expect(w.rDims).toEqual([1, 8, 2]);
    expect(Array.from(w.R)).toEqual([200, 200, 201, 201, 230, 230, 231, 231, 210, 210, 211, 211, 220, 220, 221, 221]);
    expect(w.bDims).toEqual([1, 16]);
    expect(Array.from(w.B!)).toEqual([300, 301, 330, 331, 310, 311, 320, 321, 400, 401, 430, 431, 410, 411, 420, 421]);
  });

  it('reorders GRU gates from r, z, n to ONNX z, r, h and stacks the reverse direction second', () => {
    const c = resolveDescription('exportOnnx', { rnn: { kind: 'GRU', inputSize: 1, hiddenSize: HIDDEN, bidirectional: true } }).rnn;
    const w = layerWeights(c, labelled('GRU', 2), 0);
    expect(w.wDims).toEqual([2, 6, 1]);
    expect(Array.from(w.W)).toEqual([110, 111, 100, 101, 120, 121, 1110, 1111, 1100, 1101, 1120, 1121]);
    expect(w.bDims).toEqual([2, 12]);
    expect(Array.from(w.B!.slice(12))).toEqual([1310, 1311, 1300, 1301, 1320, 1321, 1410, 1411, 1400, 1401, 1420, 1421]);
  });

  it('has no B without biases, and rounds float64 parameters to float32', () => {
    const c = resolveDescription('exportOnnx', { rnn: { kind: 'RNN', inputSize: 1, hiddenSize: 1, bias: false } }).rnn;
    const w = layerWeights(c, { weight_ih_l0: tensor([[0.1]], { dtype: 'float64' }), weight_hh_l0: tensor([[0.2]], { dtype: 'float64' }) }, 0);
    expect(w.B).toBeNull();
    expect(w.W).toEqual(Float32Array.of(0.1));
  });
});

describe('checkParams names the parameter at fault', () => {
  const description = { embed: { vocabSize: 5, dim: 2 }, rnn: { kind: 'GRU', inputSize: 2, hiddenSize: 3 }, head: { outputSize: 4 } };
  const d = resolveDescription('exportOnnx', description);
  const good: OnnxParams = {
    embed: { weight: zeros([5, 2]) },
    rnn: torch.gru({ inputSize: 2, hiddenSize: 3 }).init(key(0)),
    head: { weight: zeros([4, 3]), bias: zeros([4]) },
  };
  const refusal = (params: unknown, dd = d): string => {
    try {
      checkParams('exportOnnx', dd, params as OnnxParams);
    } catch (e) {
      expect(e).toBeInstanceOf(SeqgradError);
      return (e as Error).message;
    }
    throw new Error('the params were accepted');
  };

  it('accepts parameters that fit', () => {
    expect(() => checkParams('exportOnnx', d, good)).not.toThrow();
  });

  it.each([
    ['not an object', 3, 'exportOnnx: params must be { embed?, rnn, head? }, got 3'],
    ['an unknown part', { ...good, extra: {} }, 'params has extra; it takes only embed, rnn and head'],
    ['a missing state_dict tensor', { ...good, rnn: { ...good.rnn, weight_hh_l0: undefined } }, 'exportOnnx: params.rnn: torch.gru: params has no tensor weight_hh_l0 (expected shape [9, 3])'],
    ['a state_dict tensor of the wrong shape', { ...good, rnn: { ...good.rnn, bias_ih_l0: zeros([3]) } }, 'params.rnn: torch.gru: params.bias_ih_l0 has shape [3] but the config needs [9]'],
    ['a state_dict with a layer too many', { ...good, rnn: { ...good.rnn, weight_ih_l1: zeros([9, 3]) } }, 'params has entries the config does not use: weight_ih_l1'],
    ['an int32 state_dict tensor', { ...good, rnn: { ...good.rnn, bias_hh_l0: zeros([9], { dtype: 'int32' }) } }, 'exportOnnx: params.rnn.bias_hh_l0 must be a float32 or float64 tensor, got int32'],
    ['a missing embedding', { ...good, embed: undefined }, 'params.embed.weight must be a [5, 2] tensor, got undefined'],
    ['an embedding of the wrong shape', { ...good, embed: { weight: zeros([6, 2]) } }, 'params.embed.weight has shape [6, 2] but the description needs [5, 2]'],
    ['an int32 embedding', { ...good, embed: { weight: zeros([5, 2], { dtype: 'int32' }) } }, 'params.embed.weight must be a float32 or float64 tensor, got int32'],
    ['a head of the wrong width', { ...good, head: { weight: zeros([4, 6]), bias: zeros([4]) } }, 'params.head.weight has shape [4, 6] but the description needs [4, 3]'],
    ['a head without its bias', { ...good, head: { weight: zeros([4, 3]), bias: null } }, 'params.head.bias must be a [4] tensor, got null'],
  ])('%s', (_title, params, message) => {
    expect(refusal(params)).toContain(message);
  });

  it('refuses a part the description does not have, and a head bias the description turns off', () => {
    const bare = resolveDescription('exportOnnx', { rnn: description.rnn });
    expect(refusal({ rnn: good.rnn, head: good.head }, bare)).toContain('exportOnnx: params.head is given but the description has no head');
    const noBias = resolveDescription('exportOnnx', { ...description, head: { outputSize: 4, bias: false } });
    expect(refusal(good, noBias)).toContain('params.head.bias is given but description.head.bias is false');
  });
});
