/**
 * The TensorFlow.js peers, set up once per process. In Node, tfjs-core alone has no
 * gradients: importing tfjs-layers registers them. tfjs-backend-wasm fetches its
 * `.wasm` files from a path prefix; pointing that at the package's own dist folder
 * (found through Node's resolver, so no machine path is written anywhere) keeps it
 * offline. Under Node it loads the SIMD build, single-threaded.
 *
 * tfjs has one global active backend. Each peer implementation creates its variables
 * with its backend active and re-activates that backend before every run, so tensors
 * never migrate between backends while being timed.
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { PeerBackend } from './types.js';

export { tf, tfl };

let initialised = false;

/**
 * Points tfjs-backend-wasm at its bundled binaries and initialises both backends.
 * Idempotent.
 */
export const initPeers = async (): Promise<void> => {
  if (initialised) return;
  const require = createRequire(import.meta.url);
  const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
  setWasmPaths(dist + path.sep);
  for (const backend of ['wasm', 'cpu'] as const) {
    if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend '${backend}' failed to initialise`);
  }
  tf.enableProdMode(); // as a user timing tfjs would: no per-op NaN and shape debug checks
  initialised = true;
};

/** Makes `backend` tfjs's active backend (cheap once initialised). */
export const useTfBackend = async (backend: PeerBackend): Promise<void> => {
  if (tf.getBackend() !== backend) await tf.setBackend(backend);
};

/** Whether tfjs-wasm runs its SIMD build and with threads, for the machine record. */
export const wasmFeatures = (): { simd: boolean; threads: boolean } => ({
  simd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT') as boolean,
  threads: tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') as boolean,
});

/** The tfjs-core version in use. */
export const tfVersion = (): string => tf.version_core;
