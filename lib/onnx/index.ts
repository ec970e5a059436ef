/**
 * `seqgrad/onnx`: recurrent models as ONNX files, for ONNX Runtime on a server, a GPU
 * or in a browser. Needs the optional package `onnx-proto` (`npm install onnx-proto`),
 * loaded on first use; nothing here imports Node, so it bundles for a browser.
 *
 * @module
 */
export { exportOnnx, ONNX_OPSETS, type OnnxExportOptions } from './export.js';
export { OnnxDescriptionCodec, type OnnxDescription, type OnnxRecurrentDescription } from './description.js';
export type { OnnxParams } from './weights.js';
