/**
 * The rule registry and small tensor helpers shared by the VJP rules. Rules
 * are written with the recorded primitives of `core/ops/prim.ts`, so they run
 * on every backend and, under an outer tape, are themselves differentiable.
 *
 * @module
 */

import type { TapeNode } from "../../engine.ts";
import type { Tensor } from "../../tensor.ts";
import { broadcastTo } from "../../ops/shape.ts";
import {
  pBinary,
  pFill,
  pReduce,
  pReshape,
  pSelect,
  pTranspose,
  pUnary,
  pWrite,
} from "../../ops/prim.ts";

/**
 * A VJP rule: given the recorded node and the cotangent of each output
 * (`null` where none flows), return the cotangent of each input (`null` for
 * none: integer inputs, conditions, indices). Input cotangents have the
 * input's shape.
 */
export type VjpRule = (node: TapeNode, cts: readonly (Tensor | null)[]) => (Tensor | null)[];

const RULES = new Map<string, VjpRule>();

/**
 * Register the VJP rule of a recorded op name (internal; `core/autodiff`
 * registers every rule of `core/ops` and `customVjp`).
 *
 * @example
 * ```ts
 * import { registerVjp, vjpRule } from "./util.ts";
 * registerVjp("myIdentity", (_node, [g]) => [g]);
 * console.assert(vjpRule("myIdentity") !== undefined);
 * ```
 */
export function registerVjp(op: string, rule: VjpRule): void {
  RULES.set(op, rule);
}

/**
 * The VJP rule of a recorded op, if any.
 *
 * @example
 * ```ts
 * import "./mod.ts";
 * import { vjpRule } from "./util.ts";
 * console.assert(vjpRule("exp") !== undefined && vjpRule("noSuchOp") === undefined);
 * ```
 */
export function vjpRule(op: string): VjpRule | undefined {
  return RULES.get(op);
}

/** A 0-d constant of `like`'s dtype on its backend. */
export function k(like: Tensor, v: number): Tensor {
  return pFill(like.backend, [], v, like.dtype);
}

/** Zeros of `shape` with `like`'s dtype and backend. */
export function zeros(like: Tensor, shape: readonly number[]): Tensor {
  return pFill(like.backend, shape, 0, like.dtype);
}

/** Elementwise helpers (same dtype, broadcasting). */
export const add = (a: Tensor, b: Tensor): Tensor => pBinary("add", a, b);
/** `a - b`. */
export const sub = (a: Tensor, b: Tensor): Tensor => pBinary("sub", a, b);
/** `a * b`. */
export const mul = (a: Tensor, b: Tensor): Tensor => pBinary("mul", a, b);
/** `a / b`. */
export const div = (a: Tensor, b: Tensor): Tensor => pBinary("div", a, b);
/** `-a`. */
export const neg = (a: Tensor): Tensor => pUnary("neg", a);
/** `a * v` for a number `v`. */
export const scale = (a: Tensor, v: number): Tensor => pBinary("mul", a, k(a, v));

/** Whether two shapes are equal. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Sum a cotangent of the broadcast shape back to an operand's `shape`: sum
 * over the leading axes it lacks and over the axes where it has size 1.
 */
export function unbroadcast(g: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  const s = axes.length > 0 ? pReduce("sum", g, axes) : g;
  return pReshape(s, shape);
}

/** `shape` with `axes` set to 1 (the keepdims shape of a reduction). */
export function keptShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

/** Broadcast `t` (broadcast-compatible) to `shape`. */
export function bcast(t: Tensor, shape: readonly number[]): Tensor {
  return sameShape(t.shape, shape) ? t : broadcastTo(t, shape);
}

/** `cond ? a : 0` with broadcasting (`a` float). */
export function maskWhere(cond: Tensor, a: Tensor): Tensor {
  return pSelect(cond, a, k(a, 0));
}

/** Swap the last two axes. */
export function mT(t: Tensor): Tensor {
  const r = t.rank;
  const perm = Array.from({ length: r }, (_, i) => i);
  perm[r - 2] = r - 1;
  perm[r - 1] = r - 2;
  return pTranspose(t, perm);
}

/** A constant `[n, n]` matrix of `like`'s dtype with entries `f(i, j)`. */
export function constMatrix(like: Tensor, n: number, f: (i: number, j: number) => number): Tensor {
  const v = like.dtype === "float64" ? new Float64Array(n * n) : new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) v[i * n + j] = f(i, j);
  return pWrite(like.backend, v, [n, n], like.dtype);
}

/** An int32 constant of `shape` from host values. */
export function intConst(like: Tensor, values: Int32Array, shape: readonly number[]): Tensor {
  return pWrite(like.backend, values, shape, "int32");
}
