/**
 * The threaded WebAssembly backend (Node only): the single-threaded backend, plus the
 * shared-memory build of the kernel module instantiated on the main thread over a
 * shared memory, with gemm helpers on worker threads that take a block of rows of each
 * product it is given. Products large enough go to it where that measures faster
 * (SplitPolicy); everything else runs in the single-threaded backend's own memory,
 * since copies into a shared memory cost more.
 *
 * @module
 */
import type { Kernels } from '../../backend.js';
import type { WasmMemory, WasmModule } from '../api.js';
import { checkWasmSupport, compileWasmModule, createWasmKernels, decodeBase64 } from '../index.js';
import { startGemmHelpers } from './helpers.js';
import { SHARED_WASM_BASE64 } from './module-shared.generated.js';

/** Options of `createThreadedWasmKernels`. @internal */
export interface ThreadedOptions {
  /** Threads in all, the main thread included (at least 2). */
  readonly threads: number;
  /** Products of fewer multiply-adds go to the reference (as in `createWasmKernels`; specs set 0). */
  readonly smallProduct?: number;
  /**
   * Smallest product, in multiply-adds, split across threads (default 2¹⁸: a 32×128×128
   * step product takes about 40 µs on one thread here, ten times the hand-off).
   */
  readonly minProduct?: number;
}

/** A threaded backend, how many helpers are up (asking starts them), and the way to end them. @internal */
export interface ThreadedKernels {
  readonly kernels: Kernels;
  readonly helpersReady: () => number;
  readonly stop: () => void;
}

/** The memory a shared module imports: the pages its build declares, growable to 2 GiB. */
const INITIAL_PAGES = 16;
const MAXIMUM_PAGES = 32768;

interface SharedWasmApi {
  readonly Module: new (bytes: Uint8Array) => WasmModule;
  readonly Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}

/** Builds the threaded backend; throws, saying why, where WebAssembly SIMD or threads are missing. @internal */
export const createThreadedWasmKernels = (options: ThreadedOptions): ThreadedKernels => {
  checkWasmSupport();
  const api = (globalThis as unknown as { WebAssembly: SharedWasmApi }).WebAssembly;
  const module = new api.Module(decodeBase64(SHARED_WASM_BASE64));
  const memory = new api.Memory({ initial: INITIAL_PAGES, maximum: MAXIMUM_PAGES, shared: true });
  const minProduct = options.minProduct ?? 1 << 18;
  const helpers = startGemmHelpers(module, memory, { count: options.threads - 1 });
  const shared = createWasmKernels(module, { memory, helpers, smallProduct: options.smallProduct });
  // everything but the products that measure faster split runs on an instance with its own memory
  const parallel = { minProduct, ready: () => helpers.ready() > 0, matmul: shared.matmul };
  const kernels = createWasmKernels(compileWasmModule(), { smallProduct: options.smallProduct, parallel });
  return { kernels, helpersReady: helpers.ready, stop: helpers.stop };
};
