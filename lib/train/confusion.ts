/**
 * Classification beyond one number: the confusion matrix (how often each true class
 * was predicted as each class) and the accuracy read off its diagonal, so a report can
 * show where a classifier errs, not only how often. Accumulates over batches.
 *
 * @module
 */
import { argmax } from '../ops/reduce.js';
import { SeqgradError, showShape } from '../tensor/errors.js';
import { isTensor, type Tensor } from '../tensor/tensor.js';

/** A confusion matrix and what it implies. */
export interface Confusion {
  /** `matrix[trueClass][predictedClass]`: counts. */
  readonly matrix: readonly (readonly number[])[];
  /** Correct predictions over all predictions (0 when empty). */
  readonly accuracy: number;
  /** Examples counted. */
  readonly total: number;
}

/**
 * The confusion matrix of `logits` `[n, classes]` against int32 `labels` `[n]`, added
 * to `previous` (for accumulating over batches) when given.
 *
 * @example
 * ```ts
 * const c = confusionMatrix(tensor([[2, 1], [0, 3], [1, 0]]), tensor([0, 0, 1], { dtype: 'int32' }));
 * // c.matrix [[1, 1], [1, 0]], c.accuracy 1/3
 * ```
 */
export const confusionMatrix = (logits: Tensor, labels: Tensor, previous?: Confusion): Confusion => {
  if (!isTensor(logits)) throw new SeqgradError('confusionMatrix', `argument logits must be a Tensor, got ${logits === null ? 'null' : typeof logits}`);
  if (!isTensor(labels)) throw new SeqgradError('confusionMatrix', `argument labels must be a Tensor, got ${labels === null ? 'null' : typeof labels}`);
  if (!isTensor(logits) || logits.rank !== 2 || !isTensor(labels) || labels.dtype !== 'int32' || labels.rank !== 1 || labels.shape[0] !== logits.shape[0]) {
    throw new SeqgradError('confusionMatrix', `expects logits [n, classes] and int32 labels [n], got ${describe(logits)} and ${describe(labels)}`);
  }
  const classes = logits.shape[1]!;
  if (previous !== undefined && previous.matrix.length !== classes) throw new SeqgradError('confusionMatrix', `previous has ${previous.matrix.length} classes, logits ${classes}`);
  const matrix = previous?.matrix.map((row) => [...row]) ?? Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  const picks = argmax(logits, -1).data;
  labels.data.forEach((label, i) => {
    if (!(label >= 0 && label < classes)) throw new SeqgradError('confusionMatrix', `labels[${i}] = ${label} is not a class id in [0, ${classes})`);
    matrix[label]![picks[i]!]! += 1;
  });
  const total = matrix.flat().reduce((s, n) => s + n, 0);
  const correct = matrix.reduce((s, row, c) => s + row[c]!, 0);
  return { matrix, accuracy: total === 0 ? 0 : correct / total, total };
};

const describe = (t: unknown): string => (isTensor(t) ? `${t.dtype} ${showShape(t.shape)}` : typeof t);
