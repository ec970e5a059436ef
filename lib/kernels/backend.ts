/**
 * The kernel seam: one `Kernels` interface that every backend implements, and the
 * opcodes that name elementwise work as data rather than as JS callbacks (a callback
 * per element cannot be inlined, and cannot cross into WebAssembly at all).
 *
 * Only ops and the tape call kernels. A backend receives flat row-major typed arrays
 * with their extents and writes into the output it is given; it never keeps a
 * reference to an output, and it may cache work derived from an input keyed by the
 * input array's identity, because seqgrad never writes an array once a kernel has
 * read it.
 *
 * @module
 */
import type { Dims, NumArray } from './types.js';

/** Unary elementwise functions, by name. */
export type UnaryOpcode = 'neg' | 'exp' | 'log' | 'tanh' | 'sigmoid' | 'relu' | 'sqrt' | 'abs';

/** Binary elementwise functions, by name; comparisons write 1 or 0. */
export type BinaryOpcode =
  | 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum'
  | 'equal' | 'notEqual' | 'less' | 'lessEqual' | 'greater' | 'greaterEqual';

/** How a reduction combines elements: running sum or running maximum (NaN propagates). */
export type Reducer = 'sum' | 'max';

/** How `copyWindow` moves data between a big buffer and a window of it. */
export type WindowDirection = 'read' | 'write' | 'add';

/** A matrix operand: its buffer, the offset of its first element and whether it is stored transposed. */
export interface MatrixOperand {
  /** Row-major storage of the operand (or of its transpose). */
  readonly data: NumArray;
  /** Index in `data` of the operand's first element. */
  readonly offset: number;
  /** When true the operand is stored as its transpose (K×M for A, N×K for B). */
  readonly transposed: boolean;
}

/**
 * Everything the ops and the tape ask of a backend. Every method writes into `out`
 * (sized by the caller) and returns nothing. Arrays of one call share one dtype,
 * except `indices` (int32) and `cond` (any).
 */
export interface Kernels {
  /** The backend's name: `js` (the reference) or `wasm`. */
  readonly name: string;
  /** `out[i] = op(x[i])`. */
  unary(op: UnaryOpcode, x: NumArray, out: NumArray): void;
  /** `out = op(a, b)` over the broadcast of `aDims` and `bDims`, which is `outDims`. */
  binary(op: BinaryOpcode, a: NumArray, aDims: Dims, b: NumArray, bDims: Dims, out: NumArray, outDims: Dims): void;
  /** `out = cond ≠ 0 ? x : y` over the broadcast of the three operands (`where`). */
  select(cond: NumArray, condDims: Dims, x: NumArray, xDims: Dims, y: NumArray, yDims: Dims, out: NumArray, outDims: Dims): void;
  /** `out[i] += x[i]` over equal-length buffers (the tape's in-place accumulation). */
  addInto(out: NumArray, x: NumArray): void;
  /** Copies `x` of `dims` into `out` of `outDims`, repeating along broadcast axes. */
  broadcastInto(x: NumArray, dims: Dims, out: NumArray, outDims: Dims): void;
  /** Reduces `x` over `axes` (sorted, unique) into `out` (the kept extents). */
  reduce(x: NumArray, dims: Dims, axes: readonly number[], out: NumArray, reducer: Reducer): void;
  /** `out[o, i]` = the index of the largest `x[o, :, i]` along `axis` (the first on ties; NaN counts as largest). */
  argmax(x: NumArray, dims: Dims, axis: number, out: Int32Array): void;
  /** `out[outOffset ..]` (M×N) = op(A)·op(B), or += when `accumulate`; A is M×K and B is K×N after op. */
  matmul(a: MatrixOperand, b: MatrixOperand, out: NumArray, outOffset: number, m: number, n: number, k: number, accumulate?: boolean): void;
  /** `out` (of dims `dims[perm[i]]`) gets `x` with its axes reordered by `perm`. */
  permute(x: NumArray, dims: Dims, perm: readonly number[], out: NumArray): void;
  /** Moves the window of `big` at `starts` with extents `smallDims` to (`read`), from (`write`) or added from (`add`) `small`. */
  copyWindow(big: NumArray, bigDims: Dims, small: NumArray, smallDims: Dims, starts: readonly number[], direction: WindowDirection): void;
  /** `out` gets `x` reversed along each axis in `axes`. */
  flip(x: NumArray, dims: Dims, axes: readonly number[], out: NumArray): void;
  /** Rows of `x` (viewed as [outer, n, inner] around `axis`) picked by `indices` into `out` [outer, m, inner]. */
  gather(x: NumArray, dims: Dims, axis: number, indices: Int32Array, out: NumArray): void;
  /** The adjoint of `gather`: adds each row of `dy` [outer, m, inner] into `out` at its index (repeats accumulate). */
  scatterAdd(dy: NumArray, dims: Dims, axis: number, indices: Int32Array, out: NumArray): void;
  /**
   * The LSTM's pointwise step. `gates` [B, 4H] holds the pre-activations (i, f, g, o)
   * with both biases added; `c` [B, H] the cell state. Writes `out` [2, B, H]:
   * h' = σ(o)·tanh(c') in the first block, c' = σ(f)·c + σ(i)·tanh(g) in the second.
   */
  lstmGates(gates: NumArray, c: NumArray, out: NumArray, batch: number, hidden: number): void;
  /**
   * The VJP of `lstmGates`: from the cotangent `dy` [2, B, H] (of h' and c') writes
   * `dGates` [B, 4H] and `dc` [B, H], recomputing the activations from `gates` and `c`.
   */
  lstmGatesBackward(gates: NumArray, c: NumArray, dy: NumArray, dGates: NumArray, dc: NumArray, batch: number, hidden: number): void;
  /**
   * A whole LSTM recurrence without a tape, for inference: `xp` [T, B, 4H] holds the
   * projected inputs (both biases added), `weightHh` [4H, H] the hidden weight, `state`
   * [2, B, H] the initial (h, c) on entry and the final (h, c) on return; `hs` [T, B, H]
   * gets every step's h. Step for step the same as `addmm` then `lstmGates`.
   */
  lstmSequence(xp: NumArray, weightHh: NumArray, hs: NumArray, state: NumArray, steps: number, batch: number, hidden: number): void;
  /**
   * The GRU's pointwise step, reset-after (PyTorch's convention). `xg` and `hg` [B, 3H]
   * are x·W_ihᵀ + b_ih and h·W_hhᵀ + b_hh (gates r, z, n); writes `out` [B, H]:
   * r = σ(xr + hr), z = σ(xz + hz), n = tanh(xn + r·hn), h' = (1 − z)·n + z·h.
   */
  gruGates(xg: NumArray, hg: NumArray, h: NumArray, out: NumArray, batch: number, hidden: number): void;
  /** The VJP of `gruGates`: from `dy` [B, H] writes `dxg`, `dhg` [B, 3H] and `dh` [B, H]. */
  gruGatesBackward(
    xg: NumArray, hg: NumArray, h: NumArray, dy: NumArray,
    dxg: NumArray, dhg: NumArray, dh: NumArray, batch: number, hidden: number,
  ): void;
  /**
   * The reset-before GRU's first pointwise part (the reset gate acts on h before the
   * candidate's product, so the step splits around that matmul). From `xg` [B, 3H]
   * (its r, z blocks), `hrz` [B, 2H] = h·W_hh[r, z]ᵀ + b_hh[r, z] and `h` [B, H], writes
   * `out` [2, B, H]: r·h in the first block, z in the second.
   */
  gruResetGates(xg: NumArray, hrz: NumArray, h: NumArray, out: NumArray, batch: number, hidden: number): void;
  /**
   * The VJP of `gruResetGates`: from `dy` [2, B, H] writes `dhrz` [B, 2H] (which is also
   * the cotangent of xg's r, z blocks; its n block gets none) and `dh` [B, H].
   */
  gruResetGatesBackward(xg: NumArray, hrz: NumArray, h: NumArray, dy: NumArray, dhrz: NumArray, dh: NumArray, batch: number, hidden: number): void;
  /**
   * The reset-before GRU's last pointwise part: `out` [B, H] = (1 − z)·tanh(xn + hn) + z·h
   * from `xg` [B, 3H] (its n block), `hn` = (r·h)·W_hnᵀ + b_hn, `z` and `h` [B, H].
   */
  gruUpdate(xg: NumArray, hn: NumArray, z: NumArray, h: NumArray, out: NumArray, batch: number, hidden: number): void;
  /**
   * The VJP of `gruUpdate`: from `dy` [B, H] writes `dhn` (which is also the cotangent of
   * xg's n block; its r, z blocks get none), `dz` and `dh` [B, H].
   */
  gruUpdateBackward(
    xg: NumArray, hn: NumArray, z: NumArray, h: NumArray, dy: NumArray, dhn: NumArray, dz: NumArray, dh: NumArray, batch: number, hidden: number,
  ): void;
  /**
   * A whole reset-before GRU step: `gruResetGates` between h·W_hh[r, z]ᵀ and the
   * candidate's product (r·h)·W_hh[n]ᵀ, then `gruUpdate`. From `xg` [B, 3H] (b_hh
   * added), `h` [B, H] and `weightHh` [3H, H], writes `out` [B, H] = h' and `saved`
   * [5, B, H]: h·W_hh[r, z]ᵀ [B, 2H], r·h, z and hn.
   */
  gruBeforeStep(xg: NumArray, h: NumArray, weightHh: NumArray, saved: NumArray, out: NumArray, batch: number, hidden: number): void;
  /**
   * The VJP of `gruBeforeStep` from `dy` [B, H] and its `saved`: writes `dhrz` [B, 2H]
   * and `dhn` [B, H] (the cotangents of the two products' outputs), `dxg` [B, 3H] (the
   * same values side by side) and `dh` [B, H]; with `withDh` false, dh holds only part
   * of h's cotangent and the rest is skipped (h needs none).
   */
  gruBeforeStepBackward(
    xg: NumArray, saved: NumArray, h: NumArray, dy: NumArray, weightHh: NumArray,
    dxg: NumArray, dhrz: NumArray, dhn: NumArray, dh: NumArray, withDh: boolean, batch: number, hidden: number,
  ): void;
}
