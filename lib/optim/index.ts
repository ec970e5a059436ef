/**
 * Optimizers, optax-style: `GradientTransformation` pairs of pure `init` / `update`
 * functions with readonly state, `chain` to compose them, the transformations
 * (scaling, learning-rate schedules, momentum, Adam, RMSprop, Adagrad, weight decay,
 * clipping), the named optimizers built from them with PyTorch's semantics, and the
 * conversion of optimizer state to and from named tensors for checkpoints.
 *
 * @module
 */
export * from './transformation.js';
export * from './transforms.js';
export * from './adaptive.js';
export * from './clip.js';
export * from './schedules.js';
export * from './optimizers.js';
export * from './state.js';
