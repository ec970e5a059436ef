/**
 * Writing safetensors bytes from tensors already converted to their stored form
 * (safetensors-dtypes.ts): the header, the layout (wider elements first, so every
 * tensor starts at a multiple of its element size) and the data. `encodeSafetensors`
 * converts and writes; `encodeModel` converts once, checksums the stored bytes, and
 * writes the same ones.
 *
 * @module
 * @internal
 */
import { SeqgradError } from '../tensor/errors.js';
import type { StoredTensor } from './safetensors-dtypes.js';

/** A tensor as it is to be written: its name, its shape and its stored bytes. @internal */
export interface StoredEntry extends StoredTensor {
  readonly name: string;
  readonly shape: readonly number[];
}

/**
 * The safetensors bytes of tensors already converted to their stored form, for a
 * caller that needs those bytes itself too (`encodeModel` checksums them).
 *
 * @internal
 */
export const writeSafetensors = (stored: readonly StoredEntry[], metadata?: Readonly<Record<string, string>>): Uint8Array => {
  const layout = stored.map((entry, i) => ({ ...entry, i })).sort((a, b) => b.width - a.width || a.i - b.i);
  // no prototype, so a tensor named __proto__ is an ordinary key rather than a setter
  const header: Record<string, unknown> = Object.create(null);
  if (metadata !== undefined) header['__metadata__'] = checkMetadata(metadata);
  const offsets = new Map<string, [number, number]>();
  let end = 0;
  for (const { name, bytes } of layout) {
    offsets.set(name, [end, end + bytes.length]);
    end += bytes.length;
  }
  for (const { name, code, shape } of stored) {
    if (name === '__metadata__' || Object.prototype.hasOwnProperty.call(header, name)) {
      throw new SeqgradError('encodeSafetensors', `tensor name "${name}" is reserved or repeated`);
    }
    header[name] = { dtype: code, shape: [...shape], data_offsets: offsets.get(name) };
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + padded + end);
  const view = new DataView(out.buffer);
  view.setUint32(0, padded, true);
  view.setUint32(4, Math.floor(padded / 2 ** 32), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + padded);
  for (const { name, bytes } of layout) out.set(bytes, 8 + padded + offsets.get(name)![0]);
  return out;
};

/** The metadata as a plain record of strings, or a clear error naming a value that is not one. */
const checkMetadata = (metadata: Readonly<Record<string, string>>): Record<string, string> => {
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v !== 'string') throw new SeqgradError('encodeSafetensors', `metadata "${k}" must be a string, got ${typeof v}`);
  }
  return { ...metadata };
};
