/**
 * Batched thin SVD on the GPU: one-sided (Hestenes) Jacobi on the k = min(m,
 * n) columns of A (m ≥ n) or of Aᵀ (m < n) after scaling to max |a| = 1, as
 * the cpu backend does, but with the round-robin ordering so each round
 * rotates ⌊k/2⌋ disjoint pairs in parallel; one workgroup per matrix.
 * Singular values descending (stable on ties); vectors for zero singular
 * values are completed against unit vectors by Gram–Schmidt twice. A matrix
 * with a NaN or infinite entry comes back all NaN. Singular vectors are
 * unique only up to a common sign per pair (u_i, v_i).
 *
 * @module
 */

import { Params } from "../../commands.ts";
import type { KernelContext } from "../../commands.ts";
import { shader } from "../wgsl.ts";
import { LWG, SYNC, WG_REDUCE_WGSL } from "./common.ts";
import { MAX_SWEEPS, ROUND_ROBIN_WGSL } from "./eigh.ts";

/**
 * `tall` (m ≥ n): rows of w are A's columns, U = normalised w (columns of
 * out0), Vh = rows of vr. Wide: w = A's rows, U = vr rows as columns, Vh = w.
 */
function source(tall: boolean): string {
  // Index of element t of normalised row r in its output (U for tall, Vh for wide).
  const wn = tall ? "ub + (t_) * k + (r_)" : "vhb + (r_) * n + (t_)";
  const wnAt = (r: string, t: string) =>
    tall
      ? `out0[${wn.replace("r_", r).replace("t_", t)}]`
      : `out2[${wn.replace("r_", r).replace("t_", t)}]`;
  return shader({
    inputs: ["f32"],
    outputs: ["f32", "f32", "f32", "f32"],
    wg: LWG,
    extra: WG_REDUCE_WGSL + ROUND_ROBIN_WGSL + "\nvar<workgroup> rot_: u32;",
    body: `  if (wgid >= P[0]) { return; }
  let m = P[1]; let n = P[2]; let k = min(m, n); let q = max(m, n);
  let ab = wgid * m * n;
  let ub = wgid * m * k; let sb = wgid * k; let vhb = wgid * k * n;
  let ww = wgid * (k * q + k * k + 2u * k);  // w rows, vr rows, sig, order
  let wv = ww + k * q;
  let wsig = wv + k * k;
  let word = wsig + k;
  var bad = false;
  var mx = 0.0;
  for (var e = lid; e < m * n; e += ${LWG}u) {
    let x = in0[ab + e];
    if (f_bad(x)) { bad = true; }
    mx = max(mx, abs(x));
  }
  if (bad) { flag_ = 1u; }
  if (workgroupUniformLoad(&flag_) != 0u) {
    for (var e = lid; e < m * k; e += ${LWG}u) { out0[ub + e] = f_nan(); }
    for (var e = lid; e < k; e += ${LWG}u) { out1[sb + e] = f_nan(); }
    for (var e = lid; e < k * n; e += ${LWG}u) { out2[vhb + e] = f_nan(); }
    return;
  }
  let amax = wg_max(mx, lid);
  let inv = select(1.0, 1.0 / amax, amax > 0.0);
  for (var e = lid; e < m * n; e += ${LWG}u) {
    let i = e / n; let c = e % n;
    let x = in0[ab + e] * inv;
    ${tall ? "out3[ww + c * q + i] = x;" : "out3[ww + i * q + c] = x;"}
  }
  for (var e = lid; e < k * k; e += ${LWG}u) { out3[wv + e] = select(0.0, 1.0, e / k == e % k); }
  ${SYNC}
  let tol = max(sqrt(f32(q)), 1.0) * 1.2e-7;
  let np = k + (k & 1u);
  let pairs = np / 2u;
  for (var sweep = 0u; sweep < ${MAX_SWEEPS}u; sweep++) {
    if (lid == 0u) { rot_ = 0u; }
    workgroupBarrier();
    for (var r = 0u; r + 1u < np; r++) {
      for (var pi = lid; pi < pairs; pi += ${LWG}u) {
        let pq = rr_pair(r, pi, np);
        let i = min(pq.x, pq.y); let j = max(pq.x, pq.y);
        if (j < k) {
          let ri = ww + i * q; let rj = ww + j * q;
          var alpha = 0.0; var beta = 0.0; var gamma = 0.0;
          for (var t = 0u; t < q; t++) {
            let x = out3[ri + t]; let y = out3[rj + t];
            alpha += x * x; beta += y * y; gamma += x * y;
          }
          if (abs(gamma) > tol * sqrt(alpha * beta) && abs(gamma) > 1e-30) {
            rot_ = 1u;
            let zeta = (beta - alpha) / (2.0 * gamma);
            let az = abs(zeta);
            var tn: f32;
            if (az > 1e18) { tn = select(-1.0, 1.0, zeta >= 0.0) / (2.0 * az); } else {
              tn = select(-1.0, 1.0, zeta >= 0.0) / (az + sqrt(1.0 + zeta * zeta));
            }
            let c = 1.0 / sqrt(1.0 + tn * tn);
            let s = c * tn;
            for (var t = 0u; t < q; t++) {
              let x = out3[ri + t]; let y = out3[rj + t];
              out3[ri + t] = c * x - s * y;
              out3[rj + t] = s * x + c * y;
            }
            let vi = wv + i * k; let vj = wv + j * k;
            for (var t = 0u; t < k; t++) {
              let x = out3[vi + t]; let y = out3[vj + t];
              out3[vi + t] = c * x - s * y;
              out3[vj + t] = s * x + c * y;
            }
          }
        }
      }
      ${SYNC}
    }
    if (workgroupUniformLoad(&rot_) == 0u) { break; }
  }
  // Norms of the rows, then a stable descending order.
  for (var i = lid; i < k; i += ${LWG}u) {
    var ss = 0.0;
    for (var t = 0u; t < q; t++) { let x = out3[ww + i * q + t]; ss += x * x; }
    out3[wsig + i] = sqrt(ss);
  }
  ${SYNC}
  if (lid == 0u) {
    for (var i = 0u; i < k; i++) { out3[word + i] = bitcast<f32>(i); }
    for (var i = 1u; i < k; i++) {
      let key = bitcast<u32>(out3[word + i]);
      let kv = out3[wsig + key];
      var j = i;
      loop {
        if (j == 0u) { break; }
        let prev = bitcast<u32>(out3[word + j - 1u]);
        if (!(out3[wsig + prev] < kv)) { break; }
        out3[word + j] = out3[word + j - 1u];
        j = j - 1u;
      }
      out3[word + j] = bitcast<f32>(key);
    }
  }
  ${SYNC}
  // Singular values, normalised rows (U or Vh), and the other factor from vr.
  for (var e = lid; e < k * q; e += ${LWG}u) {
    let r_ = e / q; let t_ = e % q;
    let src = bitcast<u32>(out3[word + r_]);
    let sg = out3[wsig + src];
    ${wnAt("r_", "t_")} = select(0.0, out3[ww + src * q + t_] / sg, sg > 0.0);
  }
  for (var e = lid; e < k * k; e += ${LWG}u) {
    let r_ = e / k; let t_ = e % k;
    let src = bitcast<u32>(out3[word + r_]);
    ${tall ? "out2[vhb + r_ * n + t_]" : "out0[ub + t_ * k + r_]"} = out3[wv + src * k + t_];
  }
  for (var e = lid; e < k; e += ${LWG}u) {
    out1[sb + e] = out3[wsig + bitcast<u32>(out3[word + e])] * amax;
  }
  ${SYNC}
  // Complete rows for zero singular values (sequential; rank-deficient input only).
  if (lid == 0u) {
    var filled = 0u;
    loop {
      if (filled >= k) { break; }
      if (!(out3[wsig + bitcast<u32>(out3[word + filled])] > 0.0)) { break; }
      filled = filled + 1u;
    }
    let minNorm = 1.0 / (2.0 * sqrt(f32(q)));
    var cand = 0u;
    for (var r = filled; r < k; r++) {
      loop {
        if (cand >= q) { break; }
        for (var t = 0u; t < q; t++) { ${wnAt("r", "t")} = select(0.0, 1.0, t == cand); }
        for (var twice = 0u; twice < 2u; twice++) {
          for (var o = 0u; o < r; o++) {
            var d = 0.0;
            for (var t = 0u; t < q; t++) { d += ${wnAt("o", "t")} * ${wnAt("r", "t")}; }
            for (var t = 0u; t < q; t++) { ${wnAt("r", "t")} -= d * ${wnAt("o", "t")}; }
          }
        }
        var ss = 0.0;
        for (var t = 0u; t < q; t++) { let x = ${wnAt("r", "t")}; ss += x * x; }
        let nrm = sqrt(ss);
        cand = cand + 1u;
        if (nrm >= minNorm) {
          for (var t = 0u; t < q; t++) { ${wnAt("r", "t")} = ${wnAt("r", "t")} / nrm; }
          break;
        }
      }
    }
  }`,
  });
}

/** Record `(u, s, vh) = svd(a)` for `batch` matrices `m × n` (float32). */
export function svdKernel(
  ctx: KernelContext,
  a: GPUBuffer,
  batch: number,
  m: number,
  n: number,
  u: GPUBuffer,
  s: GPUBuffer,
  vh: GPUBuffer,
): void {
  const k = Math.min(m, n), q = Math.max(m, n);
  if (batch === 0 || k === 0) return;
  const tall = m >= n;
  const work = ctx.alloc(batch * (k * q + k * k + 2 * k) * 4);
  const kernel = ctx.kernel(`linalg:svd:${tall ? "tall" : "wide"}`, 1, 4, () => source(tall));
  ctx.dispatch(kernel, new Params().u32(batch).u32(m).u32(n).words(), [a, u, s, vh, work], batch);
  ctx.free(work);
}
