/**
 * The loss chart: an SVG of every step's training loss (faint) and its running mean
 * over the last `window` steps (bold), redrawn whole from the numbers each time. A few
 * hundred points are cheap to redraw, so there is no incremental state to get wrong.
 */

const SVG = 'http://www.w3.org/2000/svg';
const PAD = { left: 44, right: 10, top: 10, bottom: 24 } as const;

/** The running mean of the last `window` values at each position. */
export const runningMean = (xs: readonly number[], window: number): number[] => {
  let sum = 0;
  return xs.map((x, i) => {
    sum += x - (i >= window ? xs[i - window]! : 0);
    return sum / Math.min(i + 1, window);
  });
};

const element = (name: string, attributes: Record<string, string | number>): SVGElement => {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, String(v));
  return e;
};

const text = (x: number, y: number, content: string, anchor: 'start' | 'end' | 'middle'): SVGElement => {
  const e = element('text', { x, y, 'text-anchor': anchor, 'font-size': 11, fill: '#555' });
  e.textContent = content;
  return e;
};

/** Draws `losses` (one per step) into `svg`, with a running mean over `window` steps. */
export const drawLossChart = (svg: SVGSVGElement, losses: readonly number[], window = 20): void => {
  const width = svg.viewBox.baseVal.width || 600;
  const height = svg.viewBox.baseVal.height || 240;
  svg.replaceChildren();
  svg.append(element('rect', { x: PAD.left, y: PAD.top, width: width - PAD.left - PAD.right, height: height - PAD.top - PAD.bottom, fill: '#fafafa', stroke: '#ddd' }));
  if (losses.length === 0) {
    svg.append(text(width / 2, height / 2, 'the loss appears here once training starts', 'middle'));
    return;
  }
  const lo = Math.min(...losses);
  const hi = Math.max(...losses);
  const span = hi - lo || 1;
  const x = (i: number): number => PAD.left + ((width - PAD.left - PAD.right) * i) / Math.max(1, losses.length - 1);
  const y = (v: number): number => PAD.top + ((height - PAD.top - PAD.bottom) * (hi - v)) / span;
  const line = (values: readonly number[], stroke: string, strokeWidth: number): SVGElement =>
    element('polyline', { points: values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' '), fill: 'none', stroke, 'stroke-width': strokeWidth });
  svg.append(
    line(losses, '#9ecae1', 1),
    line(runningMean(losses, window), '#08519c', 2),
    text(PAD.left - 4, PAD.top + 10, hi.toFixed(2), 'end'),
    text(PAD.left - 4, height - PAD.bottom, lo.toFixed(2), 'end'),
    text(PAD.left, height - 6, 'step 1', 'start'),
    text(width - PAD.right, height - 6, `step ${losses.length}`, 'end'),
  );
};
