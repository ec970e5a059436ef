/**
 * Optimizers, optax-style: `GradientTransformation` pairs of pure `init` / `update`
 * functions with readonly state, `chain` to compose them, the transformations
 * (scaling, learning-rate schedules, momentum, Adam, RMSprop, Adagrad, weight decay,
 * clipping), and the named optimizers built from them with PyTorch's semantics.
 * Optimizer state is a plain tree of tensors and numbers, so checkpoints (lib/io)
 * save it like parameters.
 *
 * @module
 */
export * from './transformation.js';
export * from './transforms.js';
export * from './adaptive.js';
export * from './clip.js';
export * from './schedules.js';
export * from './optimizers.js';
