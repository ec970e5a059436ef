/**
 * The slice of the WebAssembly JavaScript API the backend uses, typed here and read
 * from `globalThis`: the project compiles without the DOM library (whose types
 * describe it) and @types/node declares only part of it, and a library must not add
 * global declarations of its own that could clash with a user's.
 *
 * @module
 */

/** A compiled module (opaque). @internal */
export interface WasmModule {
  readonly __wasmModule?: never;
}

/** A module's linear memory. @internal */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** The constructors and functions of the global `WebAssembly` object that the backend calls. @internal */
export interface WasmApi {
  readonly Module: new (bytes: Uint8Array) => WasmModule;
  readonly Instance: new (module: WasmModule, imports: object) => { readonly exports: object };
  validate(bytes: Uint8Array): boolean;
  compile(bytes: Uint8Array): Promise<WasmModule>;
}

/** The global WebAssembly object, or undefined where the engine has none. @internal */
export const webAssembly = (): WasmApi | undefined => (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
