/**
 * The reference backend: every kernel as a plain TypeScript loop over typed arrays,
 * for every dtype. It is the definition the WebAssembly backend is checked against,
 * and it runs whatever that backend does not take (float64, int32, or no
 * WebAssembly SIMD at all).
 *
 * @module
 */
import type { Kernels } from '../backend.js';
import { addInto, broadcastInto, mapBinary, mapTernary, mapUnary } from './elementwise.js';
import {
  gruGates, gruGatesBackward, gruResetGates, gruResetGatesBackward, gruUpdate, gruUpdateBackward, lstmGates, lstmGatesBackward,
} from './gates.js';
import { copyWindow, flip, gather, permute, scatterAdd } from './layout.js';
import { matmul } from './matmul.js';
import { BINARY, UNARY } from './opcodes.js';
import { gruBeforeStepBackwardWith, gruBeforeStepWith } from './gru-step.js';
import { lstmSequence } from './sequence.js';
import { argmaxAxis, reduceAxes } from './reduce.js';

const select = (c: number, x: number, y: number): number => (c !== 0 ? x : y);

const gruParts = { matmul, addInto, gruResetGates, gruResetGatesBackward, gruUpdate, gruUpdateBackward };

/** The pure-TypeScript kernels, selected with `useBackend('js')` or `SEQGRAD_BACKEND=js`. */
export const referenceKernels: Kernels = {
  name: 'js',
  unary: (op, x, out) => mapUnary(x, out, UNARY[op]),
  binary: (op, a, aDims, b, bDims, out, outDims) => mapBinary(a, aDims, b, bDims, out, outDims, BINARY[op]),
  select: (cond, condDims, x, xDims, y, yDims, out, outDims) =>
    mapTernary([cond, x, y], [condDims, xDims, yDims], out, outDims, select),
  addInto,
  broadcastInto,
  reduce: reduceAxes,
  argmax: argmaxAxis,
  matmul,
  permute,
  copyWindow,
  flip,
  gather,
  scatterAdd,
  lstmGates,
  lstmGatesBackward,
  lstmSequence,
  gruGates,
  gruGatesBackward,
  gruResetGates,
  gruResetGatesBackward,
  gruUpdate,
  gruUpdateBackward,
  gruBeforeStep: gruBeforeStepWith(gruParts),
  gruBeforeStepBackward: gruBeforeStepBackwardWith(gruParts),
};

export { MATMUL_BLOCKS } from './matmul.js';
export { stableSigmoid, UNARY, BINARY } from './opcodes.js';
