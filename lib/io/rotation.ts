/**
 * A directory of numbered checkpoints (`checkpoint-000100.safetensors`, Node only):
 * naming, finding the newest good one, and keeping only the last N. Finders look only
 * at complete names, so the temporary files of an interrupted save are never taken for
 * checkpoints, and with `verify` they also skip any file whose header or size is wrong
 * (a file copied half-way by some other tool), falling back to the previous one.
 *
 * @module
 */
import { mkdir, open, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { SeqgradError } from '../tensor/errors.js';
import { saveCheckpoint } from './checkpoint.js';
import type { CheckpointContents } from './checkpoint-format.js';
import { checkLayout, headerLength, parseHeader } from './safetensors-header.js';

/** A checkpoint file found in a directory. */
export interface CheckpointFile {
  /** Its path. */
  readonly path: string;
  /** The step in its name. */
  readonly step: number;
}

const NAME = /^checkpoint-(\d+)\.safetensors$/;

// ---------------------------------------------------------------------------
// naming and finding
// ---------------------------------------------------------------------------

/**
 * The path of the checkpoint for `step` in `dir`, zero-padded to six digits so names
 * sort by step: `checkpoint-000100.safetensors`.
 */
export const checkpointPath = (dir: string, step: number): string => {
  if (!Number.isSafeInteger(step) || step < 0) throw new SeqgradError('checkpointPath', `step must be a non-negative integer, got ${step}`);
  return join(dir, `checkpoint-${String(step).padStart(6, '0')}.safetensors`);
};

/** The numbered checkpoints in `dir`, oldest first; temporary files are not listed. An absent directory has none. */
export const listCheckpoints = async (dir: string): Promise<CheckpointFile[]> => {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new SeqgradError('listCheckpoints', `${dir}: cannot list (${(e as Error).message})`);
  }
  return names
    .flatMap((name) => {
      const m = NAME.exec(name);
      return m ? [{ path: join(dir, name), step: Number(m[1]) }] : [];
    })
    .sort((a, b) => a.step - b.step);
};

/**
 * The newest checkpoint in `dir`, or undefined when there is none. With `verify` (the
 * default) a file is taken only if its header parses and its size matches the header,
 * read from the first bytes without loading the tensors.
 *
 * @example
 * ```ts
 * const last = await latestCheckpoint('runs/a');
 * if (last) ({ params, optState, meta } = await loadCheckpoint(last, templates));
 * ```
 */
export const latestCheckpoint = async (dir: string, options: { readonly verify?: boolean } = {}): Promise<string | undefined> => {
  const files = await listCheckpoints(dir);
  for (const file of files.reverse()) {
    if (options.verify === false || (await looksComplete(file.path))) return file.path;
  }
  return undefined;
};

// ---------------------------------------------------------------------------
// rotation
// ---------------------------------------------------------------------------

/** Deletes all but the newest `keep` checkpoints in `dir`; returns the deleted paths. */
export const pruneCheckpoints = async (dir: string, keep: number): Promise<string[]> => {
  if (!Number.isInteger(keep) || keep < 1) throw new SeqgradError('pruneCheckpoints', `keep must be a positive integer, got ${keep}`);
  const files = await listCheckpoints(dir);
  const old = files.slice(0, Math.max(0, files.length - keep)).map((f) => f.path);
  for (const path of old) await unlink(path).catch(() => undefined);
  return old;
};

/**
 * Saves `contents` atomically as `checkpoint-<step>.safetensors` in `dir` (created if
 * needed), then keeps only the newest `keep` checkpoints. Returns the new file's path.
 *
 * @example
 * ```ts
 * await saveRotatingCheckpoint('runs/a', { params, optState, meta }, { keep: 3 });
 * ```
 */
export const saveRotatingCheckpoint = async <P, S>(dir: string, contents: CheckpointContents<P, S>, options: { readonly keep: number }): Promise<string> => {
  if (!Number.isInteger(options.keep) || options.keep < 1) throw new SeqgradError('saveRotatingCheckpoint', `keep must be a positive integer, got ${options.keep}`);
  await mkdir(dir, { recursive: true });
  const path = checkpointPath(dir, contents.meta.step);
  await saveCheckpoint(path, contents);
  await pruneCheckpoints(dir, options.keep);
  return path;
};

// ---------------------------------------------------------------------------
// utilities
// ---------------------------------------------------------------------------

/** Whether a file's header parses and its size matches the header's layout. @internal */
const looksComplete = async (path: string): Promise<boolean> => {
  let handle;
  try {
    handle = await open(path, 'r');
    const { size } = await handle.stat();
    const head = new Uint8Array(8);
    await handle.read(head, 0, 8, 0);
    if (size < 8) return false;
    const length = headerLength(head);
    if (length > size - 8) return false;
    const bytes = new Uint8Array(8 + length);
    await handle.read(bytes, 0, bytes.length, 0);
    const header = parseHeader(bytes, path, size);
    checkLayout(header.entries, size - header.dataStart, path);
    return true;
  } catch {
    return false;
  } finally {
    await handle?.close();
  }
};
