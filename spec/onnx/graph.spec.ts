/**
 * The graph builder: nodes in the order added with unique names, constants recorded
 * as given, and int64 constants from plain numbers.
 */
import { describe, expect, it } from 'vitest';
import { graphBuilder } from '../../lib/onnx/graph.js';

describe('graphBuilder', () => {
  it('keeps nodes in order, names them uniquely, and leaves out attributes that were not given', () => {
    const g = graphBuilder();
    g.node('Transpose', ['x'], ['t'], { perm: [1, 0] });
    g.node('Transpose', ['t'], ['u']);
    expect(g.nodes).toEqual([
      { opType: 'Transpose', name: 'Transpose_0', inputs: ['x'], outputs: ['t'], attributes: { perm: [1, 0] } },
      { opType: 'Transpose', name: 'Transpose_1', inputs: ['t'], outputs: ['u'] },
    ]);
  });

  it('records constants and returns their names for use as inputs', () => {
    const g = graphBuilder();
    expect(g.constant('w', [1, 2], Float32Array.of(1, 2))).toBe('w');
    expect(g.int64s('shape', [0, 0, -1])).toBe('shape');
    expect(g.initializers).toEqual([
      { name: 'w', dims: [1, 2], data: Float32Array.of(1, 2) },
      { name: 'shape', dims: [3], data: BigInt64Array.of(0n, 0n, -1n) },
    ]);
  });
});
