/**
 * Batched symmetric eigendecomposition on the GPU: two-sided cyclic Jacobi
 * with the round-robin (tournament) ordering, so each round applies ⌊n/2⌋
 * disjoint rotations in parallel; one workgroup per matrix, sweeps until no
 * rotation is needed (at most {@link MAX_SWEEPS}). Reads only the lower
 * triangle; eigenvalues ascending (stable on ties), eigenvectors as columns.
 * A matrix with a NaN or infinite entry in its lower triangle comes back all
 * NaN, as on the cpu backend. Eigenvectors are unique only up to sign (and
 * rotation within repeated eigenvalues), so they may differ from the cpu
 * backend's by those.
 *
 * @module
 */

import { Params } from "../../commands.ts";
import type { KernelContext } from "../../commands.ts";
import { shader } from "../wgsl.ts";
import { LWG, SYNC, WG_REDUCE_WGSL } from "./common.ts";

/** Most Jacobi sweeps (convergence is quadratic; float32 needs about 6–10). */
export const MAX_SWEEPS = 40;

/** Rotations per round held in workgroup memory (n ≤ 2·this for one pass). */
const MAX_PAIRS = 512;

/**
 * WGSL of the round-robin pairing: players 0..np-1 (np even), round r of
 * np - 1 rounds; pair i of a round is (pair_a, pair_b).
 */
export const ROUND_ROBIN_WGSL = /* wgsl */ `
fn rr_pair(r: u32, i: u32, np: u32) -> vec2<u32> {
  let mm = np - 1u;
  if (i == 0u) { return vec2<u32>(r % mm, mm); }
  return vec2<u32>((r + i) % mm, (r + mm - i) % mm);
}
`;

const SOURCE = () =>
  shader({
    inputs: ["f32"],
    outputs: ["f32", "f32", "f32"],
    wg: LWG,
    extra: WG_REDUCE_WGSL + ROUND_ROBIN_WGSL + `
var<workgroup> cs: array<f32, ${MAX_PAIRS}>;
var<workgroup> sn: array<f32, ${MAX_PAIRS}>;
var<workgroup> rot_: u32;`,
    body: `  if (wgid >= P[0]) { return; }
  let n = P[1];
  let ab = wgid * n * n;
  let wa = wgid * (2u * n * n + n);   // A work, then V work, then order
  let wv = wa + n * n;
  let wo = wv + n * n;
  let vb = wgid * n;
  // Symmetrise from the lower triangle; V = I; check finiteness.
  var bad = false;
  for (var e = lid; e < n * n; e += ${LWG}u) {
    let i = e / n; let j = e % n;
    var x = 0.0;
    if (j <= i) { x = in0[ab + i * n + j]; } else { x = in0[ab + j * n + i]; }
    if (j <= i && f_bad(x)) { bad = true; }
    out2[wa + e] = x;
    out2[wv + e] = select(0.0, 1.0, i == j);
  }
  if (bad) { flag_ = 1u; }
  if (workgroupUniformLoad(&flag_) != 0u) {
    for (var e = lid; e < n * n; e += ${LWG}u) { out1[ab + e] = f_nan(); }
    for (var e = lid; e < n; e += ${LWG}u) { out0[vb + e] = f_nan(); }
    return;
  }
  var fro = 0.0;
  for (var e = lid; e < n * n; e += ${LWG}u) { let x = out2[wa + e]; fro += x * x; }
  let floor_ = sqrt(wg_sum(fro, lid)) * 1e-10;
  ${SYNC}
  let np = n + (n & 1u);
  let pairs = np / 2u;
  for (var sweep = 0u; sweep < ${MAX_SWEEPS}u; sweep++) {
    if (lid == 0u) { rot_ = 0u; }
    workgroupBarrier();
    for (var r = 0u; r + 1u < np; r++) {
      // 1. rotation of each pair from the current A.
      for (var i = lid; i < pairs; i += ${LWG}u) {
        let pq = rr_pair(r, i, np);
        let p = min(pq.x, pq.y); let q = max(pq.x, pq.y);
        var c = 1.0; var s = 0.0;
        if (q < n) {
          let apq = out2[wa + p * n + q];
          let app = out2[wa + p * n + p];
          let aqq = out2[wa + q * n + q];
          if (abs(apq) > 1.2e-7 * sqrt(abs(app * aqq)) && abs(apq) > floor_) {
            let theta = (aqq - app) / (2.0 * apq);
            var t: f32;
            if (abs(theta) > 1e18) { t = 0.5 / theta; } else {
              t = select(-1.0, 1.0, theta >= 0.0) / (abs(theta) + sqrt(theta * theta + 1.0));
            }
            c = 1.0 / sqrt(t * t + 1.0);
            s = t * c;
            rot_ = 1u;
          }
        }
        cs[i] = c; sn[i] = s;
      }
      ${SYNC}
      // 2. rows p, q of A.
      for (var w = lid; w < pairs * n; w += ${LWG}u) {
        let i = w / n; let j = w % n;
        let s = sn[i];
        if (s != 0.0) {
          let pq = rr_pair(r, i, np);
          let p = min(pq.x, pq.y); let q = max(pq.x, pq.y);
          let c = cs[i];
          let xp = out2[wa + p * n + j]; let xq = out2[wa + q * n + j];
          out2[wa + p * n + j] = c * xp - s * xq;
          out2[wa + q * n + j] = s * xp + c * xq;
        }
      }
      ${SYNC}
      // 3. columns p, q of A and of V.
      for (var w = lid; w < pairs * n; w += ${LWG}u) {
        let i = w / n; let j = w % n;
        let s = sn[i];
        if (s != 0.0) {
          let pq = rr_pair(r, i, np);
          let p = min(pq.x, pq.y); let q = max(pq.x, pq.y);
          let c = cs[i];
          let xp = out2[wa + j * n + p]; let xq = out2[wa + j * n + q];
          out2[wa + j * n + p] = c * xp - s * xq;
          out2[wa + j * n + q] = s * xp + c * xq;
          let vp = out2[wv + j * n + p]; let vq = out2[wv + j * n + q];
          out2[wv + j * n + p] = c * vp - s * vq;
          out2[wv + j * n + q] = s * vp + c * vq;
        }
      }
      ${SYNC}
    }
    if (workgroupUniformLoad(&rot_) == 0u) { break; }
  }
  // Ascending order (stable), then write values and permuted vectors.
  if (lid == 0u) {
    for (var i = 0u; i < n; i++) { out2[wo + i] = bitcast<f32>(i); }
    for (var i = 1u; i < n; i++) {
      let key = bitcast<u32>(out2[wo + i]);
      let kv = out2[wa + key * n + key];
      var j = i;
      loop {
        if (j == 0u) { break; }
        let prev = bitcast<u32>(out2[wo + j - 1u]);
        if (!(out2[wa + prev * n + prev] > kv)) { break; }
        out2[wo + j] = out2[wo + j - 1u];
        j = j - 1u;
      }
      out2[wo + j] = bitcast<f32>(key);
    }
  }
  ${SYNC}
  for (var e = lid; e < n; e += ${LWG}u) {
    let src = bitcast<u32>(out2[wo + e]);
    out0[vb + e] = out2[wa + src * n + src];
  }
  for (var e = lid; e < n * n; e += ${LWG}u) {
    let i = e / n; let c = e % n;
    let src = bitcast<u32>(out2[wo + c]);
    out1[ab + e] = out2[wv + i * n + src];
  }`,
  });

/** Record `(values, vectors) = eigh(a)` for `batch` symmetric matrices of order `n` (float32). */
export function eighKernel(
  ctx: KernelContext,
  a: GPUBuffer,
  batch: number,
  n: number,
  values: GPUBuffer,
  vectors: GPUBuffer,
): void {
  if (batch * n === 0) return;
  if (n > 2 * MAX_PAIRS) {
    throw new RangeError(
      `eigh(): the webgpu backend handles matrices up to ${2 * MAX_PAIRS}, got ${n}`,
    );
  }
  const work = ctx.alloc(batch * (2 * n * n + n) * 4);
  const k = ctx.kernel("linalg:eigh", 1, 3, SOURCE);
  ctx.dispatch(k, new Params().u32(batch).u32(n).words(), [a, values, vectors, work], batch);
  ctx.free(work);
}
