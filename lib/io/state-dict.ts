/**
 * Loading a file's tensors into a parameter tree as PyTorch's `load_state_dict` does:
 * tensor names are tree paths in state_dict form (`layers.0.weight_ih_l0`), a `prefix`
 * picks one module's tensors out of a whole model's file, and every name the template
 * wants and the file lacks, every name only the file has, and every shape or dtype that
 * differs is reported in one error, under the names the file uses, so the message
 * reads the same as the keys a PyTorch user sees in `model.state_dict()`.
 *
 * @module
 * @internal
 */
import { SeqgradError, showShape, showValue } from '../tensor/errors.js';
import { shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { flatten, unflatten } from '../tree/index.js';
import type { SafetensorsDType } from './safetensors-header.js';

/** How a template load went: the tree and, when not strict, the names skipped. @internal */
export interface TemplateLoad<P> {
  readonly params: P;
  readonly missingKeys: readonly string[];
  readonly unexpectedKeys: readonly string[];
}

/** What `loadIntoTemplate` needs besides the template and the tensors. @internal */
export interface TemplateLoadOptions {
  /** The module path the tensors were selected under ('' for the whole file). */
  readonly prefix: string;
  /** PyTorch's strict: refuse missing and unexpected names. */
  readonly strict: boolean;
  /** Names the bytes in errors. */
  readonly source: string;
  /** Stored dtypes by full file name, to say "stored F16" where it explains a dtype. */
  readonly dtypes: ReadonlyMap<string, SafetensorsDType>;
}

// ---------------------------------------------------------------------------
// names
// ---------------------------------------------------------------------------

/** A tree path as a state_dict name: `layers[0].w` becomes `layers.0.w`. @internal */
export const tensorName = (path: string): string => {
  if (typeof path !== 'string') throw new SeqgradError('tensorName', `path must be a string, got ${showValue(path)}`);
  return path.replace(/\[(\d+)\]/g, '.$1').replace(/^\./, '');
};

/** The file's name of a tensor named `name` under module path `prefix`. @internal */
export const fullName = (prefix: string, name: string): string => (prefix === '' ? name : `${prefix}.${name}`);

/** The tensors under module path `prefix`, keyed without it (all of them for ''). @internal */
export const selectUnder = (tensors: ReadonlyMap<string, Tensor>, prefix: string): Map<string, Tensor> => {
  if (prefix === '') return new Map(tensors);
  const head = `${prefix}.`;
  return new Map([...tensors].filter(([name]) => name.startsWith(head)).map(([name, t]) => [name.slice(head.length), t]));
};

// ---------------------------------------------------------------------------
// loading
// ---------------------------------------------------------------------------

/**
 * `template`'s tree with the file's tensors as leaves, matched by name. Strict, any
 * difference in the names is refused; otherwise missing leaves keep the template's
 * tensor and extra tensors are skipped, both listed. Shapes and dtypes must always
 * agree; all problems are reported together. @internal
 */
export const loadIntoTemplate = <P>(template: P, tensors: ReadonlyMap<string, Tensor>, options: TemplateLoadOptions): TemplateLoad<P> => {
  const { prefix, strict, source, dtypes } = options;
  const wanted = flatten(template, 'decodeModel').map(({ path, leaf }) => ({ name: tensorName(path), leaf }));
  const missing: string[] = [];
  const missingShown: string[] = [];
  const mismatched: string[] = [];
  const values = wanted.map(({ name, leaf }) => {
    const found = tensors.get(name);
    const full = fullName(prefix, name);
    if (found === undefined) {
      missing.push(full);
      missingShown.push(`${full} (${leaf.dtype} ${showShape(leaf.shape)})`);
    } else if (found.dtype !== leaf.dtype || !shapesEqual(found.shape, leaf.shape)) {
      const stored = dtypes.get(full);
      const widened = stored === undefined || ['F32', 'F64', 'I32'].includes(stored) ? '' : ` (stored as ${stored})`;
      mismatched.push(`${full} (the file has ${found.dtype}${widened} ${showShape(found.shape)}, the template wants ${leaf.dtype} ${showShape(leaf.shape)})`);
    }
    return found ?? leaf;
  });
  const names = new Set(wanted.map((w) => w.name));
  const unexpected = [...tensors.keys()].filter((name) => !names.has(name)).map((name) => fullName(prefix, name));
  const refused = strict ? [missingShown, unexpected, mismatched] : [[], [], mismatched];
  if (refused.some((list) => list.length > 0)) {
    const [m, u, w] = refused as [string[], string[], string[]];
    throw new SeqgradError('decodeModel', `${source}: does not match the template${showProblems(m, u, w)}${prefixHint(prefix, tensors, dtypes)}`);
  }
  return { params: unflatten(template, values, 'decodeModel'), missingKeys: missing, unexpectedKeys: unexpected };
};

/** Every problem, grouped as PyTorch groups them: missing keys, unexpected keys, then shape or dtype mismatches. */
const showProblems = (missing: readonly string[], unexpected: readonly string[], mismatched: readonly string[]): string => {
  const count = missing.length + unexpected.length + mismatched.length;
  const groups = [
    ['missing from the file', missing],
    ['in the file but not in the template', unexpected],
    ['wrong shape or dtype', mismatched],
  ] as const;
  const shown = groups.filter(([, list]) => list.length > 0).map(([what, list]) => `${what} (${list.length}): ${list.join(', ')}`);
  return ` (${count} problem${count > 1 ? 's' : ''}): ${shown.join('; ')}`;
};

/** When a prefix selected nothing, the file's own names show what the prefix should be. */
const prefixHint = (prefix: string, selected: ReadonlyMap<string, Tensor>, all: ReadonlyMap<string, SafetensorsDType>): string => {
  if (prefix === '' || selected.size > 0) return '';
  const names = [...all.keys()];
  return `; no tensor in the file is under "${prefix}." (its names: ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', ...' : ''})`;
};
