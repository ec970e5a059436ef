/**
 * Operands in and results out of the module's scratch memory, for kernels that take
 * float32 arrays and run one call of the module over them (the fused gates, the fused
 * GRU step).
 *
 * @module
 */
import { layout, type Heap } from './heap.js';

/**
 * Copies `inputs` into scratch, followed by room for outputs of `outputLengths`
 * elements; returns the byte address of each, inputs first.
 *
 * @internal
 */
export const stage = (heap: Heap, inputs: readonly Float32Array[], outputLengths: readonly number[]): number[] => {
  const { offsets, bytes } = layout([...inputs.map((x) => x.length), ...outputLengths]);
  const base = heap.scratch(bytes);
  const view = heap.f32();
  inputs.forEach((x, i) => view.set(x, (base + offsets[i]!) >> 2));
  return offsets.map((o) => base + o);
};

/** Copies each output's elements back from its byte address in `at`. @internal */
export const unload = (heap: Heap, outputs: readonly Float32Array[], at: readonly number[]): void => {
  const view = heap.f32();
  outputs.forEach((out, i) => out.set(view.subarray(at[i]! >> 2, (at[i]! >> 2) + out.length)));
};
