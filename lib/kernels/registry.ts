/**
 * Which backend runs the kernels. The WebAssembly SIMD backend is the default wherever
 * WebAssembly SIMD exists; `SEQGRAD_BACKEND=js` in the environment, or
 * `useBackend('js')`, picks the pure-TypeScript reference. The choice is made on first
 * use, not at import, so importing seqgrad never compiles anything.
 *
 * In a browser's main thread, synchronous compilation of a large WebAssembly module is
 * forbidden: there the first use falls back to the reference backend until
 * `await ready()` has compiled the module asynchronously (a Web Worker has no such
 * limit).
 *
 * @module
 */
import { SeqgradError } from './errors.js';
import type { Kernels } from './backend.js';
import { referenceKernels } from './reference/index.js';
import { loadWasmKernels, loadWasmKernelsAsync } from './wasm/index.js';

/** The names `useBackend` accepts. */
export type BackendName = 'js' | 'wasm';

let active: Kernels | null = null;
let wasm: Kernels | null = null;
let wasmFailure: string | null = null;

/** The environment's SEQGRAD_BACKEND, read without importing anything of Node. */
const requested = (): string | undefined =>
  (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.SEQGRAD_BACKEND;

const tryWasm = (): Kernels | null => {
  if (wasm !== null || wasmFailure !== null) return wasm;
  try {
    wasm = loadWasmKernels();
  } catch (error) {
    wasmFailure = error instanceof Error ? error.message : String(error);
  }
  return wasm;
};

/** The backend that runs kernels now (chosen on first use). @internal */
export const kernels = (): Kernels => active ?? choose();

const choose = (): Kernels => {
  const name = requested();
  if (name !== undefined && name !== '' && name !== 'js' && name !== 'wasm') {
    throw new Error(`SEQGRAD_BACKEND must be 'js' or 'wasm', got ${JSON.stringify(name)}`);
  }
  active = name === 'js' ? referenceKernels : (tryWasm() ?? referenceKernels);
  return active;
};

/**
 * Picks the backend for everything computed from now on: `'wasm'` (WebAssembly SIMD
 * for float32, the default where available) or `'js'` (the pure-TypeScript reference).
 * Throws, saying why, when WebAssembly cannot be used here.
 *
 * @example
 * ```ts
 * useBackend('js');   // e.g. to compare results with the reference kernels
 * ```
 */
export const useBackend = (name: BackendName): void => {
  if (name === 'js') {
    active = referenceKernels;
    return;
  }
  if (name !== 'wasm') throw new SeqgradError('useBackend', `name must be 'js' or 'wasm', got ${typeof name === 'string' ? JSON.stringify(name) : String(name)}`);
  const loaded = tryWasm();
  if (loaded === null) throw new SeqgradError('useBackend', `name 'wasm': the WebAssembly backend cannot be used here: ${wasmFailure}`);
  active = loaded;
};

/**
 * Installs `backend` as the WebAssembly backend (the threaded one of the Node entry, say)
 * and makes it the active one, unless the reference was asked for (`SEQGRAD_BACKEND=js`
 * or `useBackend('js')`). Returns the backend it replaced.
 *
 * @internal
 */
export const installWasmBackend = (backend: Kernels): Kernels | null => {
  const before = wasm;
  wasm = backend;
  wasmFailure = null;
  if (active !== referenceKernels && requested() !== 'js') active = backend;
  return before;
};

/** The name of the backend in use (`'wasm'` or `'js'`), choosing the default if none was chosen yet. */
export const backendName = (): string => kernels().name;

/**
 * Compiles the WebAssembly backend asynchronously and makes it the active backend
 * (unless `SEQGRAD_BACKEND=js` asked for the reference). Needed only on a browser's
 * main thread, where synchronous compilation is forbidden; elsewhere it resolves at once.
 *
 * @example
 * ```ts
 * await ready();   // in a browser page, before training
 * ```
 */
export const ready = async (): Promise<string> => {
  if (requested() === 'js') return kernels().name;
  if (wasm === null) {
    try {
      wasm = await loadWasmKernelsAsync();
      wasmFailure = null;
    } catch (error) {
      wasmFailure = error instanceof Error ? error.message : String(error);
    }
  }
  if (wasm !== null && (active === null || active === referenceKernels)) active = wasm;
  return kernels().name;
};
