/**
 * ONNX Runtime (its WebAssembly build, in Node) as an independent judge of exported
 * models: runs bytes on seqgrad tensors and returns seqgrad tensors, and compares
 * them with float32's tolerance.
 */
import * as ort from 'onnxruntime-web';
import { expect } from 'vitest';
import { tensor, type Tensor } from '../../lib/index.js';

ort.env.wasm.numThreads = 1;

/** Runs an ONNX model on float32 or int32 feeds; the outputs come back as float32 tensors. */
export const runOnnx = async (bytes: Uint8Array, feeds: Readonly<Record<string, Tensor>>): Promise<Record<string, Tensor>> => {
  const session = await ort.InferenceSession.create(bytes);
  const inputs = Object.fromEntries(Object.entries(feeds).map(([name, t]) => [name, t.dtype === 'int32'
    ? new ort.Tensor('int32', Int32Array.from(t.data), [...t.shape])
    : new ort.Tensor('float32', Float32Array.from(t.data), [...t.shape])]));
  const outputs = await session.run(inputs);
  await session.release();
  return Object.fromEntries(Object.entries(outputs).map(([name, o]) => [name, tensor(Float32Array.from(o.data as Float32Array), { shape: o.dims.map(Number) })]));
};

/** The input and output names of an ONNX model, as ONNX Runtime reads them. */
export const onnxNames = async (bytes: Uint8Array): Promise<{ inputs: readonly string[]; outputs: readonly string[] }> => {
  const session = await ort.InferenceSession.create(bytes);
  const names = { inputs: [...session.inputNames], outputs: [...session.outputNames] };
  await session.release();
  return names;
};

/** Equal shapes and every element within `tolerance` absolutely (float32 work on values of order 1). */
export const expectNear = (actual: Tensor | undefined, expected: Tensor, what: string, tolerance = 3e-5): void => {
  expect(actual, `${what}: missing`).toBeDefined();
  expect(actual!.shape, `${what}: shape`).toEqual(expected.shape);
  let worst = 0;
  let at = -1;
  expected.data.forEach((e, i) => {
    const d = Math.abs(actual!.data[i]! - e);
    if (!(d <= worst)) {
      worst = d;
      at = i;
    }
  });
  expect(worst, `${what}: worst difference at flat index ${at} (got ${actual!.data[at]}, want ${expected.data[at]})`).toBeLessThanOrEqual(tolerance);
};
