/**
 * Batched reduced QR on the GPU: Householder reflectors with LAPACK's
 * `dlarfg` sign convention and `Q` formed backwards as `dorg2r`, exactly the
 * cpu backend's algorithm (so the signs agree), one workgroup per matrix.
 * The work matrix is held transposed (columns contiguous) in a scratch buffer.
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
    outputs: ["f32", "f32", "f32"],
    wg: LWG,
    extra: WG_REDUCE_WGSL + "\nvar<workgroup> tauv: f32;\nvar<workgroup> invv: f32;",
    body: `  if (wgid >= P[0]) { return; }
  let m = P[1]; let n = P[2]; let k = P[3];
  let ab = wgid * m * n;
  let wb = wgid * (m * n + k);   // work: n columns of length m, then tau[k]
  let tb = wb + m * n;
  let qb = wgid * m * k;
  let rb = wgid * k * n;
  for (var e = lid; e < m * n; e += ${LWG}u) {
    let i = e / n; let c = e % n;
    out2[wb + c * m + i] = in0[ab + e];
  }
  ${SYNC}
  for (var j = 0u; j < k; j++) {
    let cj = wb + j * m;
    let alpha = out2[cj + j];
    var mx = 0.0;
    var nan = false;
    for (var i = j + 1u + lid; i < m; i += ${LWG}u) {
      let v = out2[cj + i];
      if (f_isnan(v)) { nan = true; }
      mx = max(mx, abs(v));
    }
    let anyNan = wg_sum(select(0.0, 1.0, nan), lid) > 0.0;
    let scale = wg_max(select(mx, 0.0, nan), lid);
    var part = 0.0;
    if (scale > 0.0) {
      for (var i = j + 1u + lid; i < m; i += ${LWG}u) { let v = out2[cj + i] / scale; part += v * v; }
    }
    let ss = wg_sum(part, lid);
    if (lid == 0u) {
      var xnorm = scale * sqrt(ss);
      if (scale == 0.0) { xnorm = 0.0; }
      if (anyNan) { xnorm = f_nan(); }
      if (xnorm == 0.0) {
        tauv = 0.0;
        invv = 0.0;
      } else {
        let h = max(abs(alpha), abs(xnorm));
        let l = min(abs(alpha), abs(xnorm));
        var hyp = h;
        if (h > 0.0) { let r = l / h; hyp = h * sqrt(1.0 + r * r); }
        if (f_isnan(alpha) || f_isnan(xnorm)) { hyp = f_nan(); }
        let beta = -select(-1.0, 1.0, alpha >= 0.0) * hyp;
        tauv = (beta - alpha) / beta;
        invv = 1.0 / (alpha - beta);
        out2[cj + j] = beta;
      }
      out2[tb + j] = tauv;
    }
    ${SYNC}
    let t = workgroupUniformLoad(&tauv);
    let inv = workgroupUniformLoad(&invv);
    let apply = t != 0.0 || f_isnan(t);
    if (apply) {
      for (var i = j + 1u + lid; i < m; i += ${LWG}u) { out2[cj + i] = out2[cj + i] * inv; }
    }
    ${SYNC}
    if (apply) {
      for (var c = j + 1u + lid; c < n; c += ${LWG}u) {
        let cc = wb + c * m;
        var w = out2[cc + j];
        for (var i = j + 1u; i < m; i++) { w += out2[cj + i] * out2[cc + i]; }
        w = w * t;
        out2[cc + j] -= w;
        for (var i = j + 1u; i < m; i++) { out2[cc + i] -= w * out2[cj + i]; }
      }
    }
    ${SYNC}
  }
  for (var e = lid; e < k * n; e += ${LWG}u) {
    let i = e / n; let c = e % n;
    out1[rb + e] = select(0.0, out2[wb + c * m + i], c >= i);
  }
  for (var e = lid; e < m * k; e += ${LWG}u) {
    let i = e / k; let c = e % k;
    out0[qb + e] = select(0.0, 1.0, i == c);
  }
  ${SYNC}
  for (var jj = 0u; jj < k; jj++) {
    let j = k - 1u - jj;
    let t = out2[tb + j];
    let cj = wb + j * m;
    if (t != 0.0 || f_isnan(t)) {
      for (var c = j + lid; c < k; c += ${LWG}u) {
        var w = out0[qb + j * k + c];
        for (var i = j + 1u; i < m; i++) { w += out2[cj + i] * out0[qb + i * k + c]; }
        w = w * t;
        out0[qb + j * k + c] -= w;
        for (var i = j + 1u; i < m; i++) { out0[qb + i * k + c] -= w * out2[cj + i]; }
      }
    }
    ${SYNC}
  }`,
  });

/** Record `(q, r) = qr(a)` for `batch` matrices `m × n` (float32). */
export function qrKernel(
  ctx: KernelContext,
  a: GPUBuffer,
  batch: number,
  m: number,
  n: number,
  q: GPUBuffer,
  r: GPUBuffer,
): void {
  const k = Math.min(m, n);
  if (batch === 0 || (m * k === 0 && k * n === 0)) return;
  const work = ctx.alloc(batch * (m * n + k) * 4);
  const kernel = ctx.kernel("linalg:qr", 1, 3, SOURCE);
  ctx.dispatch(
    kernel,
    new Params().u32(batch).u32(m).u32(n).u32(k).words(),
    [a, q, r, work],
    batch,
  );
  ctx.free(work);
}
