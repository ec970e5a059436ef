/**
 * A typedoc plugin that groups the API reference by category: every export without
 * its own `@category` tag gets the category of the lib folder or file that defines it
 * (the table below), so an entry that re-exports ~200 names reads as a dozen groups
 * instead of one flat list. The table is the one place to name the groups; a
 * `@category` tag in an export's comment still wins. Loaded by typedoc.json.
 */
import { relative } from 'node:path';
import { Comment, CommentTag, Converter, ReflectionKind } from 'typedoc';

/** Source path prefix → category; the longest matching prefix wins. */
export const CATEGORIES = {
  'lib/tensor/': 'Tensors',
  'lib/autodiff/': 'Differentiation',
  'lib/ops/': 'Operations',
  'lib/tree/': 'Parameter trees',
  'lib/kernels/': 'Backends',
  'lib/threads.ts': 'Backends',
  'lib/nn/': 'Layers and losses',
  'lib/nn/scan.ts': 'Recurrence',
  'lib/nn/recurrent.ts': 'Recurrence',
  'lib/nn/bidirectional.ts': 'Recurrence',
  'lib/nn/stacked.ts': 'Recurrence',
  'lib/nn/cell.ts': 'Recurrent cells',
  'lib/nn/cells/': 'Recurrent cells',
  'lib/nn/carry-dropout.ts': 'Recurrent cells',
  'lib/nn/gradient-flow.ts': 'Recurrence',
  'lib/nn/torch/': 'PyTorch layout',
  'lib/nn/seq2seq/': 'Sequence to sequence',
  'lib/nn/attention.ts': 'Sequence to sequence',
  'lib/optim/': 'Optimizers',
  'lib/text/': 'Text',
  'lib/io/': 'Checkpoints',
  'lib/io/safetensors': 'Safetensors',
  'lib/io/crc32.ts': 'Safetensors',
  'lib/io/codecs.ts': 'Codecs',
  'lib/io/args.ts': 'Codecs',
  'lib/io/model': 'Model files',
  'lib/train/': 'Training loop',
  'lib/train/batches.ts': 'Batches',
  'lib/train/metrics.ts': 'Metrics',
  'lib/train/confusion.ts': 'Metrics',
  'lib/train/sequence-metrics.ts': 'Metrics',
  'lib/train/regression-metrics.ts': 'Metrics',
  'lib/train/callbacks.ts': 'Callbacks',
  'lib/train/checkpoints.ts': 'Checkpoints',
  'lib/train/progress.ts': 'Progress and plots',
  'lib/train/chart.ts': 'Progress and plots',
  'lib/train/plot.ts': 'Progress and plots',
  'lib/testing/check-grad.ts': 'Gradient checks',
  'lib/testing/arbitraries.ts': 'Arbitraries',
  'lib/onnx/': 'ONNX export',
};

/** The category of a source file, or undefined when no prefix matches. */
export const categoryOf = (path) => {
  const prefix = Object.keys(CATEGORIES).filter((p) => path.startsWith(p)).sort((a, b) => b.length - a.length)[0];
  return prefix === undefined ? undefined : CATEGORIES[prefix];
};

/**
 * The file that defines an export, relative to the working directory: through any
 * re-export (`export { x } from`), to the declaration itself.
 */
const definedIn = (context, reflection) => {
  const symbol = context.getSymbolFromReflection(reflection);
  const declaration = symbol && context.resolveAliasedSymbol(symbol).declarations?.[0];
  return declaration && relative(process.cwd(), declaration.getSourceFile().fileName).replace(/\\/g, '/');
};

/** typedoc's plugin entry point. */
export const load = (app) => {
  // the defining file is known only while its program is being converted, and the
  // comments only once conversion is done, so the category is noted first, applied after
  const noted = new Map();
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    const parent = reflection.parent;
    // only an entry's own exports are grouped; members of classes and interfaces are not
    if (parent === undefined || !(parent.isProject() || parent.kindOf(ReflectionKind.Module))) return;
    if (reflection.kindOf(ReflectionKind.Module)) return;
    const category = categoryOf(definedIn(context, reflection) ?? '');
    if (category !== undefined) noted.set(reflection, category);
  });
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, () => {
    for (const [reflection, category] of noted) {
      reflection.comment ??= new Comment();
      const tagged = [reflection.comment, ...(reflection.signatures ?? []).map((s) => s.comment)].some((c) => c?.getTag('@category'));
      if (!tagged) reflection.comment.blockTags.push(new CommentTag('@category', [{ kind: 'text', text: category }]));
    }
    noted.clear();
  });
};
