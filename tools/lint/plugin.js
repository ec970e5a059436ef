/**
 * The project's own ESLint rules: `seqgrad/layers` keeps each folder of lib/ to the
 * folders it may import, and `seqgrad/no-cycle` forbids import cycles, type-only imports
 * included.
 *
 * Both read a file's imports with TypeScript's `preProcessFile`, which sees every static
 * import and re-export (`import type` and `export type` too), `import('…')` in types and
 * in code, and `require('…')`, but not an import whose path is built at run time (a
 * template literal with substitutions): such a path cannot be checked before it runs.
 * The cycle rule reads the files it does not lint from disk, so one pass over the tree
 * sees the whole import graph.
 *
 * @module
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * The module specifiers of a source text, each with the offset of its string literal.
 *
 * @param {string} text TypeScript or JavaScript source
 * @returns {{ specifier: string; pos: number; end: number }[]}
 */
export const importsOf = (text) =>
  ts.preProcessFile(text, true, true).importedFiles.map((f) => ({ specifier: f.fileName, pos: f.pos, end: f.end }));

// NodeNext sources name the emitted file ('./x.js'); the file on disk is './x.ts'.
const SOURCE_EXTENSIONS = [['.js', '.ts'], ['.mjs', '.mts'], ['.cjs', '.cts']];

/**
 * The file a relative specifier names, or null for a package import or a file that does
 * not exist (the compiler reports those).
 *
 * @param {string} from absolute path of the importing file
 * @param {string} specifier as written
 * @returns {string | null} absolute path
 */
export const resolveRelative = (from, specifier) => {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return null;
  const target = path.resolve(path.dirname(from), specifier);
  const candidates = [target];
  for (const [emitted, source] of SOURCE_EXTENSIONS) {
    if (target.endsWith(emitted)) candidates.unshift(target.slice(0, -emitted.length) + source);
  }
  return candidates.find((c) => existsSync(c) && statSync(c).isFile()) ?? null;
};

// Imports of files read from disk, keyed by path and checked against the file's mtime, so
// one lint run parses each file once and an editor's long-lived process sees edits.
/** @type {Map<string, { mtimeMs: number; targets: string[] }>} */
const onDisk = new Map();

/**
 * The files a file imports by relative path.
 *
 * @param {string} file absolute path
 * @returns {string[]}
 */
const targetsOnDisk = (file) => {
  const { mtimeMs } = statSync(file);
  const cached = onDisk.get(file);
  if (cached !== undefined && cached.mtimeMs === mtimeMs) return cached.targets;
  const targets = importsOf(readFileSync(file, 'utf8'))
    .map((i) => resolveRelative(file, i.specifier))
    .filter((t) => t !== null);
  onDisk.set(file, { mtimeMs, targets });
  return targets;
};

/**
 * The shortest chain of imports from `start` back to `goal`, or null when there is none.
 *
 * @param {string} start absolute path
 * @param {string} goal absolute path
 * @returns {string[] | null} the files from start to goal, both included
 */
const pathBack = (start, goal) => {
  /** @type {Map<string, string | null>} */
  const cameFrom = new Map([[start, null]]);
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const file = queue[i];
    for (const next of targetsOnDisk(file)) {
      if (cameFrom.has(next)) continue;
      cameFrom.set(next, file);
      if (next === goal) {
        const chain = [goal];
        for (let at = file; at !== null; at = cameFrom.get(at) ?? null) chain.unshift(at);
        return chain;
      }
      queue.push(next);
    }
  }
  return null;
};

/** @type {import('eslint').Rule.RuleModule} */
const noCycle = {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid import cycles, type-only imports and re-exports included.' },
    schema: [],
    messages: { cycle: 'Import cycle: {{chain}}.' },
  },
  create(context) {
    const file = context.filename;
    const relative = (f) => path.relative(context.cwd, f).split(path.sep).join('/');
    return {
      'Program:exit'() {
        const text = context.sourceCode.text;
        const reported = new Set();
        for (const { specifier, pos, end } of importsOf(text)) {
          const target = resolveRelative(file, specifier);
          if (target === null || reported.has(target)) continue;
          // the file itself is read from the linted text, the rest of the graph from disk
          const back = target === file ? [file] : pathBack(target, file);
          if (back === null) continue;
          reported.add(target);
          context.report({
            loc: { start: context.sourceCode.getLocFromIndex(pos), end: context.sourceCode.getLocFromIndex(end) },
            messageId: 'cycle',
            data: { chain: [file, ...back].map(relative).join(' → ') },
          });
        }
      },
    };
  },
};

/** @type {import('eslint').Rule.RuleModule} */
const layers = {
  meta: {
    type: 'problem',
    docs: { description: 'Keep each folder of a source root to the folders it may import.' },
    schema: [{
      type: 'object',
      properties: {
        root: { type: 'string' },
        allow: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
        packageName: { type: 'string' },
      },
      required: ['root', 'allow'],
      additionalProperties: false,
    }],
    messages: {
      direction: '{{from}}/ may not import {{to}} (allowed: {{allowed}}).',
      entry: '{{from}}/ may not import the entry file {{to}}: entries sit above every folder.',
      outside: 'A file in {{root}}/ may not import {{to}}, outside {{root}}/.',
      self: 'Import {{specifier}} by relative path inside {{root}}/, so that this rule sees the direction.',
      unplaced: '{{root}}/{{folder}}/ has no place in the layer rule: add it to the rule\'s allow table with the folders it may import.',
    },
  },
  create(context) {
    const { root, allow, packageName } = context.options[0];
    const rootDir = path.resolve(context.cwd, root);
    // [] for a file directly in the root (an entry file), else [folder]
    const folderOf = (file) => {
      const parts = path.relative(rootDir, file).split(path.sep);
      return parts.length > 1 ? [parts[0]] : [];
    };
    const inRoot = (file) => !path.relative(rootDir, file).startsWith('..');
    if (!inRoot(context.filename)) return {};
    const [from] = folderOf(context.filename);
    return {
      Program(program) {
        const sourceCode = context.sourceCode;
        if (from !== undefined && !Object.hasOwn(allow, from)) {
          context.report({ node: program, messageId: 'unplaced', data: { root, folder: from } });
          return;
        }
        for (const { specifier, pos, end } of importsOf(sourceCode.text)) {
          const loc = { start: sourceCode.getLocFromIndex(pos), end: sourceCode.getLocFromIndex(end) };
          if (packageName !== undefined && (specifier === packageName || specifier.startsWith(`${packageName}/`))) {
            context.report({ loc, messageId: 'self', data: { specifier, root } });
            continue;
          }
          if (!specifier.startsWith('./') && !specifier.startsWith('../')) continue;
          const target = path.resolve(path.dirname(context.filename), specifier);
          const to = path.relative(context.cwd, target).split(path.sep).join('/');
          if (!inRoot(target)) {
            context.report({ loc, messageId: 'outside', data: { root, to } });
            continue;
          }
          // an entry file may import anything in the root
          if (from === undefined) continue;
          const [toFolder] = folderOf(target);
          if (toFolder === from) continue;
          if (toFolder === undefined) {
            context.report({ loc, messageId: 'entry', data: { from: `${root}/${from}`, to } });
          } else if (!allow[from].includes(toFolder)) {
            const allowed = allow[from].length === 0 ? 'nothing' : allow[from].map((f) => `${root}/${f}/`).join(', ');
            context.report({ loc, messageId: 'direction', data: { from: `${root}/${from}`, to, allowed } });
          }
        }
      },
    };
  },
};

/** The plugin: register it as `seqgrad` to name its rules `seqgrad/layers` and `seqgrad/no-cycle`. */
export default {
  meta: { name: 'seqgrad' },
  rules: { layers, 'no-cycle': noCycle },
};
