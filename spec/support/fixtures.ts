/**
 * Loads the PyTorch reference fixtures kept in spec/fixtures/torch) as seqgrad tensors.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tensor, type DType, type Tensor } from '../../lib/index.js';

/** The fixtures folder, inside the repository (spec/fixtures/torch). */
export const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/torch');

/** A tensor as the fixtures encode it. */
export interface RawTensor { readonly shape: number[]; readonly data: number[]; readonly dtype?: string }

/** Reads one fixture file as parsed JSON. */
export const readFixture = (relative: string): Record<string, any> => JSON.parse(readFileSync(join(FIXTURES, relative), 'utf8'));

/** The fixture files of a folder, as paths relative to FIXTURES. */
export const fixtureFiles = (folder: string): string[] =>
  readdirSync(join(FIXTURES, folder)).filter((f) => f.endsWith('.json')).sort().map((f) => `${folder}/${f}`);

/** A fixture tensor in `dtype` (int64 ids become int32). */
export const toTensor = (raw: RawTensor, dtype: DType = 'float64'): Tensor =>
  tensor(raw.dtype === 'int64' ? new Int32Array(raw.data) : new Float64Array(raw.data), {
    shape: raw.shape,
    dtype: raw.dtype === 'int64' ? 'int32' : dtype,
  });
