/**
 * The WebAssembly SIMD backend for float32: matrix products (blocked and packed, with
 * weights kept resident between calls), elementwise maps, reductions and the fused
 * gate steps run in a module compiled from AssemblyScript (./assembly); data
 * movement runs as row-block copies; every float64 or int32 call, and whatever the
 * module does not take, goes to the reference kernels, which define the results.
 *
 * The module's bytes are inlined (module.generated.ts), so loading needs no file
 * access: `loadWasmKernels` compiles synchronously (Node, workers),
 * `loadWasmKernelsAsync` asynchronously (a browser's main thread).
 *
 * @module
 */
import type { Kernels, MatrixOperand } from '../backend.js';
import { referenceKernels as ref } from '../reference/index.js';
import { gruBeforeStepBackwardWith, gruBeforeStepWith } from '../reference/gru-step.js';
import { lstmSequenceWith } from '../reference/sequence.js';
import type { NumArray } from '../types.js';
import { webAssembly, type WasmApi, type WasmMemory, type WasmModule } from './api.js';
import { createElementwise } from './elementwise.js';
import type { WasmExports } from './exports.js';
import { createGates } from './gates.js';
import { Heap } from './heap.js';
import { layoutKernels } from './layout.js';
import { createMatmul, createPackedB, type GemmHelpers } from './matmul.js';
import { createGruStep } from './gru-step.js';
import { WASM_BASE64 } from './module.generated.js';
import { Resident } from './resident.js';
import { createSequence } from './sequence.js';
import { SplitPolicy } from './split-policy.js';

/** Milliseconds from the host's monotonic clock (performance.now, in browsers and Node). */
const now = (): number => (globalThis as unknown as { performance: { now(): number } }).performance.now();

/** Options of `createWasmKernels`. @internal */
export interface WasmOptions {
  /** Most bytes of packed or copied operands kept resident between calls (default 64 MB). */
  readonly residentBytes?: number;
  /** Products of fewer multiply-adds go to the reference (default 1024; specs set 0 to test every path). */
  readonly smallProduct?: number;
  /** The memory to import, for a module built to import one (the shared-memory variant). */
  readonly memory?: WasmMemory;
  /** Other threads that take a share of each large product's rows (see GemmHelpers). */
  readonly helpers?: GemmHelpers;
  /** A threaded product to use instead of this backend's own where it measures faster. */
  readonly parallel?: ParallelProducts;
}

/**
 * Large products on several threads: the matmul of a second instance, over shared
 * memory, whose helpers take blocks of rows. The backend that has one keeps its own
 * memory for everything else (copies into a shared memory cost more) and, per size of
 * product, uses whichever of the two measures faster (SplitPolicy).
 *
 * @internal
 */
export interface ParallelProducts {
  /** Smallest product, in multiply-adds, worth trying on several threads. */
  readonly minProduct: number;
  /** Whether the helpers are up (asking starts them). */
  ready(): boolean;
  /** The threaded instance's matmul. */
  readonly matmul: Kernels['matmul'];
}

/** A wasm backend with a window on its memory, for specs and benchmarks. @internal */
export interface WasmKernels extends Kernels {
  /** Bytes and blocks held by resident operands, and the linear memory's high-water mark. */
  stats(): { residentBytes: number; residentBlocks: number; heapBytes: number };
}

const DEFAULT_RESIDENT_BYTES = 64 * 1024 * 1024;
/**
 * Products of fewer multiply-adds than this run in the reference: crossing into the
 * module costs about 0.3-1 µs, which an 8×8×8 product takes there (measured on this
 * 2-core machine: 8³ 0.7 µs reference vs 1 µs wasm, 16³ 6.6 vs 2).
 */
const SMALL_PRODUCT = 1024;

// a function returning a v128 (i32.const 0; i8x16.splat; i8x16.popcnt): validates only where SIMD exists
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

let bytes: Uint8Array | null = null;

/** The module's bytes, decoded once from the inlined base64. */
const moduleBytes = (): Uint8Array => {
  bytes ??= decodeBase64(WASM_BASE64);
  return bytes;
};

/** Bytes from base64 text (atob exists in browsers and Node ≥ 16). @internal */
export const decodeBase64 = (base64: string): Uint8Array => {
  const text = atob(base64);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
};

/** The WebAssembly API; throws, saying why, when this JavaScript engine cannot run the module. */
const checkSupport = (): WasmApi => {
  const api = webAssembly();
  if (typeof api !== 'object' || typeof api.validate !== 'function') {
    throw new Error('the WebAssembly kernels need WebAssembly, which this JavaScript engine does not provide');
  }
  if (!api.validate(SIMD_PROBE)) {
    throw new Error('the WebAssembly kernels need WebAssembly SIMD (fixed-width, 128-bit), which this engine does not support');
  }
  return api;
};

/** The backend over an instance of the compiled module. @internal */
export const createWasmKernels = (module: WasmModule, options: WasmOptions = {}): WasmKernels => {
  const api = checkSupport();
  const imports = options.memory === undefined ? {} : { env: { memory: options.memory } };
  const wasm = new api.Instance(module, imports).exports as unknown as WasmExports;
  const heap = new Heap(options.memory ?? wasm.memory, wasm.heapBase());
  const resident = new Resident(heap, options.residentBytes ?? DEFAULT_RESIDENT_BYTES);
  const product = createMatmul(wasm, heap, resident, options.helpers);
  const isF32 = (x: NumArray): x is Float32Array => x instanceof Float32Array;
  const small = options.smallProduct ?? SMALL_PRODUCT;
  const policy = new SplitPolicy();
  const backend: WasmKernels = {
    name: 'wasm',
    ...createElementwise(wasm, heap),
    ...layoutKernels,
    ...createGates(wasm, heap),
    broadcastInto: ref.broadcastInto,
    matmul: (a: MatrixOperand, b: MatrixOperand, out: NumArray, outOffset: number, m: number, n: number, k: number, accumulate = false) => {
      if (!isF32(a.data) || !isF32(b.data) || !isF32(out) || m * n * k < small) return ref.matmul(a, b, out, outOffset, m, n, k, accumulate);
      const { parallel } = options;
      if (parallel === undefined || m < 8 || m * n * k < parallel.minProduct || !parallel.ready()) {
        product(a, b, out, outOffset, m, n, k, accumulate);
        return;
      }
      const split = policy.shouldSplit(m * n * k);
      const started = now();
      if (split) parallel.matmul(a, b, out, outOffset, m, n, k, accumulate);
      else product(a, b, out, outOffset, m, n, k, accumulate);
      policy.record(m * n * k, split, now() - started);
    },
    lstmSequence: (...args) => sequence(...args),
    gruBeforeStep: (...args) => gruStep.gruBeforeStep(...args),
    gruBeforeStepBackward: (...args) => gruStep.gruBeforeStepBackward(...args),
    stats: () => ({ residentBytes: resident.bytes, residentBlocks: resident.count, heapBytes: heap.size }),
  };
  const sequence = createSequence(wasm, heap, resident, lstmSequenceWith(backend));
  const gruStep = createGruStep(wasm, heap, createPackedB(wasm, heap, resident), {
    gruBeforeStep: gruBeforeStepWith(backend),
    gruBeforeStepBackward: gruBeforeStepBackwardWith(backend),
  });
  return backend;
};

/** Throws, saying why, unless this engine runs WebAssembly SIMD. @internal */
export const checkWasmSupport = (): void => {
  checkSupport();
};

/** Compiles and instantiates the backend synchronously; throws when it cannot. @internal */
export const loadWasmKernels = (): Kernels => createWasmKernels(compileWasmModule());

/** Compiles and instantiates the backend asynchronously. @internal */
export const loadWasmKernelsAsync = async (): Promise<Kernels> => {
  const api = checkSupport();
  return createWasmKernels(await api.compile(moduleBytes()));
};

/** Compiles the module synchronously, for specs and benchmarks that want their own instances. @internal */
export const compileWasmModule = (): WasmModule => new (checkSupport().Module)(moduleBytes());
