/**
 * The graph's structure, read as data: one recurrent node per layer chained through
 * the merged directions, Transposes only where the layout needs them, ONNX's "absent"
 * for a bias left out before a given input, and initial states sliced per layer.
 * (What the graph computes is export.spec.ts's business, through ONNX Runtime.)
 */
import { describe, expect, it } from 'vitest';
import { key, torch } from '../../lib/index.js';
import { buildGraph } from '../../lib/onnx/build.js';
import { resolveDescription } from '../../lib/onnx/description.js';

const graphOf = (description: object, inputs = { lengths: true, initialState: false }) => {
  const d = resolveDescription('exportOnnx', description);
  const { kind: _kind, ...config } = (description as { rnn: { kind: 'RNN' | 'LSTM' | 'GRU' } & torch.TorchConfig }).rnn;
  const rnn = { RNN: torch.rnn, LSTM: torch.lstm, GRU: torch.gru }[d.rnn.kind](config).init(key(0));
  return buildGraph(d, { rnn }, inputs);
};

describe('buildGraph', () => {
  it('chains one node per layer, each reading the last one through Transpose and Reshape', () => {
    const g = graphOf({ rnn: { kind: 'LSTM', inputSize: 2, hiddenSize: 3, numLayers: 3, bidirectional: true } });
    const lstms = g.nodes.filter((n) => n.opType === 'LSTM');
    expect(lstms.map((n) => n.inputs[0])).toEqual(['x_time_major', 'y_l0', 'y_l1']);
    expect(lstms.map((n) => n.attributes!.direction)).toEqual(['bidirectional', 'bidirectional', 'bidirectional']);
    expect(g.nodes.filter((n) => n.opType === 'Concat').map((n) => [n.inputs, n.outputs])).toEqual([
      [['hn_l0', 'hn_l1', 'hn_l2'], ['hn']],
      [['cn_l0', 'cn_l1', 'cn_l2'], ['cn']],
    ]);
    expect(g.initializers.find((i) => i.name === 'W_l1')!.dims).toEqual([2, 12, 6]);
  });

  it('transposes only a batch-first model, in at the start and out at the last layer', () => {
    const perms = (batchFirst: boolean) => graphOf({ rnn: { kind: 'GRU', inputSize: 2, hiddenSize: 3 }, batchFirst }).nodes
      .filter((n) => n.opType === 'Transpose').map((n) => n.attributes!.perm);
    expect(perms(true)).toEqual([[1, 0, 2], [2, 0, 1, 3]]);
    expect(perms(false)).toEqual([[0, 2, 1, 3]]);
  });

  it("leaves out a missing bias as ONNX's empty name when sequence_lens follows it, and trailing absent inputs altogether", () => {
    const [withLengths] = graphOf({ rnn: { kind: 'RNN', inputSize: 2, hiddenSize: 3, bias: false } }).nodes.filter((n) => n.opType === 'RNN');
    expect(withLengths!.inputs).toEqual(['x_time_major', 'W_l0', 'R_l0', '', 'lengths']);
    const [bare] = graphOf({ rnn: { kind: 'RNN', inputSize: 2, hiddenSize: 3, bias: false } }, { lengths: false, initialState: false }).nodes.filter((n) => n.opType === 'RNN');
    expect(bare!.inputs).toEqual(['x_time_major', 'W_l0', 'R_l0']);
  });

  it("slices each layer's rows of h0 and c0, and passes them as the operator's initial_h and initial_c", () => {
    const g = graphOf({ rnn: { kind: 'LSTM', inputSize: 2, hiddenSize: 3, numLayers: 2, bidirectional: true } }, { lengths: false, initialState: true });
    const [, second] = g.nodes.filter((n) => n.opType === 'LSTM');
    expect(second!.inputs).toEqual(['y_l0', 'W_l1', 'R_l1', 'B_l1', '', 'h0_l1', 'c0_l1']);
    const start = g.initializers.find((i) => i.name === 'h0_l1_start')!;
    const end = g.initializers.find((i) => i.name === 'h0_l1_end')!;
    expect([start.data[0], end.data[0]]).toEqual([2n, 4n]);
    expect(g.inputs.map((i) => [i.name, i.dims])).toEqual([['x', ['batch', 'time', 2]], ['h0', [4, 'batch', 3]], ['c0', [4, 'batch', 3]]]);
  });

  it("gives an RNN one activation per direction, and a GRU PyTorch's reset-after convention", () => {
    const [rnn] = graphOf({ rnn: { kind: 'RNN', inputSize: 2, hiddenSize: 3, bidirectional: true, nonlinearity: 'relu' } }).nodes.filter((n) => n.opType === 'RNN');
    expect(rnn!.attributes).toEqual({ hidden_size: 3, direction: 'bidirectional', activations: ['Relu', 'Relu'] });
    const [gru] = graphOf({ rnn: { kind: 'GRU', inputSize: 2, hiddenSize: 3 } }).nodes.filter((n) => n.opType === 'GRU');
    expect(gru!.attributes).toEqual({ hidden_size: 3, direction: 'forward', linear_before_reset: 1 });
  });

  it("gives a reset-before GRU ONNX's linear_before_reset 0, in every layer, with the same W, R and B as reset-after", () => {
    const description = { rnn: { kind: 'GRU', inputSize: 2, hiddenSize: 3, numLayers: 2, bidirectional: true } };
    const before = graphOf({ rnn: { ...description.rnn, convention: 'reset-before' } });
    const after = graphOf({ rnn: { ...description.rnn, convention: 'reset-after' } });
    expect(before.nodes.filter((n) => n.opType === 'GRU').map((n) => n.attributes!.linear_before_reset)).toEqual([0, 0]);
    expect(after.nodes.filter((n) => n.opType === 'GRU').map((n) => n.attributes!.linear_before_reset)).toEqual([1, 1]);
    expect(before.initializers).toEqual(after.initializers);
  });
});
