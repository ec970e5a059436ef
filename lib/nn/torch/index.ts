/**
 * PyTorch-layout recurrent modules: `torch.rnn`, `torch.lstm`, `torch.gru` take
 * `torch.nn.RNN`-style configs, state_dict-named parameters and `(x, h0[, c0])`, and
 * return `(y, hn[, cn])`. Reached as the `torch` namespace of seqgrad so their names
 * stay apart from the cells `rnn`, `lstm` and `gru`.
 *
 * @module
 */
export { rnn, lstm, gru, type TorchRecurrent, type TorchCallOptions, type TorchOutput } from './builders.js';
export type { TorchConfig, StateDict, TorchKind } from './layout.js';
