/**
 * Batched Cholesky on the GPU, left-looking, column by column: one
 * workgroup per matrix computes a range of columns per dispatch (the dot
 * products of a column in parallel, then the rows below it one per lane),
 * as many columns as fit the loop budget (see `common.ts`). Reads only the
 * lower triangle. As JAX and the cpu backend, a matrix meeting a
 * non-positive or NaN pivot comes back all NaN.
 *
 * Size limit: one column of order n costs about n²/1024 loop iterations per
 * lane, so n ≤ 5530 (a 117 MiB matrix); larger is a RangeError. A few
 * dispatches up to n = 256 (4), 34 at n = 1024.
 *
 * @module
 */

import { Params } from "../../commands.ts";
import type { KernelContext } from "../../commands.ts";
import { shader } from "../wgsl.ts";
import {
  budgetRanges,
  gridGroups,
  loopCost,
  LWG,
  SYNC,
  WG_REDUCE_COST,
  WG_REDUCE_WGSL,
} from "./common.ts";

/** out = lower(a); flags = 0 (grid over batch·n²). */
const LOAD = () =>
  shader({
    inputs: ["f32"],
    outputs: ["f32", "f32"],
    body: `  let batch = P[0]; let n = P[1];
  if (gid < batch) { out1[gid] = 0.0; }
  if (gid >= batch * n * n) { return; }
  let e = gid % (n * n);
  let i = e / n; let j = e % n;
  out0[gid] = select(0.0, in0[gid], j <= i);`,
  });

/** Columns [P[2], P[3]) of each matrix (one workgroup per matrix). */
const COLUMNS = () =>
  shader({
    inputs: [],
    outputs: ["f32", "f32"],
    wg: LWG,
    extra: WG_REDUCE_WGSL,
    body: `  if (wgid >= P[0]) { return; }
  let n = P[1];
  let base = wgid * n * n;
  for (var j = P[2]; j < P[3]; j++) {
    let rj = base + j * n;
    var part = 0.0;
    for (var k = lid; k < j; k += ${LWG}u) { let l = out0[rj + k]; part += l * l; }
    let ajj = out0[rj + j];
    let d = ajj - wg_sum(part, lid);
    if (lid == 0u) {
      if (!(d > 0.0)) { out1[wgid] = 1.0; }
      out0[rj + j] = sqrt(max(d, 0.0));
    }
    ${SYNC}
    let piv = out0[rj + j];
    for (var i = j + 1u + lid; i < n; i += ${LWG}u) {
      let ri = base + i * n;
      var s = out0[ri + j];
      for (var k = 0u; k < j; k++) { s -= out0[ri + k] * out0[rj + k]; }
      out0[ri + j] = s / piv;
    }
    ${SYNC}
  }`,
  });

/** Matrices whose flag is set become all NaN (grid over batch·n²). */
const POISON = () =>
  shader({
    inputs: ["f32"],
    outputs: ["f32"],
    extra: "fn f_nan() -> f32 { return bitcast<f32>(0x7fc00000u); }",
    body: `  let n = P[1];
  if (gid >= P[0] * n * n) { return; }
  if (in0[gid / (n * n)] != 0.0) { out0[gid] = f_nan(); }`,
  });

/** Loop iterations per lane for column `j` of an order-`n` matrix (see `loopCost`). */
function columnCost(n: number, j: number): number {
  const below = loopCost(Math.ceil((n - 1 - j) / LWG), loopCost(j, 0), 1);
  return 1 + loopCost(Math.ceil(j / LWG), 0) + WG_REDUCE_COST + below;
}

/**
 * Record `out = cholesky(a)` for `batch` matrices of order `n` (float32).
 *
 * @example
 * ```ts ignore
 * import { choleskyKernel } from "./cholesky.ts";
 * choleskyKernel(ctx, aBuffer, 1, 300, outBuffer); // 300x300: two column ranges
 * ```
 */
export function choleskyKernel(
  ctx: KernelContext,
  a: GPUBuffer,
  batch: number,
  n: number,
  out: GPUBuffer,
): void {
  if (batch * n === 0) return;
  const ranges = budgetRanges(
    n,
    (j) => columnCost(n, j),
    "cholesky",
    `a matrix of order ${n}`,
  );
  const flags = ctx.alloc(batch * 4);
  const total = batch * n * n;
  const params = new Params().u32(batch).u32(n).words();
  ctx.dispatch(
    ctx.kernel("linalg:chol:load", 1, 2, LOAD),
    params,
    [a, out, flags],
    gridGroups(total),
  );
  const cols = ctx.kernel("linalg:chol:cols", 0, 2, COLUMNS);
  for (const [j0, j1] of ranges) {
    ctx.dispatch(cols, new Params().u32(batch).u32(n).u32(j0).u32(j1).words(), [out, flags], batch);
  }
  ctx.dispatch(
    ctx.kernel("linalg:chol:nan", 1, 1, POISON),
    params,
    [flags, out],
    gridGroups(total),
  );
  ctx.free(flags);
}
