/**
 * torch.rnn / torch.lstm / torch.gru: state_dict names, order and shapes as in the
 * PyTorch fixtures, outputs of fixture modules, the `layer·directions + direction`
 * state layout checked by a module that copies h0 to hn, dropout only in training,
 * and bad input naming the module and shapes.
 */
import { describe, expect, it } from 'vitest';
import { key, tensor, torch, zeros, type Tensor } from '../../../lib/index.js';
import { expectClose } from '../../support/close.js';
import { fixtureFiles, readFixture, toTensor } from '../../support/fixtures.js';

type Config = Parameters<typeof torch.lstm>[0];
const BUILD = { RNN: torch.rnn, LSTM: torch.lstm, GRU: torch.gru } as const;
const configOf = (c: Record<string, any>): Config => ({
  inputSize: c.input_size, hiddenSize: c.hidden_size, numLayers: c.num_layers, bidirectional: c.bidirectional, bias: c.bias,
  projSize: c.proj_size ?? 0, ...(c.kind === 'RNN' ? { nonlinearity: c.nonlinearity } : {}),
});
const decode = (record: Record<string, any>): Record<string, Tensor> =>
  Object.fromEntries(Object.entries(record).map(([k, v]) => [k, toTensor(v)]));

describe('PyTorch-layout builders', () => {
  for (const file of fixtureFiles('rnn')) {
    const f = readFixture(file);
    const model = BUILD[f.config.kind as keyof typeof BUILD](configOf(f.config));

    it(`${file}: init gives PyTorch's state_dict names, in order, with its shapes`, () => {
      const params = model.init(key(0), 'float64');
      expect(Object.keys(params)).toEqual(Object.keys(f.params));
      for (const [name, raw] of Object.entries<any>(f.params)) expect(params[name]!.shape, name).toEqual(raw.shape);
    });

    it(`${file}: reproduces PyTorch's outputs`, () => {
      const out = model.apply(decode(f.params), toTensor(f.inputs.x), {
        h0: toTensor(f.inputs.h0), c0: f.inputs.c0 && toTensor(f.inputs.c0), lengths: f.config.lengths,
      });
      for (const [name, raw] of Object.entries<any>(f.outputs)) expectClose((out as any)[name], toTensor(raw), 1e-10, name);
    });
  }

  it('slices h0 and stacks hn as layer·directions + direction', () => {
    // h' = relu(0·x + I·h): over one step every layer and direction returns its own initial state
    const model = torch.rnn({ inputSize: 2, hiddenSize: 2, numLayers: 2, bidirectional: true, bias: false, nonlinearity: 'relu' });
    const params = Object.fromEntries(Object.entries(model.init(key(0), 'float64')).map(([name, w]) =>
      [name, name.startsWith('weight_hh') ? tensor([[1, 0], [0, 1]], { dtype: 'float64' }) : zeros(w.shape, { dtype: 'float64' })]));
    const h0 = tensor([[[1, 2]], [[3, 4]], [[5, 6]], [[7, 8]]], { dtype: 'float64' });
    const { y, hn } = model.apply(params, zeros([1, 1, 2], { dtype: 'float64' }), { h0 });
    expect(hn.toArray()).toEqual(h0.toArray());
    expect(y.toArray()).toEqual([[[5, 6, 7, 8]]]);
  });

  it('projects LSTM states: hn has the projection width, cn the hidden width', () => {
    const model = torch.lstm({ inputSize: 3, hiddenSize: 4, projSize: 2, numLayers: 2, bidirectional: true });
    const { y, hn, cn } = model.apply(model.init(key(1)), zeros([5, 3, 3]));
    expect([y.shape, hn.shape, cn!.shape]).toEqual([[5, 3, 4], [4, 5, 2], [4, 5, 4]]);
  });

  it('applies dropout between layers only with train: true', () => {
    const model = torch.gru({ inputSize: 2, hiddenSize: 3, numLayers: 2, dropout: 0.5 });
    const params = model.init(key(2), 'float64');
    const x = tensor([[[1, -1], [0.5, 2]]], { dtype: 'float64' });
    const evaluate = Array.from(model.apply(params, x).y.data);
    expect(Array.from(model.apply(params, x).y.data)).toEqual(evaluate);
    expect(Array.from(model.apply(params, x, { train: true, key: key(3) }).y.data)).not.toEqual(evaluate);
    expect(model.config).toEqual({ inputSize: 2, hiddenSize: 3, numLayers: 2, bidirectional: false, bias: true, nonlinearity: 'tanh', projSize: 0, dropout: 0.5 });
  });

  it('refuses bad configs, params, inputs, states and lengths, naming the module and shapes', () => {
    const model = torch.lstm({ inputSize: 3, hiddenSize: 4, numLayers: 2 });
    const params = model.init(key(0));
    const x = zeros([2, 5, 3]);
    expect(() => model.apply(params, zeros([2, 5, 4]))).toThrow(/torch\.lstm: x has shape \[2, 5, 4\] but needs \[batch, time, 3\]/);
    expect(() => model.apply(params, x, { h0: zeros([1, 2, 4]) })).toThrow(/torch\.lstm: h0 has shape \[1, 2, 4\] but needs \[2, 2, 4\]/);
    expect(() => model.apply(params, x, { c0: zeros([2, 3, 4]) })).toThrow(/c0 has shape \[2, 3, 4\] but needs \[2, 2, 4\]/);
    expect(() => model.apply(params, x, { lengths: [5, 6] })).toThrow(/^torch.lstm: lengths\[1\] = 6 is out of range: x \[2, 5, 3\] has 5 steps/);
    const { bias_hh_l1: _, ...missing } = params;
    expect(() => model.apply(missing, x)).toThrow(/torch\.lstm: params has no tensor bias_hh_l1 \(expected shape \[16\]\)/);
    expect(() => model.apply({ ...params, weight_hh_l0: zeros([16, 3]) }, x)).toThrow(/params\.weight_hh_l0 has shape \[16, 3\] but the config needs \[16, 4\]/);
    expect(() => model.apply({ ...params, weight_hr_l0: zeros([2, 4]) }, x)).toThrow(/entries the config does not use: weight_hr_l0/);
    expect(() => torch.gru({ inputSize: 3, hiddenSize: 4 }).apply(torch.gru({ inputSize: 3, hiddenSize: 4 }).init(key(0)), x, { c0: zeros([1, 2, 4]) })).toThrow(/c0 applies to lstm only/);
    expect(() => torch.gru({ inputSize: 3, hiddenSize: 4, projSize: 2 })).toThrow(/torch\.gru: projSize must be 0/);
    expect(() => torch.lstm({ inputSize: 3, hiddenSize: 4, projSize: 4 })).toThrow(/projSize must be 0, or \(LSTM only\) an integer in \[1, hiddenSize 4\)/);
    expect(() => torch.lstm({ inputSize: 3, hiddenSize: 4, nonlinearity: 'relu' })).toThrow(/nonlinearity applies to rnn only/);
    expect(() => torch.rnn({ inputSize: 3, hiddenSize: 0 })).toThrow(/torch\.rnn: hiddenSize must be a positive integer, got 0/);
    expect(() => torch.rnn({ inputSize: 3, hiddenSize: 2, dropout: 1 })).toThrow(/dropout must lie in \[0, 1\)/);
  });
});
