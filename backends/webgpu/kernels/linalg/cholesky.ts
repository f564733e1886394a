/**
 * Batched Cholesky on the GPU: one workgroup per matrix, column by column
 * (left-looking, the dot products of a column in parallel), reading only the
 * lower triangle. As JAX and the cpu backend, a matrix meeting a
 * non-positive or NaN pivot comes back all NaN.
 *
 * @module
 */

import { Params } from "../../commands.ts";
import type { KernelContext } from "../../commands.ts";
import { shader } from "../wgsl.ts";
import { LWG, SYNC, WG_REDUCE_WGSL } from "./common.ts";

const SOURCE = () =>
  shader({
    inputs: ["f32"],
    outputs: ["f32"],
    wg: LWG,
    extra: WG_REDUCE_WGSL,
    body: `  if (wgid >= P[0]) { return; }
  let n = P[1];
  let base = wgid * n * n;
  for (var e = lid; e < n * n; e += ${LWG}u) {
    let i = e / n; let j = e % n;
    out0[base + e] = select(0.0, in0[base + e], j <= i);
  }
  if (lid == 0u) { flag_ = 0u; }
  ${SYNC}
  for (var j = 0u; j < n; j++) {
    let rj = base + j * n;
    var part = 0.0;
    for (var k = lid; k < j; k += ${LWG}u) { let l = out0[rj + k]; part += l * l; }
    let ajj = out0[rj + j];
    let d = ajj - wg_sum(part, lid);
    if (lid == 0u) {
      if (!(d > 0.0)) { flag_ = 1u; }
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
  }
  if (workgroupUniformLoad(&flag_) != 0u) {
    for (var e = lid; e < n * n; e += ${LWG}u) { out0[base + e] = f_nan(); }
  }`,
  });

/** Record `out = cholesky(a)` for `batch` matrices of order `n` (float32). */
export function choleskyKernel(
  ctx: KernelContext,
  a: GPUBuffer,
  batch: number,
  n: number,
  out: GPUBuffer,
): void {
  if (batch * n === 0) return;
  const k = ctx.kernel("linalg:cholesky", 1, 1, SOURCE);
  ctx.dispatch(k, new Params().u32(batch).u32(n).words(), [a, out], batch);
}
