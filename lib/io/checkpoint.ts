/**
 * Checkpoint files (Node only): atomic saves and strict loads of the checkpoint format.
 * A save writes a hidden temporary file in the target's own directory, fsyncs it,
 * renames it over the target and fsyncs the directory. Rename within one file system
 * replaces the name in one step, so after a crash at any instant the target names
 * either the previous complete file or the new complete file, never a torn one; the
 * directory fsync makes the rename itself survive a power cut. A crash can leave only
 * a stray temporary file, which the checkpoint finders ignore.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { SeqgradError } from '../tensor/errors.js';
import { expectBytes, expectPath } from './args.js';
import {
  decodeCheckpoint,
  encodeCheckpoint,
  expectContents,
  type CheckpointContents,
  type CheckpointTemplates,
  type LoadedCheckpoint,
} from './checkpoint-format.js';

/** @internal Marks temporary files: `.<target>.tmp-<pid>-<random>`. */
export const TEMPORARY_MARK = '.tmp-';

// ---------------------------------------------------------------------------
// saving and loading
// ---------------------------------------------------------------------------

/**
 * Saves parameters, optimizer state and metadata to `path` atomically: a crash at any
 * moment leaves either the old file or the new one at `path`.
 *
 * @example
 * ```ts
 * const params = { w: zeros([2, 3]) };
 * const optState = adam().init(params);
 * const config = { hidden: 3 };
 * await saveCheckpoint('runs/a/checkpoint-000100.safetensors', {
 *   params, optState, meta: { step: 100, epoch: 1, key: k, optimizer: 'adam', config },
 * });
 * ```
 */
export const saveCheckpoint = async <P, S>(path: string, contents: CheckpointContents<P, S>): Promise<void> => {
  expectPath('saveCheckpoint', path);
  expectContents('saveCheckpoint', contents);
  await writeFileAtomic(path, encodeCheckpoint(contents, path), 'saveCheckpoint');
};

/**
 * Loads the checkpoint at `path`, checking every tensor against the templates (which
 * are left untouched); any missing, extra, misshapen, mistyped or corrupted tensor is
 * refused with an error naming the file and the tensor.
 *
 * @example
 * ```ts
 * const init = { w: zeros([2, 3]) };
 * const { params, optState, meta } = await loadCheckpoint(path, { params: init, optState: adam().init(init) });
 * ```
 */
export const loadCheckpoint = async <P, S>(path: string, templates: CheckpointTemplates<P, S>): Promise<LoadedCheckpoint<P, S>> => {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new SeqgradError('loadCheckpoint', `${path}: cannot read the file (${(e as Error).message})`);
  }
  return decodeCheckpoint(bytes, templates, path);
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

/**
 * Writes `bytes` to `path` so that readers only ever see the old or the new contents:
 * temporary file, fsync, rename, directory fsync. The temporary file is removed if
 * anything fails before the rename.
 */
export const writeFileAtomic = async (path: string, bytes: Uint8Array, op = 'writeFileAtomic'): Promise<void> => {
  expectPath(op, path);
  expectBytes(op, bytes);
  const dir = dirname(path);
  const temporary = join(dir, `.${basename(path)}${TEMPORARY_MARK}${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    // saving into a fresh run folder is the common case: make it rather than fail
    await mkdir(dir, { recursive: true });
    const handle = await open(temporary, 'wx', 0o644);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (e) {
    await unlink(temporary).catch(() => undefined);
    throw new SeqgradError(op, `${path}: could not write (${(e as Error).message}); any previous file there is unchanged`);
  }
  await syncDirectory(dir).catch((e: Error) => {
    throw new SeqgradError(op, `${path}: written, but syncing its directory failed (${e.message}); a power cut could still lose the rename`);
  });
};

/** Makes a rename in `dir` durable; platforms that cannot fsync a directory (Windows) skip it. @internal */
const syncDirectory = async (dir: string): Promise<void> => {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EBADF') throw e;
  } finally {
    await handle?.close();
  }
};
