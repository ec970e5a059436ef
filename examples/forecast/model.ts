/**
 * The forecaster: a GRU reads the window (scaled change from the last value, and the
 * season's phase as sin/cos) and a dense layer maps its last output to every step of
 * the horizon at once (direct multi-step forecasting, no feeding back of its own
 * predictions, so errors do not compound).
 */
import { dense, gru, initDense, mse, recurrent, slice, splitKey, squeeze, type DenseParams, type Key, type RecurrentParams, type Tensor } from '../../lib/index.js';

/** The forecaster's parameters. */
export interface ForecastParams {
  readonly rnn: RecurrentParams;
  readonly head: DenseParams;
}

const cell = gru();
const layer = recurrent(cell);

/** Fresh parameters for `inputs` features, `hidden` units and `horizon` outputs. */
export const initForecaster = (k: Key, sizes: { inputs: number; hidden: number; horizon: number }): ForecastParams => {
  const [k1, k2] = splitKey(k);
  return {
    rnn: cell.init(k1, { inputSize: sizes.inputs, hiddenSize: sizes.hidden }),
    head: initDense(k2, { inputSize: sizes.hidden, outputSize: sizes.horizon }),
  };
};

/** Scaled forecasts `[n, horizon]` for windows `x [n, window, features]`. */
export const forecast = (p: ForecastParams, x: Tensor): Tensor => {
  const { outputs } = layer(p.rnn, x);
  const [n, steps, hidden] = outputs.shape as [number, number, number];
  return dense(p.head, squeeze(slice(outputs, [0, steps - 1, 0], [n, 1, hidden]), 1));
};

/** Mean squared error of the scaled forecasts. */
export const forecastLoss = (p: ForecastParams, batch: { readonly x: Tensor; readonly y: Tensor }): Tensor => mse(forecast(p, batch.x), batch.y);
