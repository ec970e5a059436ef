/**
 * exportOnnx checked by ONNX Runtime: each supported kind is exported, run by ONNX
 * Runtime's WebAssembly build, and compared with seqgrad's own forward pass
 * (`torch.*.apply`, `embedding`, `dense`: itself checked against PyTorch's fixtures)
 * within float32's tolerance, padded batches and initial states included.
 */
import { describe, expect, it } from 'vitest';
import {
  bidirectional, decodeModel, dense, embedding, encodeModel, gru, initDense, initEmbedding, key, normal, permute, recurrent, SeqgradError, splitKey,
  stacked, tensor, torch, type Directions, type RecurrentParams, type Tensor,
} from '../../lib/index.js';
import { exportOnnx, ONNX_OPSETS, type OnnxDescription, type OnnxParams } from '../../lib/onnx/index.js';
import { exportOnnxWith } from '../../lib/onnx/export.js';
import { expectNear, onnxNames, runOnnx } from '../support/onnx-runtime.js';

const BATCH = 3;
const TIME = 5;
const PADDED = [5, 3, 1];
const BUILD = { RNN: torch.rnn, LSTM: torch.lstm, GRU: torch.gru } as const;

/** Fresh parameters for a description, from seqgrad's initialisers with fixed keys. */
const initParams = (d: OnnxDescription, seed: number): OnnxParams => {
  const [ke, kr, kh] = splitKey(key(seed), 3);
  const { kind, ...config } = d.rnn;
  const width = (d.rnn.bidirectional ? 2 : 1) * d.rnn.hiddenSize;
  return {
    rnn: BUILD[kind](config).init(kr!),
    ...(d.embed ? { embed: initEmbedding(ke!, { vocabSize: d.embed.vocabSize, dim: d.embed.dim }) } : {}),
    ...(d.head ? { head: initDense(kh!, { inputSize: width, outputSize: d.head.outputSize, bias: d.head.bias ?? true }) } : {}),
  };
};

interface Inputs {
  /** The model's input, batch-first: int32 ids [B, T] or float32 x [B, T, F]. */
  readonly input: Tensor;
  readonly lengths?: readonly number[];
  readonly h0?: Tensor;
  readonly c0?: Tensor;
}

/** seqgrad's forward pass, batch-first. */
const reference = (d: OnnxDescription, p: OnnxParams, inputs: Inputs): Record<string, Tensor> => {
  const { kind, ...config } = d.rnn;
  const x = d.embed ? embedding(p.embed!, inputs.input) : inputs.input;
  const out = BUILD[kind](config).apply(p.rnn, x, { lengths: inputs.lengths, h0: inputs.h0, c0: inputs.c0 });
  return { y: out.y, hn: out.hn, ...(out.cn ? { cn: out.cn } : {}), ...(d.head ? { logits: dense(p.head! as never, out.y) } : {}) };
};

/** ONNX Runtime's outputs, made batch-first when the graph is time-major. */
const viaOnnx = async (d: OnnxDescription, bytes: Uint8Array, inputs: Inputs): Promise<Record<string, Tensor>> => {
  const timeMajor = d.batchFirst === false;
  const input = timeMajor ? permute(inputs.input, d.embed ? [1, 0] : [1, 0, 2]) : inputs.input;
  const feeds: Record<string, Tensor> = { [d.embed ? 'ids' : 'x']: input };
  if (inputs.lengths) feeds.lengths = tensor(inputs.lengths, { dtype: 'int32' });
  if (inputs.h0) feeds.h0 = inputs.h0;
  if (inputs.c0) feeds.c0 = inputs.c0;
  const out = await runOnnx(bytes, feeds);
  const batchFirst = (t: Tensor): Tensor => (timeMajor ? permute(t, [1, 0, 2]) : t);
  return { ...out, y: batchFirst(out.y!), ...(out.logits ? { logits: batchFirst(out.logits) } : {}) };
};

/** Random inputs for a description (ids below the vocabulary, or normal features; states when asked). */
const inputsFor = (d: OnnxDescription, seed: number, lengths: readonly number[] | undefined, states: boolean): Inputs => {
  const [kx, kh, kc] = splitKey(key(100 + seed), 3);
  const input = d.embed
    ? tensor(Int32Array.from({ length: BATCH * TIME }, (_, i) => (i * 7 + seed) % d.embed!.vocabSize), { shape: [BATCH, TIME], dtype: 'int32' })
    : normal(kx!, [BATCH, TIME, d.rnn.inputSize]);
  const stateShape = [(d.rnn.numLayers ?? 1) * (d.rnn.bidirectional ? 2 : 1), BATCH, d.rnn.hiddenSize];
  return {
    input,
    ...(lengths ? { lengths } : {}),
    ...(states ? { h0: normal(kh!, stateShape) } : {}),
    ...(states && d.rnn.kind === 'LSTM' ? { c0: normal(kc!, stateShape) } : {}),
  };
};

interface Case {
  readonly title: string;
  readonly d: OnnxDescription;
  readonly lengths?: readonly number[];
  readonly states?: boolean;
}

const CASES: readonly Case[] = [
  { title: 'RNN tanh, padded', d: { rnn: { kind: 'RNN', inputSize: 4, hiddenSize: 3 } }, lengths: PADDED },
  { title: 'RNN relu, 2 layers, initial state', d: { rnn: { kind: 'RNN', inputSize: 4, hiddenSize: 3, numLayers: 2, nonlinearity: 'relu' } }, lengths: PADDED, states: true },
  { title: 'RNN tanh, bidirectional, time-major, no lengths input', d: { rnn: { kind: 'RNN', inputSize: 4, hiddenSize: 3, bidirectional: true }, batchFirst: false } },
  { title: 'LSTM, padded, initial states', d: { rnn: { kind: 'LSTM', inputSize: 4, hiddenSize: 3 } }, lengths: PADDED, states: true },
  { title: 'LSTM, 2 layers, bidirectional, padded', d: { rnn: { kind: 'LSTM', inputSize: 4, hiddenSize: 3, numLayers: 2, bidirectional: true } }, lengths: PADDED },
  { title: 'LSTM, 2 layers, bidirectional, time-major, initial states', d: { rnn: { kind: 'LSTM', inputSize: 4, hiddenSize: 3, numLayers: 2, bidirectional: true }, batchFirst: false }, lengths: PADDED, states: true },
  { title: 'GRU, padded', d: { rnn: { kind: 'GRU', inputSize: 4, hiddenSize: 3 } }, lengths: PADDED },
  { title: 'GRU, 2 layers, bidirectional, time-major, padded, initial state', d: { rnn: { kind: 'GRU', inputSize: 4, hiddenSize: 3, numLayers: 2, bidirectional: true }, batchFirst: false }, lengths: PADDED, states: true },
  { title: 'GRU without biases', d: { rnn: { kind: 'GRU', inputSize: 4, hiddenSize: 3, bias: false } }, lengths: PADDED },
  {
    title: 'embedding → LSTM → dense (the names example), padded',
    d: { embed: { vocabSize: 11, dim: 4 }, rnn: { kind: 'LSTM', inputSize: 4, hiddenSize: 5 }, head: { outputSize: 11 } }, lengths: PADDED,
  },
  {
    title: 'embedding → bidirectional GRU → dense without bias, time-major, initial state',
    d: { embed: { vocabSize: 9, dim: 4 }, rnn: { kind: 'GRU', inputSize: 4, hiddenSize: 3, bidirectional: true }, head: { outputSize: 2, bias: false }, batchFirst: false },
    lengths: PADDED, states: true,
  },
];

describe('exportOnnx agrees with seqgrad under ONNX Runtime', () => {
  CASES.forEach(({ title, d, lengths, states = false }, i) => {
    it(title, async () => {
      const params = initParams(d, i);
      const bytes = await exportOnnx(d, params, { lengths: lengths !== undefined, initialState: states });
      const inputs = inputsFor(d, i, lengths, states);
      const want = reference(d, params, inputs);
      const got = await viaOnnx(d, bytes, inputs);
      expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
      for (const [name, t] of Object.entries(want)) expectNear(got[name], t, name);
    });
  });
});

// ---------------------------------------------------------------------------
// the reset-before GRU: seqgrad's gru({ convention: 'reset-before' }) cells, named
// into the state_dict layout, against ONNX's GRU with linear_before_reset 0
// ---------------------------------------------------------------------------

const RESET_BEFORE = gru({ convention: 'reset-before' });

/** One cell's params per layer, per direction when bidirectional, from the cell's own initialiser. */
type CellLayers = readonly (RecurrentParams | Directions<RecurrentParams>)[];

/** Fresh reset-before cells for `d.rnn`, and the same tensors named as a state_dict (`weight_ih_l1_reverse`, ...). */
const resetBeforeParams = (d: OnnxDescription, seed: number): { cells: CellLayers; params: OnnxParams } => {
  const { inputSize, hiddenSize, numLayers = 1, bidirectional: both = false, bias = true } = d.rnn;
  const directions = both ? 2 : 1;
  const [ke, kh, ...kc] = splitKey(key(200 + seed), 2 + numLayers * directions);
  const rnn: Record<string, Tensor> = {};
  const cells = Array.from({ length: numLayers }, (_, l) => {
    const [forward, backward] = Array.from({ length: directions }, (_, dir) => {
      const p = RESET_BEFORE.init(kc[l * directions + dir]!, { inputSize: l === 0 ? inputSize : directions * hiddenSize, hiddenSize, bias });
      const suffix = `_l${l}${dir === 1 ? '_reverse' : ''}`;
      rnn[`weight_ih${suffix}`] = p.weight_ih;
      rnn[`weight_hh${suffix}`] = p.weight_hh;
      if (p.bias_ih) rnn[`bias_ih${suffix}`] = p.bias_ih;
      if (p.bias_hh) rnn[`bias_hh${suffix}`] = p.bias_hh;
      return p;
    });
    return both ? { forward: forward!, backward: backward! } : forward!;
  });
  const params: OnnxParams = {
    rnn,
    ...(d.embed ? { embed: initEmbedding(ke!, { vocabSize: d.embed.vocabSize, dim: d.embed.dim }) } : {}),
    ...(d.head ? { head: initDense(kh!, { inputSize: directions * hiddenSize, outputSize: d.head.outputSize, bias: d.head.bias ?? true }) } : {}),
  };
  return { cells, params };
};

/**
 * seqgrad's forward of the reset-before cells, batch-first: `stacked` layers of
 * `recurrent(cell)` (inside `bidirectional(…, 'concat')` when bidirectional), each
 * layer and direction starting from its row `l·D + d` of h0; hn gathers the final
 * carries in that order.
 */
const resetBeforeReference = (d: OnnxDescription, cells: CellLayers, p: OnnxParams, inputs: Inputs): Record<string, Tensor> => {
  const { hiddenSize, numLayers = 1, bidirectional: both = false } = d.rnn;
  const directions = both ? 2 : 1;
  const batch = inputs.input.shape[0]!;
  const layer = both ? bidirectional(recurrent(RESET_BEFORE), 'concat') : recurrent(RESET_BEFORE);
  const deep = stacked(Array.from({ length: numLayers }, () => layer as never));
  const row = (i: number): Tensor => tensor(Float32Array.from(inputs.h0!.data.slice(i * batch * hiddenSize, (i + 1) * batch * hiddenSize)), { shape: [batch, hiddenSize] });
  const initialCarry = inputs.h0
    ? Array.from({ length: numLayers }, (_, l) => (both ? { forward: row(2 * l), backward: row(2 * l + 1) } : row(l)))
    : undefined;
  const x = d.embed ? embedding(p.embed!, inputs.input) : inputs.input;
  const { outputs, carry } = deep(cells as never, x, { lengths: inputs.lengths, initialCarry: initialCarry as never });
  const finals = (carry as readonly (Tensor | Directions<Tensor>)[]).flatMap((c) => (both ? [(c as Directions<Tensor>).forward, (c as Directions<Tensor>).backward] : [c as Tensor]));
  const hn = tensor(Float32Array.from(finals.flatMap((h) => Array.from(h.data))), { shape: [numLayers * directions, batch, hiddenSize] });
  return { y: outputs, hn, ...(d.head ? { logits: dense(p.head! as never, outputs) } : {}) };
};

const RESET_BEFORE_CASES: readonly Case[] = [
  { title: 'reset-before GRU, padded', d: { rnn: { kind: 'GRU', inputSize: 4, hiddenSize: 3, convention: 'reset-before' } }, lengths: PADDED },
  { title: 'reset-before GRU, initial state, no lengths input', d: { rnn: { kind: 'GRU', inputSize: 4, hiddenSize: 3, convention: 'reset-before' } }, states: true },
  { title: 'reset-before GRU, 2 layers, padded, initial state', d: { rnn: { kind: 'GRU', inputSize: 4, hiddenSize: 3, numLayers: 2, convention: 'reset-before' } }, lengths: PADDED, states: true },
  { title: 'reset-before GRU, bidirectional, padded, initial state', d: { rnn: { kind: 'GRU', inputSize: 4, hiddenSize: 3, bidirectional: true, convention: 'reset-before' } }, lengths: PADDED, states: true },
  {
    title: 'reset-before GRU, 2 layers, bidirectional, time-major, padded, initial state',
    d: { rnn: { kind: 'GRU', inputSize: 4, hiddenSize: 3, numLayers: 2, bidirectional: true, convention: 'reset-before' }, batchFirst: false }, lengths: PADDED, states: true,
  },
  { title: 'reset-before GRU without biases, bidirectional, padded', d: { rnn: { kind: 'GRU', inputSize: 4, hiddenSize: 3, bidirectional: true, bias: false, convention: 'reset-before' } }, lengths: PADDED },
  {
    title: 'embedding → reset-before GRU, 2 layers → dense, padded, initial state',
    d: { embed: { vocabSize: 9, dim: 4 }, rnn: { kind: 'GRU', inputSize: 4, hiddenSize: 5, numLayers: 2, convention: 'reset-before' }, head: { outputSize: 6 } },
    lengths: PADDED, states: true,
  },
];

describe("a reset-before GRU exports with linear_before_reset 0 and agrees with seqgrad's gru({ convention: 'reset-before' })", () => {
  RESET_BEFORE_CASES.forEach(({ title, d, lengths, states = false }, i) => {
    it(title, async () => {
      const { cells, params } = resetBeforeParams(d, i);
      const bytes = await exportOnnx(d, params, { lengths: lengths !== undefined, initialState: states });
      const inputs = inputsFor(d, 50 + i, lengths, states);
      const want = resetBeforeReference(d, cells, params, inputs);
      const got = await viaOnnx(d, bytes, inputs);
      expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
      for (const [name, t] of Object.entries(want)) expectNear(got[name], t, name);
    });
  });

  it('the convention decides the result: the same weights exported as reset-after disagree with the reset-before forward, and agree with torch.gru', async () => {
    const d: OnnxDescription = { rnn: { kind: 'GRU', inputSize: 4, hiddenSize: 3, numLayers: 2, convention: 'reset-before' } };
    const { cells, params } = resetBeforeParams(d, 99);
    const inputs = inputsFor(d, 99, PADDED, true);
    const asAfter: OnnxDescription = { rnn: { ...d.rnn, convention: 'reset-after' } };
    const got = await viaOnnx(asAfter, await exportOnnx(asAfter, params, { initialState: true }), inputs);
    const before = resetBeforeReference(d, cells, params, inputs);
    const worst = Math.max(...before.y!.data.map((v, j) => Math.abs(v - got.y!.data[j]!)));
    expect(worst).toBeGreaterThan(1e-3);
    expectNear(got.y, reference(asAfter, params, inputs).y!, 'y of the reset-after export');
  });
});

describe('padded batches', () => {
  const d: OnnxDescription = { rnn: { kind: 'LSTM', inputSize: 4, hiddenSize: 3, bidirectional: true } };
  it('both give zeros past each length, and the final states of each row at its own last step', async () => {
    const params = initParams(d, 1);
    const inputs = inputsFor(d, 1, PADDED, false);
    const want = reference(d, params, inputs);
    const got = await viaOnnx(d, await exportOnnx(d, params), inputs);
    const pastEnd = (y: Tensor): number[] => PADDED.flatMap((n, b) => Array.from({ length: (TIME - n) * 6 }, (_, j) => y.data[(b * TIME + n) * 6 + j]!));
    expect(pastEnd(want.y!).length).toBe((0 + 2 + 4) * 6);
    expect(pastEnd(want.y!).every((v) => v === 0)).toBe(true);
    expect(pastEnd(got.y!).every((v) => v === 0)).toBe(true);
    // a row run alone, cut to its length, ends in the states its padded run ends in
    const row = 1;
    const rowOnly = reference(d, params, { input: sliceRow(inputs.input, row, PADDED[row]!) });
    const hnRow = (hn: Tensor, b: number, batch: number): number[] => [0, 1].flatMap((dir) => Array.from(hn.data.slice((dir * batch + b) * 3, (dir * batch + b + 1) * 3)));
    expectNear(tensor(hnRow(got.hn!, row, BATCH)), tensor(hnRow(rowOnly.hn!, 0, 1)), 'hn of the padded row');
  });
});

/** Row `b`'s first `n` steps of a batch-first [B, T, F] tensor, as a batch of one. */
const sliceRow = (x: Tensor, b: number, n: number): Tensor => {
  const [, t, f] = x.shape as [number, number, number];
  return tensor(Float32Array.from(x.data.slice(b * t * f, b * t * f + n * f)), { shape: [1, n, f] });
};

describe('the exported graph', () => {
  const d: OnnxDescription = { embed: { vocabSize: 11, dim: 4 }, rnn: { kind: 'LSTM', inputSize: 4, hiddenSize: 5 }, head: { outputSize: 11 } };

  it('names its inputs and outputs as documented', async () => {
    const params = initParams(d, 2);
    expect(await onnxNames(await exportOnnx(d, params))).toEqual({ inputs: ['ids', 'lengths'], outputs: ['y', 'logits', 'hn', 'cn'] });
    expect(await onnxNames(await exportOnnx({ rnn: { kind: 'GRU', inputSize: 2, hiddenSize: 2 } }, initParams({ rnn: { kind: 'GRU', inputSize: 2, hiddenSize: 2 } }, 0), { lengths: false, initialState: true })))
      .toEqual({ inputs: ['x', 'h0'], outputs: ['y', 'hn'] });
  });

  it('has dynamic batch and time axes: one export runs batches of other sizes', async () => {
    const params = initParams(d, 3);
    const bytes = await exportOnnx(d, params);
    for (const [batch, time] of [[1, 7], [4, 2]] as const) {
      const ids = tensor(Int32Array.from({ length: batch * time }, (_, i) => (3 * i + 1) % 11), { shape: [batch, time], dtype: 'int32' });
      const lengths = Array.from({ length: batch }, (_, b) => time - (b % time));
      const got = await runOnnx(bytes, { ids, lengths: tensor(lengths, { dtype: 'int32' }) });
      expectNear(got.logits, reference(d, params, { input: ids, lengths }).logits!, `logits [${batch}, ${time}]`);
    }
  });

  it(`runs at the lowest and highest supported opsets (${ONNX_OPSETS.min}, ${ONNX_OPSETS.max})`, async () => {
    const params = initParams(d, 4);
    const inputs = inputsFor(d, 4, PADDED, false);
    for (const opset of [ONNX_OPSETS.min, ONNX_OPSETS.max]) {
      expectNear((await viaOnnx(d, await exportOnnx(d, params, { opset }), inputs)).logits, reference(d, params, inputs).logits!, `logits at opset ${opset}`);
    }
  });

  it('exports a saved model later: the description rides in the model file as its config', async () => {
    const params = initParams(d, 5);
    const saved = decodeModel<OnnxParams>(encodeModel({ params, config: { onnx: d as never } }), { template: params });
    const bytes = await exportOnnx(saved.config.onnx as never, saved.params);
    const inputs = inputsFor(d, 5, PADDED, false);
    expectNear((await viaOnnx(d, bytes, inputs)).logits, reference(d, params, inputs).logits!, 'logits');
  });
});

describe('bad calls are refused before anything is written', () => {
  const d: OnnxDescription = { rnn: { kind: 'GRU', inputSize: 2, hiddenSize: 2 } };
  const params = initParams(d, 0);

  it.each([
    ['an opset below the range', { opset: 13 }, `exportOnnx: options.opset must be an integer from ${ONNX_OPSETS.min} to ${ONNX_OPSETS.max}, got 13`],
    ['an opset above the range', { opset: ONNX_OPSETS.max + 1 }, `options.opset must be an integer from ${ONNX_OPSETS.min} to ${ONNX_OPSETS.max}, got ${ONNX_OPSETS.max + 1}`],
    ['a fractional opset', { opset: 17.5 }, 'got 17.5'],
    ['a non-boolean lengths', { lengths: 1 }, 'exportOnnx: options.lengths must be a boolean, got 1'],
    ['a non-boolean initialState', { initialState: 'yes' }, 'exportOnnx: options.initialState must be a boolean, got "yes"'],
    ['an empty name', { name: '' }, 'exportOnnx: options.name must be a non-empty string, got ""'],
    ['options that are not an object', 17, 'exportOnnx: options must be { opset?, lengths?, initialState?, name? }, got 17'],
  ])('%s', async (_title, options, message) => {
    const exporting = exportOnnx(d, params, options as never);
    await expect(exporting).rejects.toBeInstanceOf(SeqgradError);
    await expect(exporting).rejects.toThrow(message);
  });

  it('rejects (does not throw synchronously) on a bad description, so callers catch it with await', async () => {
    const exporting = exportOnnx({ rnn: { kind: 'LSTM', inputSize: 2, hiddenSize: 4, projSize: 1 } }, params);
    expect(exporting).toBeInstanceOf(Promise);
    await expect(exporting).rejects.toThrow('exportOnnx: description.rnn.projSize 1 cannot be exported');
  });

  it('names onnx-proto and its install command when it is missing', async () => {
    const missing = Object.assign(new Error("Cannot find package 'onnx-proto' imported from lib/onnx/proto.ts"), { code: 'ERR_MODULE_NOT_FOUND' });
    await expect(exportOnnxWith(() => Promise.reject(missing))(d, params)).rejects.toThrow('install it with: npm install onnx-proto');
  });
});
