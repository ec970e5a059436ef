/**
 * The encoder-decoder: PyTorch's reference loss and logits for both fixture files,
 * the teacher-forced loss's gradient against finite differences (GRU and LSTM, every
 * attention form, random source and target lengths), the step-wise decoder equal to
 * teacher forcing, target lengths excluded from the loss, and bad input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gather, gru, key, logSoftmax, reshape, slice, sum, tensor, SeqgradError } from '../../../lib/index.js';
import type { Cell } from '../../../lib/nn/cell.js';
import { encoderDecoder, type Seq2SeqCellSizes, type Seq2SeqParams } from '../../../lib/nn/seq2seq/model.js';
import { fromTorchNames } from '../../../lib/nn/seq2seq/torch-names.js';
import { checkGrad } from '../../../lib/testing/index.js';
import { expectClose } from '../../support/close.js';
import { readFixture, toTensor } from '../../support/fixtures.js';
import { modelCaseArb } from './models.js';

const gruCell = gru() as Cell<unknown, unknown, Seq2SeqCellSizes>;

describe('encoderDecoder', () => {
  for (const [file, attention] of [['gru_teacher_forcing', null], ['gru_luong_attention', 'dot']] as const) {
    it(`reproduces PyTorch's logits and loss: seq2seq/${file}.json (float64, 1e-10)`, () => {
      const f = readFixture(`seq2seq/${file}.json`);
      const params = fromTorchNames(Object.fromEntries(Object.entries(f.params).map(([k, v]) => [k, toTensor(v as never)])));
      const model = encoderDecoder({ cell: gruCell, attention });
      const batch = { src: toTensor(f.inputs.src), tgtIn: toTensor(f.inputs.tgt_in), tgtOut: toTensor(f.inputs.tgt_out) };
      const out = model.forward(params, batch);
      expectClose(out.logits, toTensor(f.outputs.logits), 1e-10, 'logits');
      if (attention) expectClose(out.attention!, toTensor(f.outputs.attention), 1e-10, 'attention');
      else expect(out.attention).toBeNull();
      expect(Math.abs(model.loss(params, batch).item() - f.loss) / f.loss).toBeLessThan(1e-12);
    });
  }

  it('has a teacher-forced loss whose gradient agrees with finite differences (property)', () => {
    fc.assert(fc.property(modelCaseArb({ maxVocab: 3, maxDim: 2, maxLen: 3, maxBatch: 2 }), (c) => {
      const batch = { src: c.src, tgtIn: c.tgtIn, tgtOut: c.tgtOut, srcLengths: c.srcLengths, tgtLengths: c.tgtLengths };
      const report = checkGrad((p: Seq2SeqParams<unknown>) => c.model.loss(p, batch), c.params);
      expect(report.ok, `${c.label}: ${report.message}`).toBe(true);
    }), { numRuns: 50 });
  });

  it('decodes step by step exactly as teacher forcing does (property)', () => {
    fc.assert(fc.property(modelCaseArb({ maxVocab: 5, maxDim: 3, maxLen: 4, maxBatch: 3 }), (c) => {
      const forced = c.model.forward(c.params, { src: c.src, tgtIn: c.tgtIn, srcLengths: c.srcLengths }).logits;
      const step = c.model.decoderStep(c.params);
      let state = c.model.initialState(c.params, c.src, c.srcLengths);
      const [batch, steps] = c.tgtIn.shape as [number, number];
      for (let t = 0; t < steps; t++) {
        const [next, logits] = step(state, reshape(slice(c.tgtIn, [0, t], [batch, 1]), [batch]));
        expectClose(logits, reshape(slice(forced, [0, t, 0], [batch, 1, -1]), logits.shape), 1e-12, `${c.label} step ${t}`);
        state = next;
      }
    }), { numRuns: 50 });
  });

  it('scores only the tokens inside tgtLengths: the loss is their mean -log p', () => {
    const model = encoderDecoder({ cell: gruCell, attention: 'general' });
    const params = model.init(key(3), { srcVocab: 5, tgtVocab: 6, embeddingDim: 3, hiddenSize: 4, dtype: 'float64' });
    const ids = (v: number[][]) => tensor(v, { dtype: 'int32' });
    const batch = { src: ids([[1, 2, 3], [4, 0, 0]]), tgtIn: ids([[0, 5, 2], [0, 3, 3]]), tgtOut: ids([[5, 2, 1], [3, 1, 4]]), srcLengths: [3, 1], tgtLengths: [3, 2] };
    const logp = logSoftmax(model.forward(params, batch).logits, -1);
    const pick = (b: number, t: number, v: number) => gather(reshape(logp, [-1]), tensor([(b * 3 + t) * 6 + v], { dtype: 'int32' }), 0);
    const picks = [pick(0, 0, 5), pick(0, 1, 2), pick(0, 2, 1), pick(1, 0, 3), pick(1, 1, 1)];
    const want = -picks.reduce((s, p) => s + sum(p).item(), 0) / 5;
    expect(model.loss(params, batch).item()).toBeCloseTo(want, 12);
  });

  it('refuses ids outside a vocabulary, mismatched batches and sizes, naming the layer and shapes', () => {
    const model = encoderDecoder({ cell: gruCell, attention: 'dot' });
    const params = model.init(key(1), { srcVocab: 4, tgtVocab: 5, embeddingDim: 2, hiddenSize: 3, dtype: 'float64' });
    const ids = (v: number[][]) => tensor(v, { dtype: 'int32' });
    const ok = { src: ids([[1, 2]]), tgtIn: ids([[0, 4]]), tgtOut: ids([[4, 1]]) };
    expect(() => model.loss(params, ok)).not.toThrow();
    expect(() => model.loss(params, { ...ok, src: ids([[1, 7]]) })).toThrow(SeqgradError);
    expect(() => model.loss(params, { ...ok, src: ids([[1, 7]]) })).toThrow(/embedding: ids \[1, 2\] hold 7 at flat position 1, outside the vocabulary \[0, 4\) of weight \[4, 2\]/);
    expect(() => model.loss(params, { ...ok, tgtIn: ids([[0, 5]]) })).toThrow(/embedding: ids \[1, 2\] hold 5 .* of weight \[5, 2\]/);
    expect(() => model.loss(params, { ...ok, tgtOut: ids([[4, 9]]) })).toThrow(/crossEntropy: target 9 at position 1 is out of range \[0, 5\)/);
    expect(() => model.forward(params, { ...ok, tgtIn: ids([[0, 4], [0, 1]]) })).toThrow(/encoderDecoder: tgtIn must be int32 token ids \[batch, length\] with batch 1, got int32 \[2, 2\]/);
    expect(() => model.loss(params, { ...ok, src: tensor([[1, 2]]) })).toThrow(/encoderDecoder: src must be int32 token ids \[batch, length\], got float32 \[1, 2\]/);
    expect(() => model.loss(params, { ...ok, srcLengths: [3] })).toThrow(/lengths\[0\] = 3/);
    // a decoder embedding one wider than the cell expects: the cell names both shapes
    const wide = model.init(key(1), { srcVocab: 4, tgtVocab: 5, embeddingDim: 3, hiddenSize: 3, dtype: 'float64' });
    const mixed = { ...params, decoder: { ...params.decoder, embedding: wide.decoder.embedding } };
    expect(() => model.loss(mixed, ok)).toThrow(/gru\(reset-after\): x_t has shape \[1, 3\] but weight_ih \[9, 2\] takes 2 input features/);
    expect(() => encoderDecoder({ cell: gruCell, attention: 'cosine' as never })).toThrow(/encoderDecoder: attention must be dot, general, additive or null, got cosine/);
    const noCombine = { ...params, decoder: { ...params.decoder, combine: null } };
    expect(() => model.loss(noCombine, ok)).toThrow(/encoderDecoder: a model with attention needs params.decoder.combine/);
  });
});
