/**
 * What the demo page and its worker say to each other, and the settings both sides
 * (and the browser test) rely on. Plain data only: every message crosses
 * `postMessage`, and model bytes travel as transferred buffers.
 */

/** The model the page trains: small enough to learn visibly within seconds. */
export const DEMO_CONFIG = { embed: 16, hidden: 64 } as const;

/** Training settings: Adam with clipping, as the Node example, on shorter batches. */
export const DEMO_TRAINING = { batch: 32, lr: 1e-2, clip: 1, seed: 0 } as const;

/** How samples are drawn while training: every `everySteps` steps, `count` names. */
export const TRAINING_SAMPLES = { everySteps: 25, count: 8, temperature: 0.8 } as const;

/** How samples are drawn from a loaded model file (the browser test draws the same in Node). */
export const LOADED_SAMPLES = { count: 8, temperature: 1, seed: 0 } as const;

/** The name the downloaded model file gets. */
export const DOWNLOAD_NAME = 'names-browser.safetensors';

/** The page to the worker. */
export type ToWorker =
  | { readonly type: 'train' }
  | { readonly type: 'stop' }
  | { readonly type: 'export' }
  | { readonly type: 'load'; readonly name: string; readonly bytes: ArrayBuffer };

/** The worker to the page. */
export type FromWorker =
  | { readonly type: 'ready'; readonly backend: string; readonly trainNames: number; readonly vocabSize: number; readonly parameters: number }
  | { readonly type: 'step'; readonly step: number; readonly loss: number; readonly seconds: number }
  | { readonly type: 'samples'; readonly step: number; readonly names: readonly string[] }
  | { readonly type: 'stopped'; readonly step: number }
  | { readonly type: 'model'; readonly bytes: ArrayBuffer }
  | { readonly type: 'loaded'; readonly name: string; readonly config: Readonly<Record<string, number>>; readonly names: readonly string[] }
  | { readonly type: 'error'; readonly message: string; readonly trainingStopped: boolean };
