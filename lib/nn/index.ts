/**
 * Neural-network building blocks: `scan` and the cell contract, the recurrent cells
 * and their initialisers, the combinators (`recurrent`, `bidirectional`, `stacked`),
 * PyTorch-layout modules (the `torch` namespace), layers, layer norm and losses,
 * attention and the encoder-decoder (seq2seq).
 *
 * @module
 */
export { scan, type ScanOptions } from './scan.js';
export * from './cell.js';
export * from './init.js';
export * from './cells/index.js';
export * from './recurrent.js';
export * from './bidirectional.js';
export * from './stacked.js';
export * from './carry-dropout.js';
export * from './gradient-flow.js';
export * as torch from './torch/index.js';
export * from './layer-norm.js';
export * from './losses.js';
export * from './layers/index.js';
export * from './attention.js';
export * from './seq2seq/index.js';
