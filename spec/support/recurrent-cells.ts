/**
 * Every cell variant, for properties that draw one at random, and the identity relu
 * RNN (w_ih = w_hh = 1, no bias) whose outputs on positive inputs are prefix sums —
 * easy to compute by hand for the combinator specs.
 */
import fc from 'fast-check';
import { gru, layerNormLstm, lstm, rnn, tensor, type Cell, type CellSizes, type RecurrentParams } from '../../lib/index.js';

/** A named cell variant. */
export interface Variant { readonly label: string; readonly cell: Cell<any, any, CellSizes> }

/** All cell variants. */
export const VARIANTS: readonly Variant[] = [
  { label: 'rnn tanh', cell: rnn() },
  { label: 'rnn relu', cell: rnn({ nonlinearity: 'relu' }) },
  { label: 'lstm', cell: lstm() },
  { label: 'gru reset-after', cell: gru() },
  { label: 'gru reset-before', cell: gru({ convention: 'reset-before' }) },
  { label: 'layerNormLstm', cell: layerNormLstm() },
];

/** One cell variant at random. */
export const variantArb: fc.Arbitrary<Variant> = fc.constantFrom(...VARIANTS);

/** h' = relu(w_ih·x + w_hh·h) with one unit; on positive inputs h_t is a running sum. */
export const identityRelu = (wIh = 1, wHh = 1): RecurrentParams => ({
  weight_ih: tensor([[wIh]], { dtype: 'float64' }), weight_hh: tensor([[wHh]], { dtype: 'float64' }), bias_ih: null, bias_hh: null,
});
