/**
 * Training: the `fit` loop over batches from arrays, iterables, async iterables or
 * shuffled datasets; metrics; callbacks (early stopping, learning-rate logging,
 * checkpointing); progress as a bar or JSON lines; loss plots as SVG and in the
 * terminal; and checkpoints of the whole training state for exact resumption. This
 * entry uses Node (files, the terminal) and is kept out of the browser-friendly core.
 *
 * @module
 */
export * from './types.js';
export * from './batches.js';
export * from './metrics.js';
export * from './confusion.js';
export * from './fit.js';
export * from './callbacks.js';
export * from './checkpoints.js';
export * from './progress.js';
export * from './chart.js';
export * from './plot.js';
export * from './sequence-metrics.js';
export * from './regression-metrics.js';
