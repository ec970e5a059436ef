// The WebAssembly module's exports: every kernel takes byte addresses into linear
// memory, which the JavaScript glue owns and lays out (nothing here allocates).

export { packA, packB } from './pack';
export { gemm, useEdgeSlot } from './gemm';
export { thinNN, thinNT } from './thin';
export { unary, binary, select } from './elementwise';
export { reduce, argmax, addInto } from './reduce';
export { lstmGates, lstmGatesBackward, gruGates, gruGatesBackward } from './gates';
export { gruResetGates, gruResetGatesBackward, gruUpdate, gruUpdateBackward } from './gru-reset';
export { lstmSequence } from './sequence';
export { gruBeforeStep, gruBeforeStepBackward } from './gru-step';

/** The first byte past the module's static data: the glue allocates from here up. */
export function heapBase(): usize {
  return __heap_base;
}
