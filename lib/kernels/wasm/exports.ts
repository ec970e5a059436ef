/**
 * The WebAssembly module's exports as the glue sees them: kernels over byte addresses
 * into the module's own linear memory (see assembly/index.ts), and that memory.
 *
 * @module
 */
import type { WasmMemory } from './api.js';

/** What the compiled kernel module exports. @internal */
export interface WasmExports {
  readonly memory: WasmMemory;
  heapBase(): number;
  packA(a: number, rs: number, cs: number, m: number, k: number, dst: number): void;
  packB(b: number, rs: number, cs: number, k: number, n: number, dst: number): void;
  gemm(ap: number, bp: number, c: number, m: number, n: number, k: number, accumulate: number): void;
  useEdgeSlot(slot: number): void;
  thinNN(a: number, b: number, c: number, m: number, n: number, k: number, accumulate: number): void;
  thinNT(a: number, w: number, c: number, m: number, n: number, k: number, accumulate: number): void;
  unary(op: number, x: number, out: number, n: number): void;
  binary(op: number, a: number, aStep: number, b: number, bStep: number, out: number, rows: number, cols: number): void;
  select(cond: number, x: number, xStep: number, y: number, yStep: number, out: number, n: number): void;
  reduce(x: number, outer: number, reduced: number, inner: number, out: number, isMax: number): void;
  argmax(x: number, outer: number, n: number, inner: number, out: number): void;
  addInto(out: number, x: number, n: number): void;
  lstmGates(gates: number, c: number, out: number, batch: number, hidden: number): void;
  lstmGatesBackward(gates: number, c: number, dy: number, dGates: number, dc: number, batch: number, hidden: number): void;
  gruGates(xg: number, hg: number, h: number, out: number, batch: number, hidden: number): void;
  gruGatesBackward(
    xg: number, hg: number, h: number, dy: number, dxg: number, dhg: number, dh: number, batch: number, hidden: number,
  ): void;
  gruResetGates(xg: number, hrz: number, h: number, out: number, batch: number, hidden: number): void;
  lstmSequence(xp: number, w: number, hs: number, state: number, work: number, steps: number, batch: number, hidden: number): void;
  gruResetGatesBackward(xg: number, hrz: number, h: number, dy: number, dhrz: number, dh: number, batch: number, hidden: number): void;
  gruUpdate(xg: number, hn: number, z: number, h: number, out: number, batch: number, hidden: number): void;
  gruUpdateBackward(
    xg: number, hn: number, z: number, h: number, dy: number, dhn: number, dz: number, dh: number, batch: number, hidden: number,
  ): void;
  gruBeforeStep(xg: number, h: number, wrz: number, wn: number, saved: number, out: number, work: number, batch: number, hidden: number): void;
  gruBeforeStepBackward(
    xg: number, saved: number, h: number, dy: number, wrz: number, wn: number,
    dxg: number, dhrz: number, dhn: number, dh: number, work: number, withDh: number, batch: number, hidden: number,
  ): void;
}
