import { describe, it, expect } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lossCurveSpec, lossPoints, renderSvg, writeLossPlot, type History } from '../../lib/train/index.js';

const history: History = {
  steps: Array.from({ length: 12 }, (_, i) => ({ step: i + 1, epoch: Math.floor(i / 4) + 1, batch: i % 4, loss: 2 / (i + 1), gradNorm: 1, metrics: {} })),
  epochs: [
    { epoch: 1, step: 4, train: { loss: 1.3 }, val: { loss: 1.5 } },
    { epoch: 2, step: 8, train: { loss: 0.35 }, val: { loss: 0.6 } },
    { epoch: 3, step: 12, train: { loss: 0.2 }, val: { loss: 0.45 } },
  ],
};

/**
 * Checks XML well-formedness the simple way: every start tag is closed by a matching
 * end tag in order, and nothing but text lies outside the tags.
 */
const unbalancedTags = (xml: string): string[] => {
  const stack: string[] = [];
  const problems: string[] = [];
  for (const m of xml.matchAll(/<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"]*")*)\s*(\/?)>/g)) {
    const [, closing, name, , selfClosing] = m;
    if (selfClosing) continue;
    if (!closing) stack.push(name!);
    else if (stack.pop() !== name) problems.push(`</${name}> at ${m.index}`);
  }
  return [...problems, ...stack.map((s) => `<${s}> never closed`)];
};

describe('lossPoints', () => {
  it('places step losses, epoch means and validation at their steps', () => {
    const points = lossPoints(history);
    expect(points.filter((p) => p.series === 'train (step)').length).toBe(12);
    expect(points.filter((p) => p.series === 'validation')).toEqual([
      { step: 4, loss: 1.5, series: 'validation' }, { step: 8, loss: 0.6, series: 'validation' }, { step: 12, loss: 0.45, series: 'validation' },
    ]);
    expect(lossPoints({ steps: [{ ...history.steps[0]!, loss: Number.NaN }], epochs: [] })).toEqual([]);
  });
});

describe('lossCurveSpec', () => {
  it('lists only the series present and refuses an empty history', () => {
    const spec = lossCurveSpec({ steps: history.steps, epochs: [] }) as { layer: { encoding: { color: { scale: { domain: string[] } } } }[] };
    expect(spec.layer[0]!.encoding.color.scale.domain).toEqual(['train (step)']);
    expect(() => lossCurveSpec({ steps: [], epochs: [] })).toThrow(/^lossCurveSpec: the history has no finite losses to plot/);
  });
});

describe('renderSvg', () => {
  it('renders a well-formed SVG holding the title, the legend and one line per series', async () => {
    const svg = await renderSvg(lossCurveSpec(history, { title: 'Loss of a test run' }));
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(unbalancedTags(svg)).toEqual([]);
    for (const text of ['Loss of a test run', 'train (step)', 'train (epoch mean)', 'validation', '>step<', '>loss<']) expect(svg).toContain(text);
    // line marks draw as paths with the series' colours
    for (const color of ['#9ecae9', '#1f77b4', '#ff7f0e']) expect(svg).toMatch(new RegExp(`<path[^>]*stroke="${color}"`));
  });

  it('writes the file a user opens', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'seqgrad-plot-'));
    try {
      const path = await writeLossPlot(join(dir, 'loss.svg'), history, { logScale: true });
      const svg = await readFile(path, 'utf8');
      expect(unbalancedTags(svg)).toEqual([]);
      expect(svg).toContain('validation');
      // a missing folder is made, as for every save
      const nested = await writeLossPlot(join(dir, 'missing', 'deeper', 'loss.svg'), history);
      expect(await readFile(nested, 'utf8')).toContain('<svg');
      // a path whose folder is a file cannot be written, and the error says where
      await expect(writeLossPlot(join(path, 'loss.svg'), history)).rejects.toThrow(/^writeLossPlot: .*loss\.svg: could not write/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
