/**
 * Recurrent cells: a PyTorch-named parameter record, `init` from a key, and a pure
 * `step` that never loops. RNN (tanh, relu), LSTM (optionally projected), GRU in both
 * conventions, and the layer-normalised LSTM.
 *
 * @module
 */
export { rnn, type RnnOptions } from './rnn.js';
export { lstm, type LstmParams, type LstmCarry, type LstmOptions } from './lstm.js';
export { gru, type GruOptions, type GruConvention } from './gru.js';
export { layerNormLstm, type LayerNormLstmParams, type LayerNormLstmOptions } from './layer-norm-lstm.js';
export type { RecurrentParams, CellSizes } from './gated.js';
