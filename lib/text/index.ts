/**
 * Text helpers: a vocabulary (characters or tokens, with pad, bos, eos and unk),
 * padding ragged sequences to ids and lengths, length-bucketed batches and seeded
 * splits, sampling from logits and generating from a language model.
 *
 * @module
 */
export * from './vocab.js';
export * from './batch.js';
export * from './sampling.js';
export * from './rows.js';
