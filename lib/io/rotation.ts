/**
 * A directory of numbered checkpoints (`checkpoint-000100.safetensors`, Node only):
 * naming, finding the newest good one, and keeping only the last N. Finders look only
 * at complete names, so the temporary files of an interrupted save are never taken for
 * checkpoints, and with `verify` they also skip any file whose header or size is wrong
 * (a file copied half-way by some other tool), falling back to the previous one.
 *
 * @module
 */
import { unlinkSync } from 'node:fs';
import { mkdir, open, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { SeqgradError, showValue } from '../tensor/errors.js';
import { expectPath } from './args.js';
import { saveCheckpoint, TEMPORARY_MARK } from './checkpoint.js';
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
  expectPath('listCheckpoints', dir, 'dir', 'directory');
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
 * const templates = { params: { w: zeros([2, 3]) }, optState: adam().init({ w: zeros([2, 3]) }) };
 * const last = await latestCheckpoint('runs/a');
 * const resumed = last === undefined ? undefined : await loadCheckpoint(last, templates);
 * ```
 */
export const latestCheckpoint = async (dir: string, options: { readonly verify?: boolean } = {}): Promise<string | undefined> => {
  expectPath('latestCheckpoint', dir, 'dir', 'directory');
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
 * const params = { w: zeros([2, 3]) };
 * const meta = { step: 100, epoch: 1, key: k, optimizer: 'adam' };
 * await saveRotatingCheckpoint('runs/a', { params, optState: adam().init(params), meta }, { keep: 3 });
 * ```
 */
export const saveRotatingCheckpoint = async <P, S>(dir: string, contents: CheckpointContents<P, S>, options: { readonly keep: number }): Promise<string> => {
  const op = 'saveRotatingCheckpoint';
  if (typeof dir !== 'string' || dir === '') throw new SeqgradError(op, `dir must be a directory path, got ${showValue(dir)}`);
  if (typeof options !== 'object' || options === null || !Number.isInteger(options.keep) || options.keep < 1) {
    throw new SeqgradError(op, `options.keep must be a positive integer, got ${showValue(options?.keep)}`);
  }
  await mkdir(dir, { recursive: true });
  // one writer per folder: a second run would prune this one's files and be resumed by mistake
  await lockCheckpointDir(dir, op);
  await removeStaleTemporaries(dir);
  const path = checkpointPath(dir, contents.meta.step);
  await saveCheckpoint(path, contents);
  await pruneCheckpoints(dir, options.keep);
  return path;
};

// ---------------------------------------------------------------------------
// one writer per folder, and no stale temporary files
// ---------------------------------------------------------------------------

/** The lock file that marks a checkpoint folder as written by one process. */
export const LOCK_NAME = '.seqgrad-checkpoints.lock';

/** The folders this process holds the lock of (released when the process exits). */
const held = new Set<string>();

/**
 * Takes the checkpoint folder `dir` for this process, or refuses naming the process
 * that holds it. The lock file holds the owner's pid and host; a lock whose pid is no
 * longer running on this host is stale (a run killed with -9) and is taken over. The
 * lock is released when this process exits; calling again from the owner is a no-op.
 *
 * @example
 * ```ts
 * await lockCheckpointDir('runs/a');   // throws if another live process writes there
 * ```
 */
export const lockCheckpointDir = async (dir: string, op = 'lockCheckpointDir'): Promise<void> => {
  if (typeof dir !== 'string' || dir === '') throw new SeqgradError(op, `dir must be a directory path, got ${showValue(dir)}`);
  const path = join(dir, LOCK_NAME);
  if (held.has(path)) return;
  const mine = JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(path, mine, { flag: 'wx' });
      held.add(path);
      if (held.size === 1) process.once('exit', releaseLocks);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new SeqgradError(op, `${path}: cannot create the lock (${(e as Error).message})`);
    }
    const owner = await readOwner(path);
    if (owner !== undefined && owner.pid === process.pid && owner.host === hostname()) {
      held.add(path); // ours, from an earlier call whose record was lost (a reloaded module)
      return;
    }
    if (owner !== undefined && (owner.host !== hostname() || isRunning(owner.pid))) {
      throw new SeqgradError(op, `${dir}: another run is writing checkpoints here (process ${owner.pid} on ${owner.host}, since ${owner.since}); use another folder, or delete ${path} if that process is gone`);
    }
    // stale: its owner has died (or the file is unreadable garbage); take it over
    await unlink(path).catch(() => undefined);
  }
  throw new SeqgradError(op, `${path}: could not take the lock after three attempts (another process keeps taking it)`);
};

/**
 * Deletes temporary files of interrupted saves in `dir` whose writing process is no
 * longer running (a save killed mid-write leaves one, possibly large). Files of live
 * processes, this one included, are left alone. Returns the deleted paths.
 *
 * @example
 * ```ts
 * const removed = await removeStaleTemporaries('runs/a');
 * ```
 */
export const removeStaleTemporaries = async (dir: string): Promise<string[]> => {
  if (typeof dir !== 'string' || dir === '') throw new SeqgradError('removeStaleTemporaries', `dir must be a directory path, got ${showValue(dir)}`);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = TEMPORARY.exec(name);
    if (m === null || isRunning(Number(m[1]))) continue;
    const path = join(dir, name);
    await unlink(path).then(() => removed.push(path), () => undefined);
  }
  return removed;
};

/** `.<target>.tmp-<pid>-<hex>`, as writeFileAtomic names them. */
const TEMPORARY = new RegExp(`^\\..+${TEMPORARY_MARK.replace('.', '\\.')}(\\d+)-[0-9a-f]+$`);

interface Owner { readonly pid: number; readonly host: string; readonly since: string }

const readOwner = async (path: string): Promise<Owner | undefined> => {
  try {
    const json = JSON.parse(await readFile(path, 'utf8')) as Partial<Owner>;
    return Number.isSafeInteger(json.pid) && typeof json.host === 'string' ? { pid: json.pid!, host: json.host, since: String(json.since) } : undefined;
  } catch {
    return undefined;
  }
};

/** Whether a process with this pid runs on this machine (signal 0 checks without sending). */
const isRunning = (pid: number): boolean => {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
};

const releaseLocks = (): void => {
  for (const path of held) {
    try {
      unlinkSync(path);
    } catch {
      // already gone: nothing to release
    }
  }
  held.clear();
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
