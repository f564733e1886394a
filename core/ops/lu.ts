/**
 * LU factorisation with partial pivoting, `P A = L U`, written with ops (there
 * is no LU primitive): recursive on column halves (Toledo 1997) so that the
 * bulk of the work is one triangular solve and one matmul per level, and only
 * the single-column leaves pick pivots. Used by `slogdet` and `det`.
 *
 * @module
 */

import type { Tensor } from "../tensor.ts";
import { abs, add, cast, div, equal, notEqual, sub, where } from "./elementwise.ts";
import { matmul } from "./matmul.ts";
import { triangularSolve } from "./decomp.ts";
import { pConcat, pFill, pGatherAlong, pReduce, pReshape, pSlice, pWrite, scoped } from "./prim.ts";

/** LU factors of a `[..., m, c]` panel (m ≥ c): `A[perm] = l · U`. */
export interface LuFactors {
  /** Unit lower trapezoidal factor, `[..., m, c]`. */
  readonly l: Tensor;
  /** Diagonal of the upper factor U, `[..., c]`. */
  readonly d: Tensor;
  /** Row order (int32 `[..., m]`): row i of `P A` is row `perm[i]` of A. */
  readonly perm: Tensor;
  /** Number of row exchanges (int32 `[...]`); `(−1)^swaps` is det P. */
  readonly swaps: Tensor;
}

/** Slice `[from, to)` of axis `axis` of `t`. */
function part(t: Tensor, axis: number, from: number, to: number): Tensor {
  const begin = new Array<number>(t.rank).fill(0);
  begin[axis] = from;
  const size = [...t.shape];
  size[axis] = to - from;
  return pSlice(t, begin, size, new Array<number>(t.rank).fill(1));
}

/** One column: pick the largest |entry| (first on ties, as LAPACK's idamax), swap it to the top, scale. */
function leaf(a: Tensor): LuFactors {
  const r = a.rank, m = a.shape[r - 2];
  const batch = a.shape.slice(0, -2);
  const col = pReshape(a, [...batch, m]);
  const p = pReduce("argmax", abs(col), [r - 2]);
  const pCol = pReshape(p, [...batch, 1]);
  const iota = pWrite(a.backend, Int32Array.from({ length: m }, (_, i) => i), [m], "int32");
  const top = equal(iota, 0);
  const perm = where(top, pCol, where(equal(iota, pCol), 0, iota));
  const colP = pGatherAlong(col, perm, r - 2);
  const pivot = part(colP, r - 2, 0, 1);
  const zero = equal(pivot, 0);
  // l = [1, a_i / pivot ...]; a zero pivot (a zero column) leaves zeros, as LAPACK.
  const scaled = where(zero, 0, div(colP, where(zero, 1, pivot)));
  const l = pReshape(where(top, 1, scaled), [...batch, m, 1]);
  return { l, d: pivot, perm, swaps: cast(notEqual(p, 0), "int32") };
}

/**
 * Factor each panel `a: [..., m, c]` (float, m ≥ c) as `A[perm] = l · U`
 * with partial pivoting; returns `l`, U's diagonal `d`, `perm` and the swap
 * count. An exactly singular matrix gets an exact zero in `d` (NumPy/LAPACK
 * continue past a zero pivot too).
 *
 * @example
 * ```ts
 * import "../../backends/registry.ts";
 * import { luFactor } from "./lu.ts";
 * import { tensor } from "./creation.ts";
 * using a = tensor([[1, 2], [3, 4]]);
 * const f = luFactor(a); // rows swapped: U = [[3, 4], [0, 2/3]]
 * console.assert(f.swaps.dataSync()[0] === 1 && f.d.dataSync()[0] === 3);
 * for (const t of [f.l, f.d, f.perm, f.swaps]) t.dispose();
 * ```
 */
export function luFactor(a: Tensor): LuFactors {
  return scoped(() => {
    const r = a.rank, m = a.shape[r - 2], c = a.shape[r - 1];
    const batch = a.shape.slice(0, -2);
    if (c === 0) {
      // Only reached for an empty square matrix (m = 0): nothing to factor.
      return {
        l: pFill(a.backend, [...batch, m, 0], 0, a.dtype),
        d: pFill(a.backend, [...batch, 0], 0, a.dtype),
        perm: pFill(a.backend, [...batch, m], 0, "int32"),
        swaps: pFill(a.backend, batch, 0, "int32"),
      };
    }
    if (c === 1) return leaf(a);
    const c1 = c >> 1, rows = r - 2, cols = r - 1;
    const left = luFactor(part(a, cols, 0, c1));
    const right0 = pGatherAlong(part(a, cols, c1, c), pReshape(left.perm, [...batch, m, 1]), rows);
    const l11 = part(left.l, rows, 0, c1), l21 = part(left.l, rows, c1, m);
    // U12 = L11⁻¹ A12; Schur complement S = A22 − L21 U12, factored recursively.
    const u12 = triangularSolve(l11, part(right0, rows, 0, c1), {
      lower: true,
      unitDiagonal: true,
    });
    const schur = sub(part(right0, rows, c1, m), matmul(l21, u12));
    const right = luFactor(schur);
    const l21p = pGatherAlong(l21, pReshape(right.perm, [...batch, m - c1, 1]), rows);
    const upperZero = pFill(a.backend, [...batch, c1, c - c1], 0, a.dtype);
    const l = pConcat([pConcat([l11, l21p], rows), pConcat([upperZero, right.l], rows)], cols);
    const tail = pGatherAlong(part(left.perm, rows, c1, m), right.perm, rows);
    const perm = pConcat([part(left.perm, rows, 0, c1), tail], rows);
    return { l, d: pConcat([left.d, right.d], rows), perm, swaps: add(left.swaps, right.swaps) };
  });
}
