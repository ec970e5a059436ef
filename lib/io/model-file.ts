/**
 * Model files (Node only): `saveModel` writes `encodeModel`'s bytes atomically,
 * creating missing folders, and `loadModel` reads and decodes them.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import { SeqgradError } from '../tensor/errors.js';
import { writeFileAtomic } from './checkpoint.js';
import { decodeModel, encodeModel, type DecodedModel, type DecodeModelOptions, type ModelContents } from './model.js';
import type { EncodeTensorsOptions } from './safetensors.js';
import { checkEncodeOptions } from './safetensors-dtypes.js';

/**
 * Saves a model (parameters, config, vocabulary) to `path` atomically; with
 * `options.dtype` the floating-point parameters are stored as float16 or bfloat16.
 *
 * @example
 * ```ts
 * const params = { w: zeros([128, 32]) };
 * await saveModel('runs/names/model.safetensors', { params, config: { hidden: 128 }, vocab });
 * await saveModel('runs/names/model-f16.safetensors', { params }, { dtype: 'float16' });
 * ```
 */
export const saveModel = async <P>(path: string, contents: ModelContents<P>, options: EncodeTensorsOptions = {}): Promise<void> => {
  checkPath('saveModel', path);
  checkEncodeOptions('saveModel', options);
  await writeFileAtomic(path, encodeModel(contents, options), 'saveModel');
};

/**
 * Loads a model file written by `saveModel` (or any safetensors file), checked as
 * `decodeModel` checks it; errors name the file.
 *
 * @example
 * ```ts
 * const { params, config, vocab } = await loadModel('runs/names/model.safetensors');
 * ```
 */
export const loadModel = async <P = unknown>(path: string, options: Omit<DecodeModelOptions<P>, 'source'> = {}): Promise<DecodedModel<P>> => {
  checkPath('loadModel', path);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new SeqgradError('loadModel', `${path}: cannot read the file (${(e as Error).message})`);
  }
  return decodeModel(bytes, { ...options, source: path });
};

const checkPath = (op: string, path: unknown): void => {
  if (typeof path !== 'string' || path === '') throw new SeqgradError(op, `path must be a file path, got ${JSON.stringify(path) ?? typeof path}`);
};
