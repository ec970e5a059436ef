/**
 * Reverse-mode automatic differentiation: primitives with their VJPs, the tape, and
 * the `grad` / `valueAndGrad` / `vjp` transformations over parameter trees.
 *
 * @module
 */
export { definePrimitive, type Primitive, type PrimitiveInputs, type PrimitiveSpec } from './primitive.js';
export { broadcastTo, sumTo } from './broadcast.js';
export { grad, valueAndGrad, vjp, stopGradient, type GradOptions } from './transforms.js';
