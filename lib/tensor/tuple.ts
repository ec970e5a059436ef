/**
 * Fixed-length tuple types, so that functions returning `n` things (`splitKey(k, 3)`,
 * `split(x, 4)`, a primitive's inputs) can be destructured without non-null
 * assertions under `noUncheckedIndexedAccess`.
 *
 * @module
 */

/**
 * `N` elements of type `T` when `N` is a literal count (`Tuple<Key, 3>` is
 * `[Key, Key, Key]`); a plain `T[]` when `N` is `number` or not an integer literal
 * from 0 to 99, so a count known only at run time still type-checks.
 *
 * @example
 * ```ts
 * const keys: Tuple<Key, 3> = splitKey(key(0), 3);
 * const [a, b, c] = keys; // each a Key, no `!` needed
 * ```
 */
export type Tuple<T, N extends number> = number extends N ? T[] : N extends N ? (IsCount<N> extends true ? Build<T, N, []> : T[]) : never;

/** The decimal digits. */
type Digit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9';

/** True for a literal that names a count below 100: no sign, no fraction, and short enough to build one element per step. */
type IsCount<N extends number> = `${N}` extends Digit | `${Digit}${Digit}` ? true : false;

/** Appends `T` to `Acc` until it holds `N` elements. */
type Build<T, N extends number, Acc extends T[]> = Acc['length'] extends N ? Acc : Build<T, N, [...Acc, T]>;
