/**
 * The package as a user gets it: `npm pack` (which builds dist through `prepack`), a
 * fresh `npm init -y` project (CommonJS by default), the tarball installed into it,
 * and every entry loaded from `require` and from `import`. Node ≥ 20.19 can `require`
 * an ES module without top-level await, which is what makes the CommonJS half work.
 * The optional packages (plots, progress bar, chart, fast-check) are not installed, so
 * this also checks that the core does not need them and that a missing one is named.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  exports: Record<string, unknown>;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
};

/** Runs a command, failing with its output when it exits non-zero. */
const run = (command: string, args: readonly string[], cwd: string): string => {
  const out = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false' } });
  if (out.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${out.status}:\n${out.stdout}\n${out.stderr}`);
  return out.stdout;
};

/** Runs a script in the fresh project with node; returns its status and output. */
const node = (args: readonly string[]) => {
  const out = spawnSync(process.execPath, args, { cwd: project, encoding: 'utf8' });
  return { status: out.status, stdout: out.stdout.trim(), stderr: out.stderr };
};

const work = mkdtempSync(join(tmpdir(), 'seqgrad-pack-'));
const project = join(work, 'project');
let packed: string[] = [];

beforeAll(() => {
  // `npm pack` runs prepack (the build), as publishing does
  const [info] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], ROOT)) as { filename: string; files: { path: string }[] }[];
  packed = info!.files.map((f) => f.path);
  mkdirSync(project);
  run('npm', ['init', '-y'], project);
  // the runtime dependencies come from npm's cache after `npm ci`, so this needs no network there
  run('npm', ['install', join(work, info!.filename), '--prefer-offline', '--ignore-scripts'], project);
}, 600_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const ENTRIES = Object.keys(manifest.exports).map((e) => e.replace(/^\./, 'seqgrad'));

describe('the packed package', () => {
  it('loads every entry but seqgrad/testing from require in a CommonJS project', () => {
    expect(ENTRIES).toEqual(['seqgrad', 'seqgrad/io', 'seqgrad/io/node', 'seqgrad/train', 'seqgrad/testing', 'seqgrad/onnx', 'seqgrad/threads']);
    for (const entry of ENTRIES.filter((e) => e !== 'seqgrad/testing')) {
      const out = node(['-e', `console.log(Object.keys(require(${JSON.stringify(entry)})).length)`]);
      expect(out.status, `${entry}: ${out.stderr}`).toBe(0);
      expect(Number(out.stdout), entry).toBeGreaterThanOrEqual(3);
    }
    const core = node(['-e', "const s = require('seqgrad'); console.log(s.sum(s.tensor([1, 2, 3])).item())"]);
    expect(core).toMatchObject({ status: 0, stdout: '6' });
    const threads = node(['-e', "console.log(require('seqgrad/threads').useThreads(1))"]);
    expect(threads).toMatchObject({ status: 0, stdout: '1' });
  });

  it('loads every entry but seqgrad/testing from import', () => {
    for (const entry of ENTRIES.filter((e) => e !== 'seqgrad/testing')) {
      const out = node(['--input-type=module', '-e', `const m = await import(${JSON.stringify(entry)}); console.log(Object.keys(m).length)`]);
      expect(out.status, `${entry}: ${out.stderr}`).toBe(0);
      expect(Number(out.stdout), entry).toBeGreaterThanOrEqual(3);
    }
  });

  it('type-checks in a TypeScript project that checks libraries too, with none of the optional packages', () => {
    // skipLibCheck off and no ambient types: every declaration seqgrad ships must resolve on its own
    const file = join(project, 'consumer.mts');
    const imported = ENTRIES.filter((e) => e !== 'seqgrad/testing');
    writeFileSync(file, [
      ...imported.map((e, i) => `import * as m${i} from '${e}';`),
      `export const used = [${imported.map((_, i) => `m${i}`).join(', ')}];`,
    ].join('\n'));
    const options = { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, strict: true, skipLibCheck: false, noEmit: true, types: [] };
    const program = ts.createProgram([file], options);
    const problems = ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? relative(project, d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
    expect(problems).toEqual([]);
  });

  it('installs only fp-ts and io-ts beside it; the optional packages stay out', () => {
    expect(Object.keys(manifest.dependencies).sort()).toEqual(['fp-ts', 'io-ts']);
    for (const name of Object.keys(manifest.peerDependencies)) expect(manifest.peerDependenciesMeta[name]?.optional, name).toBe(true);
    expect(readdirSync(join(project, 'node_modules')).filter((n) => !n.startsWith('.')).sort()).toEqual(['fp-ts', 'io-ts', 'seqgrad']);
  });

  it('names a missing optional package and the command that installs it', () => {
    const chart = node(['-e', "require('seqgrad/train').terminalChart({ steps: [{ step: 1, loss: 1 }], epochs: [] })"]);
    expect(chart.status).not.toBe(0);
    expect(chart.stderr).toContain("terminalChart: the terminal loss chart needs the optional package 'asciichart', which is not installed; install it with: npm install asciichart");
    const bar = node(['-e', "require('seqgrad/train').barReporter(process.stdout, 1)"]);
    expect(bar.stderr).toContain('npm install cli-progress');
    const onnx = node(['-e', [
      "const s = require('seqgrad'); const { exportOnnx } = require('seqgrad/onnx');",
      'const params = { rnn: s.torch.gru({ inputSize: 1, hiddenSize: 1 }).init(s.key(0)) };',
      "exportOnnx({ rnn: { kind: 'GRU', inputSize: 1, hiddenSize: 1 } }, params).catch((e) => { console.error(e.message); process.exit(1); });",
    ].join(' ')]);
    expect(onnx.status).not.toBe(0);
    expect(onnx.stderr).toContain("exportOnnx: writing ONNX protobuf needs the optional package 'onnx-proto', which is not installed; install it with: npm install onnx-proto");
    const testing = node(['-e', "require('seqgrad/testing')"]);
    expect(testing.stderr).toMatch(/Cannot find (package|module) 'fast-check'/);
  });

  it('links, in the README and the guides it ships, only to files it ships', () => {
    const docs = packed.filter((p) => p.endsWith('.md') && !p.startsWith('lib/'));
    expect(docs).toEqual(expect.arrayContaining(['README.md', 'docs/recurrent.md']));
    const links = docs.flatMap((doc) => [...readFileSync(join(ROOT, doc), 'utf8').matchAll(/\]\(([^)\s]+)\)/g)].map((m) => ({ doc, target: m[1]! })));
    expect(links.length).toBeGreaterThan(10);
    const broken = links.filter(({ doc, target }) => !packed.includes(posix.normalize(posix.join(posix.dirname(doc), target.replace(/#.*$/, '')))));
    expect(broken).toEqual([]);
  });

  it('ships dist, the guides and the changelog, not the conformance tool', () => {
    expect(packed).toEqual(expect.arrayContaining(['README.md', 'CHANGELOG.md', 'package.json', 'dist/index.js', 'dist/index.d.ts', 'dist/io/node.js', 'docs/training.md', 'docs/recurrent.md']));
    expect(packed.filter((p) => /conformance\/|^tools\/|^spec\//.test(p))).toEqual([]);
  });
});
