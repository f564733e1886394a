/**
 * Batched triangular solves on the GPU: one invocation per right-hand-side
 * vector (a column of b for left-side solves, a row for right-side ones),
 * substituting forward or backward through `op(a)` (or its transpose for
 * right-side solves), reading only the used triangle of `a`. The
 * substitution runs over several dispatches, each solving the range of
 * unknowns that fits the loop budget (see `common.ts`: unknown number i in
 * substitution order costs i iterations), so any order works.
 *
 * @module
 */

import type { TriangularSolveOptions } from "../../../backend.ts";
import { Params } from "../../commands.ts";
import type { KernelContext } from "../../commands.ts";
import { shader, WG } from "../wgsl.ts";
import { budgetRanges, loopCost } from "./common.ts";

function source(effLower: boolean, readT: boolean, unit: boolean): string {
  // T(i, k) = A[i][k], or A[k][i] when readT.
  const t = (i: string, k: string) =>
    readT ? `in0[ab + (${k}) * n + (${i})]` : `in0[ab + (${i}) * n + (${k})]`;
  const loop = effLower
    ? {
      outer: "for (var ii = P[4]; ii < P[5]; ii++) { let i = ii;",
      inner: "for (var k = 0u; k < i; k++)",
    }
    : {
      outer: "for (var ii = P[4]; ii < P[5]; ii++) { let i = n - 1u - ii;",
      inner: "for (var k = i + 1u; k < n; k++)",
    };
  return shader({
    inputs: ["f32", "f32"],
    outputs: ["f32"],
    body: `  if (gid >= P[0]) { return; }
  let n = P[1]; let m = P[2]; let left = P[3] == 1u;
  let bi = gid / m; let v = gid % m;
  let ab = bi * n * n;
  let bb = bi * n * m;
  // element i of this right-hand side
  var off0 = bb + v; var step = m;
  if (!left) { off0 = bb + v * n; step = 1u; }
  ${loop.outer}
    var s = in1[off0 + i * step];
    ${loop.inner} { s -= ${t("i", "k")} * out0[off0 + k * step]; }
    ${unit ? "" : `s = s / ${t("i", "i")};`}
    out0[off0 + i * step] = s;
  }`,
  });
}

/**
 * Record `out = triangularSolve(a, b)` (float32; a and b share their batch dims).
 *
 * @example
 * ```ts ignore
 * import { triangularSolveKernel } from "./triangular.ts";
 * const o = { lower: true, leftSide: true, transposeA: false, unitDiagonal: false };
 * triangularSolveKernel(ctx, a, [300, 300], b, [300, 2], o, out);
 * ```
 */
export function triangularSolveKernel(
  ctx: KernelContext,
  a: GPUBuffer,
  aShape: readonly number[],
  b: GPUBuffer,
  bShape: readonly number[],
  options: TriangularSolveOptions,
  out: GPUBuffer,
): void {
  const n = aShape[aShape.length - 1];
  const rb = bShape.length;
  let batch = 1;
  for (let i = 0; i < rb - 2; i++) batch *= bShape[i];
  const m = options.leftSide ? bShape[rb - 1] : bShape[rb - 2];
  const vectors = batch * m;
  if (vectors * n === 0) return;
  // Left: solve op(A) x = b by columns; right: x op(A) = b ⇔ op(A)ᵀ xᵀ = bᵀ by rows.
  const readT = options.leftSide ? options.transposeA : !options.transposeA;
  const effLower = options.lower !== readT;
  const key = `linalg:trsv:${+effLower}${+readT}${+options.unitDiagonal}`;
  const k = ctx.kernel(key, 2, 1, () => source(effLower, readT, options.unitDiagonal));
  // Unknown ii (in substitution order) sums over the ii solved before it.
  const ranges = budgetRanges(
    n,
    (ii) => 1 + loopCost(ii, 0),
    "triangularSolve",
    `a matrix of order ${n}`,
  );
  for (const [i0, i1] of ranges) {
    ctx.dispatch(
      k,
      new Params().u32(vectors).u32(n).u32(m).u32(options.leftSide ? 1 : 0).u32(i0).u32(i1)
        .words(),
      [a, b, out],
      Math.ceil(vectors / WG),
    );
  }
}
