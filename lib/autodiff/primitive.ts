/**
 * Primitives: the only way a gradient enters seqgrad. `definePrimitive` takes a name,
 * a forward computation and its VJP side by side, and returns the op. Called on
 * untraced tensors the op just computes; when any input is traced (it carries a tape
 * node), the output records a node so the tape can walk back through it.
 *
 * @module
 */
import { Tensor, type Cotangent, type TapeNode } from '../tensor/tensor.js';
import { currentStep } from './nan-check.js';
import { SeqgradError, showValue } from '../tensor/errors.js';
import type { Tuple } from '../tensor/tuple.js';

/**
 * A primitive's inputs: a tuple of `N` tensors when the arity `N` is a literal, so
 * `([a, b]) => ...` destructures to tensors; any number of tensors when it is `number`.
 */
export type PrimitiveInputs<N extends number> = Readonly<Tuple<Tensor, N>>;

/**
 * A primitive's definition: forward and VJP side by side. `P` is the type of the
 * params the op takes besides its tensors; `N` is its arity, the number of tensor
 * inputs (any number when left as `number`).
 */
export interface PrimitiveSpec<P, N extends number = number> {
  /** The op's public name; errors and NaN traces name it. */
  readonly name: string;
  /**
   * Computes the output from untraced inputs. Validates its arguments and throws
   * errors naming the op, the argument and the shapes.
   */
  readonly forward: (inputs: PrimitiveInputs<N>, params: P) => Tensor;
  /**
   * Maps the output's cotangent `dy` to one cotangent per input (null: none, as for
   * integer inputs). A cotangent may have the output's broadcast shape: the tape sums
   * it down to the input's shape. Written with seqgrad ops, so it can itself be
   * differentiated (gradients of gradients). `needs[i]` says whether input i's
   * cotangent is wanted at all (it is not for data, constants and integer inputs): a
   * VJP may return null there and save the work, as matmul does for the input x_t.
   */
  readonly vjp: (
    dy: Tensor, inputs: PrimitiveInputs<N>, out: Tensor, params: P, needs: readonly boolean[],
  ) => readonly (Cotangent | null)[];
}

/** A differentiable op made by `definePrimitive`, taking `N` tensor inputs and params `P`. */
export type Primitive<P, N extends number = number> = ((inputs: PrimitiveInputs<N>, params: P) => Tensor) & {
  /** The name given to `definePrimitive`. */
  readonly primitiveName: string;
};

/**
 * Defines a primitive from its forward and VJP. Give the arity as the second type
 * argument and the inputs arrive as a tuple of that many tensors.
 *
 * @example
 * ```ts
 * const squareP = definePrimitive<void, 1>({
 *   name: 'square',
 *   forward: ([x]) => tensor(x.data.map((v) => v * v), { shape: x.shape }),
 *   vjp: (dy, [x]) => [mul(dy, mul(x, 2))],
 * });
 * const square = (x: Tensor): Tensor => squareP([x], undefined);
 * ```
 */
export const definePrimitive = <P = void, N extends number = number>(spec: PrimitiveSpec<P, N>): Primitive<P, N> => {
  if (typeof spec?.name !== 'string' || typeof spec.forward !== 'function' || typeof spec.vjp !== 'function') {
    throw new SeqgradError('definePrimitive', `spec must be { name: string, forward: function, vjp: function }, got ${showValue(spec)}`);
  }
  const op = (inputs: PrimitiveInputs<N>, params: P): Tensor => {
    const out = spec.forward(inputs, params);
    const tensors: readonly Tensor[] = inputs;
    if (!tensors.some((t) => t.node !== null)) return out;
    // The tape hands back the node's own inputs (or detached copies, one per input), so they keep the arity.
    const vjp: TapeNode['vjp'] = (dy, ins, o, needs) => spec.vjp(dy, ins as PrimitiveInputs<N>, o, params, needs);
    // one object shape for every node (at is undefined outside scan), built without a spread on this hot path
    const node: TapeNode = { name: spec.name, inputs: tensors, vjp, at: currentStep() };
    return new Tensor(out.data, out.shape, node);
  };
  return Object.assign(op, { primitiveName: spec.name });
};

/** The same data with no tape node: what the VJPs see when no higher-order gradient is wanted. @internal */
export const detach = (t: Tensor): Tensor => (t.node === null ? t : new Tensor(t.data, t.shape));
