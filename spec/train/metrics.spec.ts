import { describe, it, expect } from 'vitest';
import { scalar, tensor, SeqgradError } from '../../lib/index.js';
import { accuracy, addToMean, binaryAccuracy, emptyMean, perplexity, readMean } from '../../lib/train/metrics.js';

const ids = (values: number[]) => tensor(values, { dtype: 'int32' });

describe('accuracy', () => {
  it('counts rows whose largest logit is the label', () => {
    const logits = tensor([[2, 1, 0], [0, 3, 1], [1, 1, 5], [4, 0, 0]]);
    // argmax per row: 0, 1, 2, 0
    expect(accuracy(logits, ids([0, 1, 0, 2]))).toBe(0.5);
    expect(accuracy(logits, ids([0, 1, 2, 0]))).toBe(1);
  });

  it('works on [batch, time, classes] and leaves out ignoreIndex', () => {
    const logits = tensor([[[1, 0], [0, 1]], [[1, 0], [0, 1]]]);
    const labels = tensor([[0, -100], [1, 1]], { dtype: 'int32' });
    // counted: (0,0) hit, (1,0) miss, (1,1) hit
    expect(accuracy(logits, labels, { ignoreIndex: -100 })).toBeCloseTo(2 / 3, 15);
  });

  it('refuses labels whose shape does not match', () => {
    expect(() => accuracy(tensor([[1, 2]]), ids([0, 1]))).toThrow(SeqgradError);
    expect(() => accuracy(tensor([[1, 2]]), ids([0, 1]))).toThrow(/^accuracy: labels \[2\] must have the leading shape of logits \[1, 2\]/);
    expect(() => accuracy(tensor([[1, 2]]), [0] as never)).toThrow(/^accuracy: labels must be a Tensor, got object/);
    expect(() => accuracy(null as never, ids([0]))).toThrow(/^accuracy: logits must be a Tensor, got null/);
  });
});

describe('binaryAccuracy', () => {
  it('thresholds logits at 0', () => {
    expect(binaryAccuracy(tensor([2, -1, 0.5, -3]), tensor([1, 0, 0, 1]))).toBe(0.5);
    expect(binaryAccuracy(tensor([0.2, 0.7]), tensor([0, 1]), 0.5)).toBe(1);
  });

  it('refuses mismatched shapes', () => {
    expect(() => binaryAccuracy(tensor([1, 2]), tensor([1]))).toThrow(/^binaryAccuracy: targets \[1\] must have the shape of logits \[2\]/);
    // same size and same leading extent, but not the same shape
    expect(() => binaryAccuracy(tensor([1, 2]), tensor([[1], [0]]))).toThrow(/^binaryAccuracy: targets \[2, 1\] must have the shape of logits \[2\]/);
    expect(() => binaryAccuracy(tensor([1, 2]), undefined as never)).toThrow(/^binaryAccuracy: targets must be a Tensor, got undefined/);
  });
});

describe('perplexity', () => {
  it('is exp of the mean negative log-likelihood', () => {
    expect(perplexity(Math.log(4))).toBeCloseTo(4, 12);
    expect(perplexity(scalar(0))).toBe(1);
  });
});

describe('running means', () => {
  it('weights each batch', () => {
    let m = emptyMean();
    m = addToMean(m, { loss: 1, acc: 0.5 }, 3);
    m = addToMean(m, { loss: 3, acc: 1 }, 1);
    expect(readMean(m)).toEqual({ loss: 1.5, acc: 0.625 });
    expect(readMean(emptyMean())).toEqual({});
  });
});
