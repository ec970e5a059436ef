/**
 * The code blocks of the documentation, found and type-checked: every `@example` in
 * lib's TSDoc and every ```ts block of README.md and docs/*.md.
 *
 * Conventions (README.md's "Code in the docs is compiled" states them for readers):
 * - A block compiles as it stands, as a module of its own, against seqgrad's source
 *   (`seqgrad`, `seqgrad/io`, ... map to lib's entries).
 * - A block that imports nothing from seqgrad gets every name of seqgrad's entries it
 *   does not declare itself, and an `@example` its own module's exports first (so the
 *   examples of internal modules compile); a block that imports from seqgrad must
 *   import all it uses, as a reader would copy it.
 * - A block may use the givens of spec/support/doc-givens.ts (`x`, `history`, ...);
 *   other values it assumes it declares (`declare const params: LstmParams;`).
 * - A fence written ```` ```ts fragment ```` marks a block that is not a whole program
 *   (a signature, a shape in a table); it is not compiled.
 * - An `@example` without a fence is one block, as typedoc shows it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

/** One block of code and where it was written. */
export interface DocBlock {
  /** The file, relative to the root. */
  readonly file: string;
  /** The 1-based line of the block's first code line in that file. */
  readonly line: number;
  /** The code. */
  readonly code: string;
  /** Marked ```` ```ts fragment ````: not compiled. */
  readonly fragment: boolean;
}

const FENCE = /^```(ts|typescript)(?:[ \t]+(fragment))?[ \t]*$/;

/** The ```ts blocks of a Markdown text, `offset` lines into `file`. */
export const markdownBlocks = (file: string, text: string, offset = 0): DocBlock[] => {
  const lines = text.split('\n');
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!.trim());
    if (open === null) continue;
    const end = lines.findIndex((l, j) => j > i && l.trim() === '```');
    if (end < 0) throw new Error(`${file}:${offset + i + 1}: a code block is never closed`);
    blocks.push({ file, line: offset + i + 2, code: lines.slice(i + 1, end).join('\n'), fragment: open[2] === 'fragment' });
    i = end;
  }
  return blocks;
};

/** The `@example` blocks of a TypeScript source's doc comments. */
export const exampleBlocks = (file: string, source: string): DocBlock[] => {
  const blocks: DocBlock[] = [];
  for (const comment of source.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const start = source.slice(0, comment.index).split('\n').length - 1;
    const lines = comment[0].split('\n').map((l) => l.replace(/^\s*\/?\*\*?\/?\s?/, '').replace(/\s*\*\/$/, ''));
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i]!.startsWith('@example')) continue;
      let end = i + 1;
      while (end < lines.length && !lines[end]!.startsWith('@')) end++;
      const body = lines.slice(i + 1, end);
      const fenced = markdownBlocks(file, body.join('\n'), start + i + 1);
      if (fenced.length > 0) blocks.push(...fenced);
      else blocks.push({ file, line: start + i + 2, code: body.join('\n').trim(), fragment: false });
      i = end - 1;
    }
  }
  return blocks;
};

/** TypeScript files under `dir` (relative to `root`), recursively. */
const sources = (root: string, dir: string): string[] =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (e.name === 'assembly' ? [] : sources(root, join(dir, e.name))) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [join(dir, e.name)] : []);

/** Every documentation block of the project. */
export const projectBlocks = (root: string): DocBlock[] => {
  const docs = readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join('docs', f));
  return [
    ...['README.md', ...docs].flatMap((f) => markdownBlocks(f, readFileSync(join(root, f), 'utf8'))),
    ...sources(root, 'lib').flatMap((f) => exampleBlocks(f, readFileSync(join(root, f), 'utf8'))),
  ];
};

/** The names a block declares or imports at its top level. */
const declaredNames = (code: string): Set<string> => {
  const file = ts.createSourceFile('block.ts', code, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const names = new Set<string>();
  const bind = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) bind(element.name);
  };
  for (const statement of file.statements) {
    if (ts.isVariableStatement(statement)) statement.declarationList.declarations.forEach((d) => bind(d.name));
    else if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (clause?.name) names.add(clause.name.text);
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) names.add(bindings.name.text);
      else bindings?.elements.forEach((e) => names.add(e.name.text));
    } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isInterfaceDeclaration(statement)
      || ts.isTypeAliasDeclaration(statement) || ts.isEnumDeclaration(statement)) && statement.name) names.add(statement.name.text);
  }
  return names;
};

/** A block's problems, each as `file:line: message`. */
export type Problems = string[];

/**
 * Type-checks `blocks` in one program against the entries (`seqgrad`, `seqgrad/io`, ...
 * → the lib file each is built from) with the project's compiler options, and returns
 * every diagnostic at the line of the documentation it comes from.
 */
export const checkBlocks = (root: string, entries: Readonly<Record<string, string>>, blocks: readonly DocBlock[], givens?: string): Problems => {
  const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  if (config === undefined) throw new Error('tsconfig.json cannot be read');
  const paths = Object.fromEntries(Object.entries(entries).map(([name, file]) => [name, [join(root, file)]]));
  const options: ts.CompilerOptions = { ...config.options, noEmit: true, paths };
  const entryFiles = Object.values(entries).map((f) => join(root, f));

  // every name each entry exports, the first entry that has it winning; and each lib
  // file's own exports, which its examples see first (internal modules have examples too)
  const libFiles = [...new Set(blocks.filter((b) => b.file.startsWith('lib')).map((b) => b.file))];
  const entryProgram = ts.createProgram([...entryFiles, ...libFiles.map((f) => join(root, f))], options);
  const checker = entryProgram.getTypeChecker();
  const exportsOf = (file: string): string[] => {
    const module = checker.getSymbolAtLocation(entryProgram.getSourceFile(join(root, file))!);
    return module ? checker.getExportsOfModule(module).map((s) => s.name) : [];
  };
  const exporter = new Map<string, string>();
  for (const [name, file] of Object.entries(entries)) for (const n of exportsOf(file)) if (!exporter.has(n)) exporter.set(n, name);
  const own = new Map(libFiles.map((f) => [f, exportsOf(f)]));

  // each block a module of its own inside the root, so packages resolve from node_modules
  const virtual = new Map<string, { block: DocBlock; code: string; preamble: number }>();
  blocks.filter((b) => !b.fragment).forEach((block, i) => {
    // a block that imports from seqgrad imports all it uses, as a reader would copy it
    const standalone = /^\s*import\s[^;]*from\s+'seqgrad/m.test(block.code);
    const declared = declaredNames(block.code);
    const imports = new Map<string, string[]>();
    const add = (from: string, name: string): void => {
      if (declared.has(name)) return;
      declared.add(name);
      imports.set(from, [...(imports.get(from) ?? []), name]);
    };
    if (!standalone) {
      for (const name of own.get(block.file) ?? []) add(`../${block.file.replace(/\.ts$/, '.js')}`, name);
      for (const [name, entry] of exporter) add(entry, name);
    }
    const preamble = [...imports].map(([from, names]) => `import { ${names.join(', ')} } from '${from}';`);
    const code = [...preamble, block.code, 'export {};'].join('\n');
    virtual.set(join(root, '.doc-blocks', `block-${i}.ts`), { block, code, preamble: preamble.length });
  });

  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, language, ...rest) => {
    const v = virtual.get(name);
    return v ? ts.createSourceFile(name, v.code, language) : getSourceFile.call(host, name, language, ...rest);
  };
  host.fileExists = (name) => virtual.has(name) || fileExists.call(host, name);
  host.readFile = (name) => virtual.get(name)?.code ?? readFile.call(host, name);
  // the entries' program is passed as the old one, so its parsed files are reused
  const program = ts.createProgram([...virtual.keys(), ...(givens === undefined ? [] : [join(root, givens)])], options, host, entryProgram);

  // the givens are checked with the blocks: tsconfig.json leaves them out of the project
  const givensFile = givens === undefined ? undefined : program.getSourceFile(join(root, givens));
  const problems: Problems = givensFile === undefined ? [] : program.getSemanticDiagnostics(givensFile).map((d) => `${givens}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
  for (const [name, { block, preamble }] of virtual) {
    const file = program.getSourceFile(name)!;
    for (const d of [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)]) {
      const at = d.start === undefined ? 0 : file.getLineAndCharacterOfPosition(d.start).line - preamble;
      problems.push(`${relative(root, join(root, block.file))}:${block.line + Math.max(0, at)}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
    }
  }
  return problems;
};
